import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import { sortInSlices, Turns } from './slices.js';
import type { Article } from './corpus/types.js';
import { buildDirectory, type Directory, type Entity, type WhoIsResult } from './entities/index.js';
import { openCorpus } from './search/open.js';
import { TitleAutocomplete, type AutocompleteItem } from './search/autocomplete.js';
import { openEngineCached } from './search/cache.js';
import { openDirectoryCached, parseEntityLines } from './entities/cached.js';
import { Directory as EntityDirectory } from './entities/index.js';
import { CorpusError } from './corpus/parse.js';
import { CorpusLoadError } from './search/open.js';
import { cacheFile, decodeEngine, loadEngine, UNCACHED_KEY } from './search/cache.js';
import { startWorker } from './worker.js';
import type { ReloadMessage } from './reload-worker.js';
import { SearchEngine, type Answer, type AskOptions } from './search/engine.js';
import { examplesFor, type Examples } from './reply/examples.js';

/** What answers questions over a set of articles; a {@link SearchEngine} is one, a server's merged view another. */
export interface Asker {
  ask(question: string, options?: AskOptions): Answer;
}

/** What /who-is needs of a set of articles; a {@link Directory} is one. */
export interface EntityLookup {
  lookup(query: string): WhoIsResult;
  autocomplete(typed: string, limit?: number): Entity[];
}

/** Article titles for autocomplete; a {@link TitleAutocomplete} is one. */
export interface TitleSuggester {
  suggest(typed: string, limit?: number): AutocompleteItem[];
}

/**
 * The articles one conversation may see, as every command reads them: in a server its readings
 * plus the bot's corpus, in DMs the corpus. Read it once per interaction; it is never mutated.
 */
export interface Library {
  readonly engine: Asker;
  readonly directory: EntityLookup;
  /** Articles in display order (by title), for pickers and the article list. */
  readonly articles: readonly Article[];
  /** The article with this id. */
  article(id: string): Article | undefined;
  /** Article titles for autocomplete, fast at thousands of articles. */
  readonly titles: TitleSuggester;
  /** Examples to show users, from this article (default: the first in display order). */
  examples(articleId?: string): Examples;
}

/** Everything built from one version of one corpus; replaced whole on reload, never mutated. */
export interface CorpusLibrary extends Library {
  readonly engine: SearchEngine;
  readonly directory: Directory;
  readonly titles: TitleAutocomplete;
  /** Examples to show users, from this article (default: the first in display order). */
  examples(articleId?: string): Examples;
}

/** Titles in the order `localeCompare` gives (the same locale data), at a fraction of its cost. */
const TITLE_ORDER = new Intl.Collator();

/** Display order: by title. */
const titleOrder = (a: Article, b: Article): number => TITLE_ORDER.compare(a.title, b.title);

/** Articles in display order (by title). */
function byTitle(engine: SearchEngine): Article[] {
  return [...engine.articles.values()].sort(titleOrder);
}

/** Wraps a built engine into a library with its entity directory (built here when not given). */
export function libraryFrom(engine: SearchEngine, directory: Directory = buildDirectory([...engine.articles.values()])): CorpusLibrary {
  const articles = byTitle(engine);
  return assemble(
    engine,
    directory,
    articles,
    new TitleAutocomplete(articles.map((article) => ({ value: article.id, name: article.title }))),
  );
}

/** A library from its parts, with examples for each article made when first asked for. */
function assemble(engine: SearchEngine, directory: Directory, articles: readonly Article[], titles: TitleAutocomplete): CorpusLibrary {
  const examples = new Map<string, Examples>();
  const examplesOf = (articleId?: string): Examples => {
    const article = articleId === undefined ? articles[0] : engine.articles.get(articleId);
    if (article === undefined) return examplesFor(undefined, []);
    let found = examples.get(article.id);
    if (found === undefined) {
      found = examplesFor(article, namesMentionedIn(directory, article.id));
      examples.set(article.id, found);
    }
    return found;
  };
  return { engine, directory, articles, titles, article: (id) => engine.articles.get(id), examples: examplesOf };
}

/** The names an article mentions, people before places and bodies, most mentioned first. */
function namesMentionedIn(directory: Directory, articleId: string): string[] {
  return directory.entries
    .map((entity) => ({ entity, count: entity.mentions.filter((mention) => mention.article === articleId).length }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => Number(b.entity.kind === 'person') - Number(a.entity.kind === 'person') || b.count - a.count)
    .map(({ entity }) => entity.name);
}

/** {@link libraryFrom} without a long pause: the title autocomplete is built a slice per turn. */
async function libraryFromAsync(engine: SearchEngine, directory: Directory): Promise<CorpusLibrary> {
  await yieldToLoop();
  const articles = await sortInSlices([...engine.articles.values()], titleOrder);
  const titles = await TitleAutocomplete.build(articles.map((article) => ({ value: article.id, name: article.title })));
  return assemble(engine, directory, articles, titles);
}

/** Reads a corpus folder and builds its library; throws a CorpusLoadError naming each bad file. */
export async function openLibrary(corpusDir: string): Promise<CorpusLibrary> {
  const { articles, aliases } = await openCorpus(corpusDir);
  return libraryFrom(SearchEngine.build(articles, aliases));
}

/** What {@link openLibraryCached} found. */
export interface OpenedLibrary {
  readonly library: CorpusLibrary;
  readonly fromCache: boolean;
  readonly ms: number;
}

/**
 * Opens a corpus the way the bot does: search index and entity directory from the cache in
 * `cacheDir` when they match the corpus, else built and cached. Throws a CorpusLoadError on a bad corpus.
 */
export async function openLibraryCached(corpusDir: string, cacheDir: string, log?: Logger): Promise<OpenedLibrary> {
  const started = performance.now();
  const { engine, fromCache, key } = await openEngineCached(corpusDir, cacheDir, log);
  const directory = await openDirectoryCached([...engine.articles.values()], cacheDir, key, log);
  return { library: libraryFrom(engine, directory), fromCache, ms: Math.round(performance.now() - started) };
}

/**
 * Opens a corpus for a reload while the bot keeps answering: a worker thread hashes, parses, builds
 * and caches (the entity directory from the same parse), and this thread only decodes the result a
 * slice per turn of the event loop, so no turn is long (`npm run bench` measures the longest).
 * Throws a CorpusLoadError on a bad corpus, as {@link openLibraryCached} does.
 */
export async function openLibraryOffThread(corpusDir: string, cacheDir: string, log?: Logger): Promise<OpenedLibrary> {
  const started = performance.now();
  const worker = startWorker(import.meta.url, './reload-worker', { corpusDir, cacheDir });
  let ready: Extract<ReloadMessage, { kind: 'cached' | 'built' }>;
  try {
    ready = await new Promise((resolve, reject) => {
      worker.once('message', (message: ReloadMessage) => {
        if (message.kind === 'cached' || message.kind === 'built') resolve(message);
        else if (message.problems !== null)
          reject(new CorpusLoadError(message.problems.map((p) => new CorpusError(p.file, p.problem, p.line))));
        else reject(new Error(`the reload worker failed: ${message.message}`));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the reload worker exited with code ${code} before it was done`)));
    });
  } finally {
    // Stopped before decoding starts, so its collector is not running beside this thread's.
    await worker.terminate();
  }
  if (ready.kind === 'cached') {
    const engine = await loadEngine(cacheFile(cacheDir, ready.key), ready.key, corpusDir);
    await yieldToLoop();
    const directory = await openDirectoryCached([...engine.articles.values()], cacheDir, ready.key, log);
    return { library: await libraryFromAsync(engine, directory), fromCache: true, ms: Math.round(performance.now() - started) };
  }
  for (const warning of ready.warnings) log?.warn({ cacheDir }, warning);
  const bytes = Buffer.from(ready.bytes.buffer, ready.bytes.byteOffset, ready.bytes.byteLength);
  const engine = await decodeEngine(bytes, ready.key ?? UNCACHED_KEY, corpusDir);
  await yieldToLoop();
  const entities = await parseEntityLines(ready.entities, new Turns());
  if (entities === null) throw new Error('the reload worker sent a malformed entity directory');
  await yieldToLoop();
  return {
    library: await libraryFromAsync(engine, new EntityDirectory(entities)),
    fromCache: false,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Opens a corpus as every entry point does — the bot, the sharding manager, the console and the
 * CLIs — from the cache when it matches, and logs one 'corpus loaded' line with what it holds.
 */
export async function openLibraryLogged(corpusDir: string, cacheDir: string, logger: Logger): Promise<CorpusLibrary> {
  const { library, fromCache, ms } = await openLibraryCached(corpusDir, cacheDir, logger);
  logger.info(
    {
      articles: library.articles.length,
      paragraphs: library.engine.index.documentCount,
      entities: library.directory.entries.length,
      fromCache,
      ms,
    },
    'corpus loaded',
  );
  return library;
}
