import { loadCorpus } from '../corpus/load.js';
import { CorpusError } from '../corpus/parse.js';
import type { Article } from '../corpus/types.js';
import { type AliasTable, loadAliases } from './aliases.js';
import { SearchEngine } from './engine.js';

/** Every problem found in a corpus folder; start-up stops with this message. */
export class CorpusLoadError extends Error {
  override readonly name = 'CorpusLoadError';
  constructor(readonly problems: readonly CorpusError[]) {
    super(
      `The corpus has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    );
  }
}

/** A corpus folder read in full: its articles and alias table. */
export interface OpenCorpus {
  readonly articles: readonly Article[];
  readonly aliases: AliasTable;
}

/** Reads articles and aliases, throwing a {@link CorpusLoadError} that lists every bad file. */
export async function openCorpus(dir: string): Promise<OpenCorpus> {
  const [{ articles, errors }, aliases] = await Promise.all([
    loadCorpus(dir),
    loadAliases(dir).catch((err: unknown) => (err instanceof CorpusError ? err : new CorpusError(dir, String(err)))),
  ]);
  const problems = [...errors, ...(aliases instanceof CorpusError ? [aliases] : [])];
  if (problems.length > 0) throw new CorpusLoadError(problems);
  return { articles, aliases: aliases as AliasTable };
}

/** Opens a corpus folder and builds its search engine. */
export async function openEngine(dir: string): Promise<SearchEngine> {
  const { articles, aliases } = await openCorpus(dir);
  return SearchEngine.build(articles, aliases);
}
