/**
 * A reload as the running bot does it (src/main.ts): parsing, indexing, the entity directory and
 * both caches in a worker thread, this thread only decoding the result. It must give exactly the
 * library start-up gives, report a broken corpus by file as start-up does, and leave the caches
 * start-up reads. How long it pauses the event loop is measured by `npm run bench` (bench/reload.ts).
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibraryCached, openLibraryOffThread } from '../src/library.js';
import { CorpusLoadError } from '../src/search/open.js';

const QUESTIONS = [
  'What is juche?',
  'Who is Shoigu?',
  'lithium',
  'What does Russia want from North Korea?',
  'What is the capital of France?',
];

describe('a reload off the main thread', () => {
  let scratch: string;
  let corpus: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'offthread-'));
    corpus = path.join(scratch, 'corpus');
    await cp('test/fixtures/corpus-two', corpus, { recursive: true });
    await cp('corpus/aliases.yaml', path.join(corpus, 'aliases.yaml'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('gives the library start-up gives: same answers, same entities', async () => {
    const offThread = await openLibraryOffThread(corpus, path.join(scratch, 'cache-a'));
    const inPlace = await openLibraryCached(corpus, path.join(scratch, 'cache-b'));
    expect(offThread.fromCache).toBe(false);
    for (const question of QUESTIONS) expect(offThread.library.engine.ask(question)).toEqual(inPlace.library.engine.ask(question));
    expect(offThread.library.directory.entries).toEqual(inPlace.library.directory.entries);
    expect(offThread.library.articles.map((a) => a.id)).toEqual(inPlace.library.articles.map((a) => a.id));
  });

  it('leaves both caches, so the next open (a restart or another reload) loads them', async () => {
    const cache = path.join(scratch, 'cache-c');
    await openLibraryOffThread(corpus, cache);
    const files = await readdir(cache);
    expect(files.some((f) => f.startsWith('engine-'))).toBe(true);
    expect(files.some((f) => f.startsWith('directory-'))).toBe(true);
    expect((await openLibraryCached(corpus, cache)).fromCache).toBe(true);
    const again = await openLibraryOffThread(corpus, cache);
    expect(again.fromCache).toBe(true);
    expect(again.library.engine.ask('What is juche?').passages[0]?.paragraph).toBe(9);
  });

  it('rebuilds the entity directory when the cache holds the index but not the directory', async () => {
    const cache = path.join(scratch, 'cache-e');
    const first = await openLibraryOffThread(corpus, cache);
    for (const file of await readdir(cache)) if (file.startsWith('directory-')) await rm(path.join(cache, file));
    const again = await openLibraryOffThread(corpus, cache);
    expect(again.fromCache).toBe(true);
    expect(again.library.directory.entries).toEqual(first.library.directory.entries);
    expect(again.library.directory.entries.length).toBeGreaterThan(0);
  });

  it('reports a broken corpus by file, as start-up does', async () => {
    const broken = path.join(scratch, 'broken');
    await cp(corpus, broken, { recursive: true });
    await writeFile(path.join(broken, 'no-front-matter.md'), 'Just a paragraph.\n');
    const error = await openLibraryOffThread(broken, path.join(scratch, 'cache-d')).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CorpusLoadError);
    expect((error as Error).message).toMatch(/no-front-matter\.md:1: has no front matter/);
  });
});
