import { existsSync, statSync } from 'node:fs';
import { loadCorpus, readArticle } from '../corpus/load.js';
import type { Article } from '../corpus/types.js';
import { CorpusLoadError } from '../search/open.js';
import { fold } from '../text/fold.js';
import { readSquad } from '../eval/squad.js';

/** A set of readings the study tools work on, each with the articles its entity directory is built from. */
export interface Readings {
  readonly articles: readonly Article[];
  /** Articles of one SQuAD file stand alone ("one study group, one reading"); a corpus is one library. */
  readonly alone: boolean;
}

/**
 * Opens what a study CLI was pointed at: a corpus folder, one article file (`.md`), or a SQuAD JSON
 * file (every article of it, converted in memory). Throws a CorpusLoadError for a broken corpus.
 */
export async function openReadings(target: string): Promise<Readings> {
  if (target.endsWith('.json')) return { articles: (await readSquad(target)).articles, alone: true };
  if (existsSync(target) && statSync(target).isFile()) return { articles: [await readArticle(target)], alone: true };
  const { articles, errors } = await loadCorpus(target);
  if (errors.length > 0) throw new CorpusLoadError(errors);
  return { articles, alone: false };
}

/**
 * Finds the article an argument names: `FILE.json#N` (the Nth SQuAD article), a `.md` file, or an id
 * or title (case and accents aside) in the corpus folder. Null when nothing matches.
 */
export async function openArticleArg(arg: string, corpusDir: string): Promise<{ article: Article; library: readonly Article[] } | null> {
  const squad = /^(.+\.json)#(\d+)$/.exec(arg);
  if (squad?.[1] && squad[2]) {
    const article = (await readSquad(squad[1])).articles[Number(squad[2]) - 1];
    return article ? { article, library: [article] } : null;
  }
  if (arg.endsWith('.md') && existsSync(arg)) {
    const article = await readArticle(arg);
    return { article, library: [article] };
  }
  const { articles } = await openReadings(corpusDir);
  const wanted = fold(arg.trim());
  const article = articles.find((a) => a.id === arg) ?? articles.find((a) => fold(a.title) === wanted);
  return article ? { article, library: articles } : null;
}

/** {@link openArticleArg} for a CLI: says on stderr when nothing matches. */
export async function articleForCli(name: string, corpusDir: string): Promise<{ article: Article; library: readonly Article[] } | null> {
  const found = await openArticleArg(name, corpusDir);
  if (!found) process.stderr.write(`no article called “${name}”\n`);
  return found;
}
