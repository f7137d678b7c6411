import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileReadingStore } from '../../src/readings/file-store.js';
import { ReadingExistsError, type ReadingChange, type ReadingStore, type StoredReading } from '../../src/readings/store.js';

const GUILD = '111111111111111111';
const OTHER = '222222222222222222';

function reading(id: string, guildId = GUILD, title = `Title of ${id}`): StoredReading {
  return {
    guildId,
    id,
    markdown: `---\ntitle: ${JSON.stringify(title)}\nid: ${id}\nadded_by: "42"\nadded_at: 2026-12-01T21:00:00.000Z\n---\n\nA paragraph of ${id}.\n`,
    addedBy: '42',
    addedAt: '2026-12-01T21:00:00.000Z',
  };
}

/**
 * What every ReadingStore must do. Written against the interface so a second store (a database)
 * runs the same checks: call it with a function that opens a fresh, empty store.
 */
export function storeContract(name: string, open: () => Promise<{ store: ReadingStore; close: () => Promise<void> }>): void {
  describe(`${name}: the reading store contract`, () => {
    let store: ReadingStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => {
      await store.close();
      await close();
    });

    it('has no readings for a server it has never seen', async () => {
      expect(await store.list(GUILD)).toEqual([]);
    });

    it('gives back what was added, in id order, per server', async () => {
      await store.add(reading('zebra'));
      await store.add(reading('apple'));
      await store.add(reading('other', OTHER));
      expect(await store.list(GUILD)).toEqual([reading('apple'), reading('zebra')]);
      expect(await store.list(OTHER)).toEqual([reading('other', OTHER)]);
    });

    it('never overwrites: a second reading with the same id is refused and the first kept', async () => {
      await store.add(reading('same', GUILD, 'First'));
      await expect(store.add(reading('same', GUILD, 'Second'))).rejects.toBeInstanceOf(ReadingExistsError);
      expect((await store.list(GUILD)).map((r) => r.markdown)).toEqual([reading('same', GUILD, 'First').markdown]);
    });

    it('removes a reading and says whether it was there', async () => {
      await store.add(reading('gone'));
      expect(await store.remove(GUILD, 'gone')).toBe(true);
      expect(await store.remove(GUILD, 'gone')).toBe(false);
      expect(await store.remove(OTHER, 'never')).toBe(false);
      expect(await store.list(GUILD)).toEqual([]);
    });

    it('announces each change to subscribers, and stops when unsubscribed', async () => {
      const changes: ReadingChange[] = [];
      const unsubscribe = store.subscribe((change) => changes.push(change));
      await store.add(reading('told'));
      await store.remove(GUILD, 'told');
      await store.remove(GUILD, 'told');
      unsubscribe();
      await store.add(reading('untold'));
      expect(changes).toEqual([
        { kind: 'added', guildId: GUILD, reading: reading('told') },
        { kind: 'removed', guildId: GUILD, id: 'told' },
      ]);
    });

    it('refuses ids and server ids that could name anything but a reading', async () => {
      await expect(store.add(reading('../escape'))).rejects.toThrow();
      await expect(store.add({ ...reading('fine'), guildId: '../..' })).rejects.toThrow();
      await expect(store.list('../..')).rejects.toThrow();
      expect(await store.remove(GUILD, '../../etc/passwd')).toBe(false);
    });
  });
}

let dir: string;
storeContract('FileReadingStore', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'store-'));
  return { store: new FileReadingStore(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('FileReadingStore on disk', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'store-disk-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps each reading as a corpus file named by its id, with no temporary file left', async () => {
    const store = new FileReadingStore(root);
    await store.add(reading('kept'));
    expect(readdirSync(path.join(root, GUILD))).toEqual(['kept.md']);
    expect(readFileSync(path.join(root, GUILD, 'kept.md'), 'utf8')).toBe(reading('kept').markdown);
  });

  it('ignores a half-written temporary file and anything that is not a reading', async () => {
    mkdirSync(path.join(root, GUILD), { recursive: true });
    writeFileSync(path.join(root, GUILD, '.crashed.abc123.tmp'), '---\ntitle: half');
    writeFileSync(path.join(root, GUILD, 'notes.txt'), 'not a reading');
    mkdirSync(path.join(root, GUILD, 'folder.md'));
    const store = new FileReadingStore(root);
    await store.add(reading('whole'));
    expect((await store.list(GUILD)).map((r) => r.id)).toEqual(['whole']);
  });

  it('reads who added a reading, and when, back from its front matter', async () => {
    const store = new FileReadingStore(root);
    await store.add(reading('who'));
    const [back] = await new FileReadingStore(root).list(GUILD);
    expect(back).toMatchObject({ addedBy: '42', addedAt: '2026-12-01T21:00:00.000Z' });
  });
});
