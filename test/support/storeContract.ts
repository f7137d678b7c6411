import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadingExistsError, type ReadingChange, type ReadingStore, type StoredReading } from '../../src/readings/store.js';

export const GUILD = '111111111111111111';
export const OTHER = '222222222222222222';

/** A stored reading as the bot would save it. */
export function reading(id: string, guildId = GUILD, title = `Title of ${id}`): StoredReading {
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
      await store.add(reading('apple-2'));
      await store.add(reading('other', OTHER));
      expect(await store.list(GUILD)).toEqual([reading('apple'), reading('apple-2'), reading('zebra')]);
      expect(await store.list(OTHER)).toEqual([reading('other', OTHER)]);
      expect(await store.servers()).toEqual([GUILD, OTHER]);
    });

    it('keeps the text exactly, whatever it holds', async () => {
      const text = {
        ...reading('odd'),
        markdown: `---\ntitle: "Quotes ' \\" and emoji 🐧"\nid: odd\nadded_by: "42"\nadded_at: 2026-12-01T21:00:00.000Z\n---\n\nTabs\tand\r\nCRLF, ünïcödé, $1 and \\\\ backslashes.\n`,
      };
      await store.add(text);
      expect(await store.list(GUILD)).toEqual([text]);
    });

    it('never overwrites: a second reading with the same id is refused and the first kept', async () => {
      await store.add(reading('same', GUILD, 'First'));
      await expect(store.add(reading('same', GUILD, 'Second'))).rejects.toBeInstanceOf(ReadingExistsError);
      expect((await store.list(GUILD)).map((r) => r.markdown)).toEqual([reading('same', GUILD, 'First').markdown]);
    });

    it('of several adds of one id at once, exactly one lands and the others are refused', async () => {
      const titles = ['A', 'B', 'C', 'D'];
      const results = await Promise.allSettled(titles.map((title) => store.add(reading('race', GUILD, title))));
      const won = titles.filter((_, i) => results[i]?.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ReadingExistsError);
      expect((await store.list(GUILD)).map((r) => r.markdown)).toEqual([reading('race', GUILD, won[0]).markdown]);
    });

    it('lets two servers use the same id', async () => {
      await store.add(reading('shared-id', GUILD, 'Ours'));
      await store.add(reading('shared-id', OTHER, 'Theirs'));
      expect((await store.list(GUILD)).map((r) => r.markdown)).toEqual([reading('shared-id', GUILD, 'Ours').markdown]);
      expect((await store.list(OTHER)).map((r) => r.markdown)).toEqual([reading('shared-id', OTHER, 'Theirs').markdown]);
    });

    it('removes a reading and says whether it was there', async () => {
      await store.add(reading('gone'));
      expect(await store.remove(GUILD, 'gone')).toBe(true);
      expect(await store.remove(GUILD, 'gone')).toBe(false);
      expect(await store.remove(OTHER, 'never')).toBe(false);
      expect(await store.list(GUILD)).toEqual([]);
      expect(await store.servers()).toEqual([]);
    });

    it('announces each change to subscribers, and stops when unsubscribed', async () => {
      const changes: ReadingChange[] = [];
      const unsubscribe = store.subscribe((change) => changes.push(change));
      await store.add(reading('told'));
      // A shared store hears its changes back from the database: soon after the call, not during it.
      await expect.poll(() => changes.length, { timeout: 2000, interval: 10 }).toBe(1);
      await store.remove(GUILD, 'told');
      await store.remove(GUILD, 'told');
      await expect.poll(() => changes.length, { timeout: 2000, interval: 10 }).toBe(2);
      unsubscribe();
      await store.add(reading('untold'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toEqual([
        { kind: 'added', guildId: GUILD, reading: reading('told') },
        { kind: 'removed', guildId: GUILD, id: 'told' },
      ]);
    });

    it('announces an add and a removal made back to back in the order they were made', async () => {
      const changes: ReadingChange[] = [];
      store.subscribe((change) => changes.push(change));
      for (const id of ['one', 'two', 'three']) {
        await store.add(reading(id));
        await store.remove(GUILD, id);
      }
      await expect.poll(() => changes.length, { timeout: 2000, interval: 10 }).toBe(6);
      expect(
        changes.map((change) => (change.kind === 'added' ? `+${change.reading.id}` : change.kind === 'removed' ? `-${change.id}` : '?')),
      ).toEqual(['+one', '-one', '+two', '-two', '+three', '-three']);
    });

    it('announces nothing for a refused add or a remove of nothing', async () => {
      const changes: ReadingChange[] = [];
      store.subscribe((change) => changes.push(change));
      await store.add(reading('first'));
      await expect.poll(() => changes.length, { timeout: 2000, interval: 10 }).toBe(1);
      changes.length = 0;
      await expect(store.add(reading('first', GUILD, 'Again'))).rejects.toBeInstanceOf(ReadingExistsError);
      expect(await store.remove(GUILD, 'absent')).toBe(false);
      // A shared store announces in order: once the marker is heard, anything the two calls above sent would have been too.
      await store.add(reading('marker'));
      await expect.poll(() => changes.length, { timeout: 2000, interval: 10 }).toBe(1);
      expect(changes).toEqual([{ kind: 'added', guildId: GUILD, reading: reading('marker') }]);
    });

    it('refuses ids and server ids that could name anything but a reading', async () => {
      await expect(store.add(reading('../escape'))).rejects.toThrow();
      await expect(store.add({ ...reading('fine'), guildId: '../..' })).rejects.toThrow();
      await expect(store.list('../..')).rejects.toThrow();
      expect(await store.remove(GUILD, '../../etc/passwd')).toBe(false);
      expect(await store.list(GUILD)).toEqual([]);
    });
  });
}
