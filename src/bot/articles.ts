import type { Article } from '../corpus/types.js';
import type { Library } from '../library.js';
import type { Choice } from '../reply/types.js';
import { LIMITS, truncate } from '../reply/limits.js';
import { fold } from '../text/fold.js';

/**
 * Finds the article a user named: by id (what autocomplete sends), else by title typed by hand,
 * exactly or as the only title containing what was typed.
 */
export function resolveArticle(library: Pick<Library, 'article' | 'articles'>, typed: string): Article | null {
  const byId = library.article(typed.trim());
  if (byId) return byId;
  const wanted = fold(typed).replace(/\s+/g, ' ').trim();
  if (wanted === '') return null;
  const exact = library.articles.find((article) => fold(article.title) === wanted);
  if (exact) return exact;
  const containing = library.articles.filter((article) => fold(article.title).includes(wanted));
  return containing.length === 1 ? (containing[0] ?? null) : null;
}

/** Autocomplete choices for an article option: titles whose words start with the typed words, at most 25. */
export function articleChoices(library: Pick<Library, 'titles'>, typed: string): Choice[] {
  return library.titles
    .suggest(typed, LIMITS.choices)
    .map((item) => ({ name: truncate(item.name, LIMITS.choiceName), value: item.value.slice(0, LIMITS.choiceValue) }));
}
