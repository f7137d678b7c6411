import type { Article } from './corpus/types.js';
import { buildDirectory, type Directory } from './entities/index.js';
import type { SearchEngine } from './search/engine.js';
import { openCorpus } from './search/open.js';
import { SearchEngine as Engine } from './search/engine.js';

/** Everything built from one version of the corpus; replaced whole on reload, never mutated. */
export interface Library {
  readonly engine: SearchEngine;
  readonly directory: Directory;
  readonly articles: readonly Article[];
  /** Articles in display order (by title), for pickers and the article list. */
  article(id: string): Article | undefined;
}

/** Wraps a built engine into a library with its entity directory. */
export function libraryFrom(engine: SearchEngine): Library {
  const articles = [...engine.articles.values()].sort((a, b) => a.title.localeCompare(b.title));
  const directory = buildDirectory(articles);
  return { engine, directory, articles, article: (id) => engine.articles.get(id) };
}

/** Reads a corpus folder and builds its library; throws a CorpusLoadError naming each bad file. */
export async function openLibrary(corpusDir: string): Promise<Library> {
  const { articles, aliases } = await openCorpus(corpusDir);
  return libraryFrom(Engine.build(articles, aliases));
}
