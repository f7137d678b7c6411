import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type CorpusLibrary } from '../../src/library.js';
import { ReadingRefusal } from '../../src/readings/compose.js';
import { FileReadingStore } from '../../src/readings/file-store.js';
import { ServerReadings, type ServerReadingsOptions } from '../../src/readings/servers.js';
import type { ReadingChange, ReadingStore, StoredReading } from '../../src/readings/store.js';
import { captureLogger } from '../support/bot.js';

const A = '111111111111111111';
const B = '222222222222222222';
const PENGUINS = {
  kind: 'file' as const,
  filename: 'penguins.txt',
  text: 'Penguins of the Ross Sea\n\nEmperor penguins huddle together through the Antarctic winter. Researcher Anna Holm has tracked the colonies since 2015.\n',
};
const GLACIER = {
  kind: 'form' as const,
  title: 'Glacier Notes',
  source: '',
  url: '',
  text: 'The Rhone Glacier lost two metres of ice last summer, according to geologist Lena Frei.',
};

/** A store wrapper that counts what is asked of it and can hold an add until released. */
class WatchedStore implements ReadingStore {
  readonly listed: string[] = [];
  hold: Promise<void> | null = null;
  constructor(readonly inner: ReadingStore) {}
  servers() {
    return this.inner.servers();
  }
  list(guildId: string) {
    this.listed.push(guildId);
    return this.inner.list(guildId);
  }
  async add(reading: StoredReading) {
    if (this.hold) await this.hold;
    return this.inner.add(reading);
  }
  remove(guildId: string, id: string) {
    return this.inner.remove(guildId, id);
  }
  private readonly listeners = new Set<(change: ReadingChange) => void>();
  subscribe(listener: (change: ReadingChange) => void) {
    this.listeners.add(listener);
    const inner = this.inner.subscribe(listener);
    return () => {
      this.listeners.delete(listener);
      inner();
    };
  }
  /** Delivers a change made elsewhere, as a shared store's notification would. */
  announce(change: ReadingChange) {
    for (const listener of this.listeners) listener(change);
  }
  close() {
    return this.inner.close();
  }
}

describe('ServerReadings', () => {
  let shared: CorpusLibrary;
  let dir: string;
  let store: WatchedStore;
  const { logger, lines } = captureLogger();
  const make = (options: Partial<ServerReadingsOptions> = {}) =>
    new ServerReadings({
      store,
      shared: () => shared,
      sharedInServers: true,
      limits: { maxBytes: 1024 * 1024, perServer: 3, downloadTimeoutMs: 1000, origins: [] },
      logger,
      ...options,
    });

  beforeAll(async () => {
    shared = await openLibrary('test/fixtures/corpus-two');
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'servers-'));
    store = new WatchedStore(new FileReadingStore(dir));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads no server’s readings until that server is seen, and DMs never load any', async () => {
    const readings = make();
    readings.library(null).engine.ask('penguins');
    expect(store.listed).toEqual([]);
    await readings.prepare(A);
    expect(readings.prepare(A)).toBeUndefined();
    expect(store.listed).toEqual([A]);
    expect(readings.loadedServers).toEqual([A]);
  });

  it('answers from the previous version while an add is being saved and built', async () => {
    const readings = make();
    await readings.prepare(A);
    let release = (): void => undefined;
    store.hold = new Promise((resolve) => (release = resolve));
    const adding = readings.add(A, PENGUINS, '42');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readings.library(A).engine.ask('Why do emperor penguins huddle?').abstained).toBe(true);
    expect(readings.library(A).engine.ask('Who signed the lithium agreement in Oslo?').abstained).toBe(false);
    release();
    await adding;
    expect(readings.library(A).engine.ask('Why do emperor penguins huddle?').passages[0]?.article.id).toBe('penguins-of-the-ross-sea');
  });

  it('merges a server’s answers with the corpus’s by score, and /who-is across both', async () => {
    const readings = make();
    await readings.add(A, PENGUINS, '42');
    const library = readings.library(A);
    expect(library.articles.map((a) => a.id).sort()).toEqual([
      'kim-putin-secret-talks',
      'norway-chile-lithium-pact',
      'penguins-of-the-ross-sea',
    ]);
    const answer = library.engine.ask('Who signed the lithium agreement in Oslo?', { top: 3 });
    expect(answer.passages[0]?.article.id).toBe('norway-chile-lithium-pact');
    const scores = answer.passages.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(
      library.engine
        .ask('Why do penguins huddle?', { articleId: 'kim-putin-secret-talks' })
        .passages.every((p) => p.article.id === 'kim-putin-secret-talks'),
    ).toBe(true);
    expect(library.directory.lookup('Anna Holm').entity?.name).toBe('Anna Holm');
    expect(library.directory.lookup('Erik Larsen').entity?.name).toBe('Erik Larsen');
    expect(library.titles.suggest('pen').map((item) => item.value)).toEqual(['penguins-of-the-ross-sea']);
  });

  it('gives a reading a new id rather than reuse one the server or the corpus has', async () => {
    const readings = make();
    const asked = { kind: 'file' as const, filename: 'x.md', text: '---\ntitle: Mine\nid: kim-putin-secret-talks\n---\n\nMy own text.\n' };
    const added = await readings.add(A, asked, '42');
    expect(added.article.id).toBe('kim-putin-secret-talks-2');
    expect(added.renamedFrom).toBe('kim-putin-secret-talks');
    expect((await readings.add(A, asked, '42')).article.id).toBe('kim-putin-secret-talks-3');
    expect(readdirSync(path.join(dir, A)).sort()).toEqual(['kim-putin-secret-talks-2.md', 'kim-putin-secret-talks-3.md']);
  });

  it('takes the next free id when another process saved that id a moment ago, overwriting nothing', async () => {
    const readings = make();
    await readings.prepare(A);
    // Another process on the same store; this one has not heard of its reading yet.
    await new FileReadingStore(dir).add({
      guildId: A,
      id: 'glacier-notes',
      markdown: '---\ntitle: Their Glacier Notes\nid: glacier-notes\n---\n\nTheirs.\n',
      addedBy: '7',
      addedAt: '2026-12-01T21:00:00.000Z',
    });
    const added = await readings.add(A, GLACIER, '42');
    expect(added.article.id).toBe('glacier-notes-2');
    expect(added.renamedFrom).toBe('glacier-notes');
    const stored = await store.list(A);
    expect(stored.map((r) => r.id)).toEqual(['glacier-notes', 'glacier-notes-2']);
    expect(stored[0]?.markdown).toContain('Their Glacier Notes');
  });

  it('refuses a reading past the per-server limit, naming the setting, and saves nothing', async () => {
    const readings = make();
    for (const title of ['One', 'Two', 'Three']) await readings.add(A, { ...GLACIER, title }, '42');
    const refused = readings.add(A, { ...GLACIER, title: 'Four' }, '42');
    await expect(refused).rejects.toBeInstanceOf(ReadingRefusal);
    await expect(refused).rejects.toThrow(/3 readings.*READINGS_PER_SERVER = 3/);
    expect(readdirSync(path.join(dir, A))).toHaveLength(3);
    // Another server has its own allowance.
    await expect(readings.add(B, GLACIER, '42')).resolves.toMatchObject({ count: 1 });
  });

  it('with SHARED_CORPUS=false a server sees only its own readings; DMs still see the corpus', async () => {
    const readings = make({ sharedInServers: false });
    await readings.prepare(A);
    expect(readings.library(A).articles).toEqual([]);
    expect(readings.library(A).engine.ask('Who signed the lithium agreement in Oslo?').abstained).toBe(true);
    await readings.add(A, GLACIER, '42');
    expect(readings.library(A).articles.map((a) => a.id)).toEqual(['glacier-notes']);
    expect(readings.library(null).articles.map((a) => a.id)).toContain('norway-chile-lithium-pact');
  });

  it('applies a change announced by the store, as another process’s would be', async () => {
    const readings = make();
    await readings.prepare(A);
    const other = new FileReadingStore(dir);
    const unsubscribe = other.subscribe((change) => store.announce(change));
    const writer = make({ store: other });
    await writer.prepare(A);
    await writer.add(A, GLACIER, '42');
    unsubscribe();
    await readings.settled();
    expect(readings.readings(A).map((a) => a.id)).toEqual(['glacier-notes']);
    expect(readings.library(A).engine.ask('How much ice did the Rhone Glacier lose?').abstained).toBe(false);
  });

  it('leaves out a stored reading that no longer parses, logs it, and serves the rest', async () => {
    mkdirSync(path.join(dir, A), { recursive: true });
    writeFileSync(path.join(dir, A, 'broken.md'), '---\ntitle: [oops\n---\n\nText.\n');
    writeFileSync(path.join(dir, A, 'fine.md'), '---\ntitle: Fine\nid: fine\n---\n\nThe fine reading mentions walruses.\n');
    const readings = make();
    await readings.prepare(A);
    expect(readings.readings(A).map((a) => a.id)).toEqual(['fine']);
    expect(lines.find((line) => line['readingId'] === 'broken')?.['msg']).toMatch(/does not parse/);
  });

  it('removes only from the server asked, and logs who removed what', async () => {
    const readings = make();
    await readings.add(A, GLACIER, '42');
    await readings.add(B, GLACIER, '43');
    expect(await readings.remove(B, 'glacier-notes', '43')).toMatchObject({ id: 'glacier-notes' });
    expect(await readings.remove(B, 'glacier-notes', '43')).toBeNull();
    expect(readings.readings(A).map((a) => a.id)).toEqual(['glacier-notes']);
    expect(lines.filter((line) => line['change'] === 'removed').at(-1)).toMatchObject({
      userId: '43',
      guildId: B,
      readingId: 'glacier-notes',
    });
  });
});
