import type { Article } from './corpus/types.js';
import { buildDirectory, type Directory } from './entities/index.js';
import { openCorpus } from './search/open.js';
import { TitleAutocomplete } from './search/autocomplete.js';
import { openEngineCached } from './search/cache.js';
import { openDirectoryCached } from './entities/cached.js';
import { Directory as EntityDirectory, type Entity } from './entities/index.js';
import { CorpusError } from './corpus/parse.js';
import { CorpusLoadError } from './search/open.js';
import { cacheFile, decodeEngine, loadEngine, UNCACHED_KEY } from './search/cache.js';
import { startWorker } from './worker.js';
import type { ReloadMessage } from './reload-worker.js';
import { SearchEngine } from './search/engine.js';

/** Everything built from one version of the corpus; replaced whole on reload, never mutated. */
export interface Library {
  readonly engine: SearchEngine;
  readonly directory: Directory;
  /** Articles in display order (by title), for pickers and the article list. */
  readonly articles: readonly Article[];
  /** The article with this id. */
  article(id: string): Article | undefined;
  /** Article titles for autocomplete, fast at thousands of articles. */
  readonly titles: TitleAutocomplete;
}

/** Titles in the order `localeCompare` gives (the same locale data), at a fraction of its cost. */
const TITLE_ORDER = new Intl.Collator();

/** Articles in display order (by title). */
function byTitle(engine: SearchEngine): Article[] {
  return [...engine.articles.values()].sort((a, b) => TITLE_ORDER.compare(a.title, b.title));
}

/** Wraps a built engine into a library with its entity directory (built here when not given). */
export function libraryFrom(engine: SearchEngine, directory: Directory = buildDirectory([...engine.articles.values()])): Library {
  const articles = byTitle(engine);
  const titles = new TitleAutocomplete(articles.map((article) => ({ value: article.id, name: article.title })));
  return { engine, directory, articles, titles, article: (id) => engine.articles.get(id) };
}

/** {@link libraryFrom} without a long pause: the title autocomplete is built a slice per turn. */
async function libraryFromAsync(engine: SearchEngine, directory: Directory): Promise<Library> {
  const articles = byTitle(engine);
  const titles = await TitleAutocomplete.build(articles.map((article) => ({ value: article.id, name: article.title })));
  return { engine, directory, articles, titles, article: (id) => engine.articles.get(id) };
}

/** Reads a corpus folder and builds its library; throws a CorpusLoadError naming each bad file. */
export async function openLibrary(corpusDir: string): Promise<Library> {
  const { articles, aliases } = await openCorpus(corpusDir);
  return libraryFrom(SearchEngine.build(articles, aliases));
}

/** Logger methods the cached open uses; a pino logger fits. */
interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What {@link openLibraryCached} found. */
export interface OpenedLibrary {
  readonly library: Library;
  readonly fromCache: boolean;
  readonly ms: number;
}

/**
 * Opens a corpus the way the bot does: search index and entity directory from the cache in
 * `cacheDir` when they match the corpus, else built and cached. Throws a CorpusLoadError on a bad corpus.
 */
export async function openLibraryCached(corpusDir: string, cacheDir: string, log?: Log): Promise<OpenedLibrary> {
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
export async function openLibraryOffThread(corpusDir: string, cacheDir: string, log?: Log): Promise<OpenedLibrary> {
  const started = performance.now();
  const worker = startWorker(import.meta.url, './reload-worker', { corpusDir, cacheDir });
  const entities: Entity[] = [];
  let result: Extract<ReloadMessage, { kind: 'cached' | 'built' }> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: ReloadMessage) => {
        if (message.kind === 'cached' || message.kind === 'built') result = message;
        else if (message.kind === 'entities') for (const entity of message.batch) entities.push(entity as Entity);
        else if (message.kind === 'done') resolve();
        else if (message.problems !== null)
          reject(new CorpusLoadError(message.problems.map((p) => new CorpusError(p.file, p.problem, p.line))));
        else reject(new Error(`the reload worker failed: ${message.message}`));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the reload worker exited with code ${code} before it was done`)));
    });
  } finally {
    void worker.terminate();
  }
  if (result === undefined) throw new Error('the reload worker sent no index');
  if (result.kind === 'cached') {
    const engine = await loadEngine(cacheFile(cacheDir, result.key), result.key, corpusDir);
    const directory = await openDirectoryCached([...engine.articles.values()], cacheDir, result.key, log);
    return { library: await libraryFromAsync(engine, directory), fromCache: true, ms: Math.round(performance.now() - started) };
  }
  for (const warning of result.warnings) log?.warn({ cacheDir }, warning);
  const bytes = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
  const engine = await decodeEngine(bytes, result.key ?? UNCACHED_KEY, corpusDir);
  return {
    library: await libraryFromAsync(engine, new EntityDirectory(entities)),
    fromCache: false,
    ms: Math.round(performance.now() - started),
  };
}
