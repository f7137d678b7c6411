import { cp, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { entityLines, extractInWorker, openDirectoryCached, parseEntityLines } from '../../src/entities/cached.js';
import { Turns } from '../../src/slices.js';
import { extractEntities } from '../../src/entities/extract.js';
import { openEngineCached } from '../../src/search/cache.js';
import { FIXTURE_CORPUS } from '../support/fixtures.js';
import { captureLogger } from '../support/bot.js';

describe('the entity directory cache', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'entities-cache-'));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('saves the directory and loads the same entries next time', async () => {
    const { articles } = await loadCorpus(FIXTURE_CORPUS);
    const { logger: log, lines } = captureLogger();
    const messages = (): unknown[] => lines.map((line) => line['msg']);
    const built = await openDirectoryCached(articles, cacheDir, 'version-1', log);
    const loaded = await openDirectoryCached(articles, cacheDir, 'version-1', log);
    expect(messages()).toEqual(['entity directory built', 'entity directory loaded from cache']);
    expect(loaded.entries).toEqual(built.entries);
    expect(loaded.lookup('shoigu').entity?.name).toBe('Sergei Shoigu');
  });

  it('ignores a corrupt file and one of another corpus version', async () => {
    const { articles } = await loadCorpus(FIXTURE_CORPUS);
    await openDirectoryCached(articles, cacheDir, 'version-1');
    const [file] = await readdir(cacheDir);
    await writeFile(path.join(cacheDir, file!), '[{"name": 1}]');
    const { logger: log, lines } = captureLogger();
    const messages = (): unknown[] => lines.map((line) => line['msg']);
    await openDirectoryCached(articles, cacheDir, 'version-1', log);
    expect(messages()).toEqual(['entity directory cache is malformed; rebuilding it', 'entity directory built']);
    lines.length = 0;
    await openDirectoryCached(articles, cacheDir, 'version-2', log);
    expect(messages()).toEqual(['entity directory built']);
  });

  // The compiled bot and the sources under tsx hash different code: two versions live side by side.
  it('keeps the newest other version beside its own and removes older ones', async () => {
    const { articles } = await loadCorpus('test/fixtures/corpus-two');
    const files = async (): Promise<string[]> => (await readdir(cacheDir)).sort();
    await openDirectoryCached(articles, cacheDir, 'version-1');
    const [first] = await files();
    await utimes(path.join(cacheDir, first!), new Date(2000, 0, 1), new Date(2000, 0, 1));
    await openDirectoryCached(articles, cacheDir, 'version-2');
    const second = (await files()).find((name) => name !== first);
    expect(await files()).toHaveLength(2);
    await utimes(path.join(cacheDir, second!), new Date(2001, 0, 1), new Date(2001, 0, 1));
    await openDirectoryCached(articles, cacheDir, 'version-3');
    const now = await files();
    expect(now).toHaveLength(2);
    expect(now).toContain(second);
    expect(now).not.toContain(first);
  });

  it('hands entities over a line each: what goes in comes out, none gives none, a damaged line gives null', async () => {
    const { articles } = await loadCorpus('test/fixtures/corpus-two');
    const entities = extractEntities(articles);
    expect(entities.length).toBeGreaterThan(1);
    expect(await parseEntityLines(entityLines(entities), new Turns(0))).toEqual(entities);
    expect(await parseEntityLines(entityLines([]), new Turns(0))).toEqual([]);
    const damaged = Buffer.from(entityLines(entities)).toString('utf8').replace('"name"', '"nome"');
    expect(await parseEntityLines(Buffer.from(damaged), new Turns(0))).toBeNull();
    expect(await parseEntityLines(Buffer.from('{"name": "cut'), new Turns(0))).toBeNull();
  });

  it('extracts in a worker thread exactly what it extracts in place', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'entities-worker-'));
    try {
      await cp('test/fixtures/corpus-two', dir, { recursive: true });
      const { articles } = await loadCorpus(dir);
      expect(await extractInWorker(articles)).toEqual(extractEntities(articles));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('extracts in a worker thread from articles loaded from the engine cache, which make their paragraphs when read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'entities-loaded-'));
    try {
      await cp('test/fixtures/corpus-two', dir, { recursive: true });
      const { articles } = await loadCorpus(dir);
      await openEngineCached(dir, cacheDir);
      const loaded = await openEngineCached(dir, cacheDir);
      expect(loaded.fromCache).toBe(true);
      expect(await extractInWorker([...loaded.engine.articles.values()])).toEqual(extractEntities(articles));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('extracts from the articles the index was built from, not from the folder as it is later', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'entities-worker-'));
    try {
      await cp('test/fixtures/corpus-two', dir, { recursive: true });
      const { articles } = await loadCorpus(dir);
      // A reload's folder may change between the index's read and the extraction.
      await writeFile(
        path.join(dir, 'harbour.md'),
        '---\ntitle: Harbour News\n---\n\nHarbour Master Quentin Marlowe said the port would reopen on Monday.\n',
      );
      const names = (await extractInWorker(articles)).map((entity) => entity.name);
      const { articles: now } = await loadCorpus(dir);
      expect(extractEntities(now).some((entity) => entity.name.includes('Quentin Marlowe'))).toBe(true);
      expect(names.some((name) => name.includes('Quentin Marlowe'))).toBe(false);
      expect(names).toEqual(extractEntities(articles).map((entity) => entity.name));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
