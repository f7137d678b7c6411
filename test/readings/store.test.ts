import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileReadingStore } from '../../src/readings/file-store.js';
import { GUILD, reading, storeContract } from '../support/storeContract.js';

let dir: string;
storeContract('FileReadingStore', () => {
  dir = mkdtempSync(path.join(tmpdir(), 'store-'));
  return Promise.resolve({ store: new FileReadingStore(dir), close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
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
