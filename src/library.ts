import type { Logger } from 'pino';
import type { Article } from './corpus/types.js';
import { buildDirectory, type Directory } from './entities/index.js';
import { openCorpus } from './search/open.js';
import { TitleAutocomplete } from './search/autocomplete.js';
import { openEngineCached } from './search/cache.js';
import { openDirectoryCached } from './entities/cached.js';
import { SearchEngine } from './search/engine.js';
import { examplesFor, type Examples } from './reply/examples.js';

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
  /** Examples to show users, from this article (default: the first in display order). */
  examples(articleId?: string): Examples;
}

/** Wraps a built engine into a library with its entity directory (built here when not given). */
export function libraryFrom(engine: SearchEngine, directory: Directory = buildDirectory([...engine.articles.values()])): Library {
  const articles = [...engine.articles.values()].sort((a, b) => a.title.localeCompare(b.title));
  const titles = new TitleAutocomplete(articles.map((article) => ({ value: article.id, name: article.title })));
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

/** Reads a corpus folder and builds its library; throws a CorpusLoadError naming each bad file. */
export async function openLibrary(corpusDir: string): Promise<Library> {
  const { articles, aliases } = await openCorpus(corpusDir);
  return libraryFrom(SearchEngine.build(articles, aliases));
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
export async function openLibraryCached(corpusDir: string, cacheDir: string, log?: Logger): Promise<OpenedLibrary> {
  const started = performance.now();
  const { engine, fromCache, key } = await openEngineCached(corpusDir, cacheDir, log);
  const directory = await openDirectoryCached([...engine.articles.values()], corpusDir, cacheDir, key, log);
  return { library: libraryFrom(engine, directory), fromCache, ms: Math.round(performance.now() - started) };
}

/**
 * Opens a corpus as every entry point does — the bot, the sharding manager, the console and the
 * CLIs — from the cache when it matches, and logs one 'corpus loaded' line with what it holds.
 */
export async function openLibraryLogged(corpusDir: string, cacheDir: string, logger: Logger): Promise<Library> {
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
