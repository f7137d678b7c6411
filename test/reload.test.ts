import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary } from '../src/library.js';
import { LiveLibrary } from '../src/reload.js';
import { captureLogger } from './support/bot.js';
import { FIXTURE_CORPUS } from './support/fixtures.js';

describe('live corpus reload', () => {
  let dir: string;
  let live: LiveLibrary;
  const { logger, lines } = captureLogger();

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'live-'));
    await cp(FIXTURE_CORPUS, dir, { recursive: true });
    live = new LiveLibrary(await openLibrary(dir), {
      corpusDir: dir,
      open: openLibrary,
      logger,
      debounceMs: 50,
      folderCheckMs: 100,
    }).watch();
  });
  afterEach(async () => {
    live.close();
    await rm(dir, { recursive: true, force: true });
  });

  const article = `---\ntitle: Penguins of the Antarctic\n---\n\nEmperor penguins huddle together through the polar winter to keep warm.\n`;

  it('answers from an article added while running, without a restart', async () => {
    expect(live.current().engine.ask('Why do emperor penguins huddle?').abstained).toBe(true);
    await writeFile(path.join(dir, 'penguins.md'), article);
    await expect.poll(() => live.current().articles.length, { timeout: 5000 }).toBe(2);
    const answer = live.current().engine.ask('Why do emperor penguins huddle?');
    expect(answer.passages[0]?.article.title).toBe('Penguins of the Antarctic');
  });

  it('keeps serving the old index when an edit breaks a file, and logs the file and problem', async () => {
    const before = live.current();
    const generation = live.generation;
    const file = path.join(dir, 'kim-putin-secret-talks.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^---\n/, ''));
    await expect.poll(() => live.generation, { timeout: 5000 }).toBeGreaterThan(generation);
    expect(live.current()).toBe(before);
    expect(live.current().engine.ask('What is juche?').abstained).toBe(false);
    const logged = lines.find((line) => line['msg'] === 'corpus reload failed; still answering from the previous version');
    expect((logged?.['err'] as { message: string }).message).toMatch(/kim-putin-secret-talks\.md:1: has no front matter/);
  });

  it('follows the folder when it is deleted and created again (a deploy by folder swap)', async () => {
    await rm(dir, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cp(FIXTURE_CORPUS, dir, { recursive: true });
    await writeFile(path.join(dir, 'penguins.md'), article);
    await expect.poll(() => live.current().articles.length, { timeout: 5000 }).toBe(2);
    expect(lines.some((line) => line['msg'] === 'corpus folder was replaced; watching the new one')).toBe(true);
    // And keeps following it: a later edit in the new folder is picked up too.
    await rm(path.join(dir, 'penguins.md'));
    await expect.poll(() => live.current().articles.length, { timeout: 5000 }).toBe(1);
  });

  it('follows the folder when a new one is renamed into its place', async () => {
    const next = `${dir}.next`;
    await cp(FIXTURE_CORPUS, next, { recursive: true });
    await writeFile(path.join(next, 'penguins.md'), article);
    await rename(dir, `${dir}.old`);
    await rename(next, dir);
    await expect.poll(() => live.current().articles.length, { timeout: 5000 }).toBe(2);
    await rm(`${dir}.old`, { recursive: true, force: true });
    // Let the old folder's last events pass: the watcher must be on the new folder now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rm(path.join(dir, 'penguins.md'));
    await expect.poll(() => live.current().articles.length, { timeout: 5000 }).toBe(1);
  });

  it('answers questions during a rebuild from the old library', async () => {
    const before = live.current();
    const reloading = live.reload();
    expect(live.current()).toBe(before);
    expect(live.current().engine.ask('What is juche?').abstained).toBe(false);
    await reloading;
    expect(live.current()).not.toBe(before);
  });
});

describe('the library a LiveLibrary serves', () => {
  // A forced collection, for this file only: is the library still reachable when nothing but the
  // LiveLibrary's own module holds it?
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('is held from module scope until close(), however the caller holds the LiveLibrary', async () => {
    const { logger } = captureLogger();
    // Built in a function so no local of this test keeps the LiveLibrary or its library alive.
    const start = async (): Promise<{ library: WeakRef<object>; close: () => void }> => {
      const live = new LiveLibrary(await openLibrary(FIXTURE_CORPUS), { corpusDir: FIXTURE_CORPUS, open: openLibrary, logger });
      const close = new WeakRef(live);
      return { library: new WeakRef(live.current()), close: () => close.deref()?.close() };
    };
    const { library, close } = await start();
    await settled();
    collect();
    // V8 marks a library reachable only through a pending promise chain in the atomic pause of a
    // major collection (105–260 ms at 10,000 articles); from module scope it marks it in steps.
    expect(library.deref()).toBeDefined();
    close();
    await settled();
    collect();
    expect(library.deref()).toBeUndefined();
  });
});
