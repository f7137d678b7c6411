import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { extractInWorker, openDirectoryCached } from '../../src/entities/cached.js';
import { extractEntities } from '../../src/entities/extract.js';

describe('the entity directory cache', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'entities-cache-'));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('saves the directory and loads the same entries next time', async () => {
    const { articles } = await loadCorpus('corpus');
    const messages: string[] = [];
    const log = { info: (_: object, msg: string) => messages.push(msg), warn: (_: object, msg: string) => messages.push(msg) };
    const built = await openDirectoryCached(articles, cacheDir, 'version-1', log);
    const loaded = await openDirectoryCached(articles, cacheDir, 'version-1', log);
    expect(messages).toEqual(['entity directory built', 'entity directory loaded from cache']);
    expect(loaded.entries).toEqual(built.entries);
    expect(loaded.lookup('shoigu').entity?.name).toBe('Sergei Shoigu');
  });

  it('ignores a corrupt file and one of another corpus version', async () => {
    const { articles } = await loadCorpus('corpus');
    await openDirectoryCached(articles, cacheDir, 'version-1');
    const [file] = await readdir(cacheDir);
    await writeFile(path.join(cacheDir, file!), '[{"name": 1}]');
    const messages: string[] = [];
    const log = { info: (_: object, msg: string) => messages.push(msg), warn: (_: object, msg: string) => messages.push(msg) };
    await openDirectoryCached(articles, cacheDir, 'version-1', log);
    expect(messages).toEqual(['entity directory cache is malformed; rebuilding it', 'entity directory built']);
    messages.length = 0;
    await openDirectoryCached(articles, cacheDir, 'version-2', log);
    expect(messages).toEqual(['entity directory built']);
    expect(await readdir(cacheDir)).toHaveLength(1);
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
