import { appendFile, cp, mkdtemp, readdir, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate.js';
import { readQuestions } from '../../src/eval/metrics.js';
import { cacheFile, corpusKey, decodeEngine, openEngineCached } from '../../src/search/cache.js';
import { plainArticle } from '../../src/corpus/plain.js';
import type { Article } from '../../src/corpus/types.js';
import { buildEngineAsync, SearchEngine } from '../../src/search/engine.js';
import { externalIds, internalIds } from '../../src/search/minisearch-adapter.js';
import { CorpusLoadError, openCorpus } from '../../src/search/open.js';
import { FIXTURE_CORPUS, SEED_ALIASES, SEED_ARTICLE } from '../support/fixtures.js';
import { captureLogger } from '../support/bot.js';

/** Articles as plain data, every sentence included: a paragraph loaded from the cache makes its sentences when first read. */
const plain = (articles: Iterable<Article>): Article[] => [...articles].map(plainArticle);

const PROJECT_CORPUS = FIXTURE_CORPUS;
const QUESTIONS = fileURLToPath(new URL('../fixtures/questions.project.jsonl', import.meta.url));

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qa-cache-test-'));
  dirs.push(dir);
  return dir;
}

/** A copy of the project corpus to change, and an empty cache folder beside it. */
async function workspace(): Promise<{ corpus: string; cache: string }> {
  const root = await tempDir();
  const corpus = path.join(root, 'corpus');
  await cp(PROJECT_CORPUS, corpus, { recursive: true });
  return { corpus, cache: path.join(root, 'cache') };
}

/** A pino logger that keeps what it was told. */
function recorder(): { readonly logger: Logger; readonly lines: { level: string; msg: string }[] } {
  const { logger, lines } = captureLogger();
  return {
    logger,
    get lines() {
      return lines.map((line) => ({ level: pino.levels.labels[Number(line['level'])] ?? '', msg: String(line['msg']) }));
    },
  };
}

async function cacheFiles(cache: string): Promise<string[]> {
  return (await readdir(cache)).sort();
}

/** Every answer an engine gives to the project's questions, with and without the article option. */
async function answers(engine: SearchEngine): Promise<string[]> {
  const questions = await readQuestions(QUESTIONS);
  return questions.flatMap(({ q }) => [
    JSON.stringify(engine.ask(q)),
    JSON.stringify(engine.ask(q, { articleId: 'kim-putin-secret-talks', top: 5 })),
  ]);
}

describe('openEngineCached', () => {
  describe('when nothing is cached', () => {
    it('builds the engine and saves it, leaving no temporary files', async () => {
      const { corpus, cache } = await workspace();
      const opened = await openEngineCached(corpus, cache);
      expect(opened.fromCache).toBe(false);
      expect(opened.ms).toBeGreaterThanOrEqual(0);
      expect(await cacheFiles(cache)).toEqual([path.basename(cacheFile(cache, await corpusKey(corpus)))]);
    });
  });

  describe('when the cache matches the corpus', () => {
    it('loads from the cache and answers identically', async () => {
      const { corpus, cache } = await workspace();
      const built = await openEngineCached(corpus, cache);
      const log = recorder();
      const loaded = await openEngineCached(corpus, cache, log.logger);
      expect(loaded.fromCache).toBe(true);
      expect(log.lines.map((line) => line.msg)).toEqual(['search index loaded from cache']);
      expect(await answers(loaded.engine)).toEqual(await answers(built.engine));
      expect(JSON.stringify(loaded.engine.index)).toBe(JSON.stringify(built.engine.index));
      expect(isDeepStrictEqual(plain(loaded.engine.articles.values()), plain(built.engine.articles.values()))).toBe(true);
      expect(loaded.engine.aliases).toEqual(built.engine.aliases);
    });

    it('gives back a generated corpus exactly: articles, index, term order and answers', async () => {
      const root = await tempDir();
      const corpus = path.join(root, 'corpus');
      const cache = path.join(root, 'cache');
      await generateCorpus(corpus, { articles: 60, seed: 2, realArticle: SEED_ARTICLE, aliases: SEED_ALIASES });
      const built = await openEngineCached(corpus, cache);
      const loaded = await openEngineCached(corpus, cache);
      expect(loaded.fromCache).toBe(true);
      // toJSON walks the term tree in order, so equal JSON means prefix and typo matches sum alike.
      expect(JSON.stringify(loaded.engine.index)).toBe(JSON.stringify(built.engine.index));
      expect(isDeepStrictEqual(plain(loaded.engine.articles.values()), plain(built.engine.articles.values()))).toBe(true);
      const reference = (await openCorpus(corpus)).articles;
      expect(isDeepStrictEqual(plain(loaded.engine.articles.values()), plain(reference))).toBe(true);
      // Made once, when first read, and kept.
      const first = [...loaded.engine.articles.values()][1];
      expect(first?.paragraphs).toBe(first?.paragraphs);
      expect(first?.paragraphs[0]?.sentences).toBe(first?.paragraphs[0]?.sentences);
      for (const q of [
        'shoigu visit pyongyang',
        'ammunitoin shipmnts',
        'zorblat quimfle',
        'what about the weather',
        'fri',
        'goverment spy satelite',
      ]) {
        expect(JSON.stringify(loaded.engine.ask(q))).toBe(JSON.stringify(built.engine.ask(q)));
      }
    });

    it('finds documents by id as the built index does, and nothing by an id it does not hold', async () => {
      const { corpus, cache } = await workspace();
      const built = await openEngineCached(corpus, cache);
      const loaded = await openEngineCached(corpus, cache);
      expect(loaded.fromCache).toBe(true);
      const ids = [...built.engine.articles.values()].flatMap((article) => article.paragraphs.map((p) => `${article.id}#${p.number}`));
      const odd = [
        'kim-putin-secret-talks#0',
        'kim-putin-secret-talks#01',
        'kim-putin-secret-talks#999',
        'kim-putin-secret-talks#1.0',
        'nope#1',
        '#1',
        '',
      ];
      for (const id of [...ids, ...odd]) expect(loaded.engine.index.has(id)).toBe(built.engine.index.has(id));
      expect(internalIds(loaded.engine.index, [...ids, ...odd])).toEqual(internalIds(built.engine.index, [...ids, ...odd]));
      expect(externalIds(loaded.engine.index).size).toBe(ids.length);
      expect([...externalIds(loaded.engine.index)]).toEqual([...externalIds(built.engine.index)]);
    });

    it('keeps a loaded index usable as a MiniSearch index: search, add, discard', async () => {
      const { corpus, cache } = await workspace();
      const built = await openEngineCached(corpus, cache);
      const loaded = await openEngineCached(corpus, cache);
      for (const query of ['korea', 'russia ammunit', 'pyongyang']) {
        expect(loaded.engine.index.search(query, { prefix: true, fuzzy: 0.2 })).toEqual(
          built.engine.index.search(query, { prefix: true, fuzzy: 0.2 }),
        );
      }
      expect(loaded.engine.documentFrequency('korea')).toBe(built.engine.documentFrequency('korea'));
      const extra = { id: 'extra#1', text: 'korea korea', section: '', title: 'Extra' };
      loaded.engine.index.add(extra);
      built.engine.index.add(extra);
      loaded.engine.index.discard('kim-putin-secret-talks#2');
      built.engine.index.discard('kim-putin-secret-talks#2');
      expect(JSON.stringify(loaded.engine.index.search('korea'))).toBe(JSON.stringify(built.engine.index.search('korea')));
      expect(loaded.engine.ask('Why is Russia buying ammunition?')).toEqual(built.engine.ask('Why is Russia buying ammunition?'));
    });

    it('finds the cache by content, wherever the corpus folder is', async () => {
      const { corpus, cache } = await workspace();
      await openEngineCached(corpus, cache);
      const moved = path.join(await tempDir(), 'elsewhere');
      await cp(corpus, moved, { recursive: true });
      const loaded = await openEngineCached(moved, cache);
      expect(loaded.fromCache).toBe(true);
      expect([...loaded.engine.articles.values()][0]?.file).toBe(path.join(moved, 'kim-putin-secret-talks.md'));
    });
  });

  describe('when the corpus changed', () => {
    it('rebuilds after an article is edited, and replaces the old cache file', async () => {
      const { corpus, cache } = await workspace();
      await openEngineCached(corpus, cache);
      const before = await cacheFiles(cache);
      await appendFile(path.join(corpus, 'kim-putin-secret-talks.md'), '\nThe zeppelin parade was cancelled.\n');
      const reopened = await openEngineCached(corpus, cache);
      expect(reopened.fromCache).toBe(false);
      expect(reopened.engine.ask('Was the zeppelin parade cancelled?').passages[0]?.text).toContain('zeppelin');
      const after = await cacheFiles(cache);
      expect(after).toHaveLength(1);
      expect(after).not.toEqual(before);
      expect((await openEngineCached(corpus, cache)).fromCache).toBe(true);
    });

    it('rebuilds after the alias table changes or an article is added', async () => {
      const { corpus, cache } = await workspace();
      await openEngineCached(corpus, cache);
      await appendFile(path.join(corpus, 'aliases.yaml'), '\n# a comment changes the bytes, so the key\n');
      expect((await openEngineCached(corpus, cache)).fromCache).toBe(false);
      await writeFile(path.join(corpus, 'second.md'), '---\ntitle: Second\n---\n\nA second article about zeppelins.\n');
      const reopened = await openEngineCached(corpus, cache);
      expect(reopened.fromCache).toBe(false);
      expect(reopened.engine.articles.has('second')).toBe(true);
    });

    it('throws the corpus error for a bad corpus and caches nothing', async () => {
      const { corpus, cache } = await workspace();
      await writeFile(path.join(corpus, 'broken.md'), 'no front matter here\n');
      await expect(openEngineCached(corpus, cache)).rejects.toBeInstanceOf(CorpusLoadError);
      await expect(readdir(cache)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  describe('when the cache file is damaged', () => {
    const damages: [string, (file: string) => Promise<void>][] = [
      ['truncated', async (file) => truncate(file, Math.floor((await readFile(file)).byteLength / 2))],
      ['empty', async (file) => writeFile(file, '')],
      ['not a cache at all', async (file) => writeFile(file, '{"documentCount": 3}')],
      [
        'one byte changed',
        async (file) => {
          const bytes = await readFile(file);
          const at = bytes.byteLength - 10;
          bytes[at] = (bytes[at] ?? 0) ^ 0xff;
          await writeFile(file, bytes);
        },
      ],
    ];
    for (const [name, damage] of damages) {
      it(`rebuilds when it is ${name}, and saves a good one`, async () => {
        const { corpus, cache } = await workspace();
        const built = await openEngineCached(corpus, cache);
        const file = cacheFile(cache, await corpusKey(corpus));
        await damage(file);
        const log = recorder();
        const reopened = await openEngineCached(corpus, cache, log.logger);
        expect(reopened.fromCache).toBe(false);
        expect(log.lines.some((line) => line.level === 'warn' && line.msg.includes('unusable'))).toBe(true);
        expect(await answers(reopened.engine)).toEqual(await answers(built.engine));
        expect((await openEngineCached(corpus, cache)).fromCache).toBe(true);
      });
    }

    it('refuses a sound file written for another corpus version', async () => {
      const { corpus, cache } = await workspace();
      await openEngineCached(corpus, cache);
      const key = await corpusKey(corpus);
      const bytes = await readFile(cacheFile(cache, key));
      await expect(
        decodeEngine(
          bytes,
          key.replace(/^./, (c) => (c === '0' ? '1' : '0')),
          corpus,
        ),
      ).rejects.toThrow(/another corpus version/);
      await expect(decodeEngine(bytes, key, corpus)).resolves.toBeInstanceOf(SearchEngine);
    });
  });

  describe('when the cache cannot be written', () => {
    it('still opens the engine and says why it could not save', async () => {
      const { corpus } = await workspace();
      const notAFolder = path.join(await tempDir(), 'file');
      await writeFile(notAFolder, 'in the way');
      const log = recorder();
      const opened = await openEngineCached(corpus, notAFolder, log.logger);
      expect(opened.fromCache).toBe(false);
      expect(opened.engine.ask('Why is Russia buying ammunition?').abstained).toBe(false);
      expect(log.lines.some((line) => line.level === 'warn' && line.msg.includes('could not save'))).toBe(true);
    });
  });

  it('removes temporary files that a crashed writer left behind', async () => {
    const { corpus, cache } = await workspace();
    await openEngineCached(corpus, cache);
    const stale = path.join(cache, 'engine-0123.cache.999.x.tmp');
    await writeFile(stale, 'half written');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(stale, old, old);
    await appendFile(path.join(corpus, 'aliases.yaml'), '\n# changed\n');
    await openEngineCached(corpus, cache);
    expect((await cacheFiles(cache)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('buildEngineAsync', () => {
  it('builds the same index as SearchEngine.build', async () => {
    const { articles, aliases } = await openCorpus(PROJECT_CORPUS);
    const built = SearchEngine.build(articles, aliases);
    const asynchronous = await buildEngineAsync(articles, aliases, 3);
    expect(JSON.stringify(asynchronous.index)).toBe(JSON.stringify(built.index));
    expect(await answers(asynchronous)).toEqual(await answers(built));
  });

  it('lets other work run between chunks', async () => {
    const { articles, aliases } = await openCorpus(PROJECT_CORPUS);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    try {
      await buildEngineAsync(articles, aliases, 2);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
