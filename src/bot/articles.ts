import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { Article } from '../corpus/types.js';
import type { Library } from '../library.js';
import { COLORS, notice } from '../reply/build.js';
import type { Choice, MessagePayload } from '../reply/types.js';
import { LIMITS, escapeUserText, truncate } from '../reply/limits.js';
import { fold } from '../text/fold.js';

/** The `article` option of commands that work on one article, autocompleted from the titles. */
export const ARTICLE_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'article',
  description: 'Which article (when there are several)',
  autocomplete: true,
} as const;

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

/**
 * The one article a study command works on: the one named, or the only one in the corpus. Otherwise a
 * notice saying what to pick, for the command to send instead.
 */
export function studyArticle(library: Library, typed: string | undefined, command: string): Article | MessagePayload {
  if (typed === undefined) {
    const only = library.articles.length === 1 ? library.articles[0] : undefined;
    return (
      only ??
      notice(`There are ${library.articles.length} articles: pick one with \`/${command} article:\` (it autocompletes).`, COLORS.abstain)
    );
  }
  return (
    resolveArticle(library, typed) ??
    notice(`There is no article called “${truncate(escapeUserText(typed), 200)}”. Pick one from the list, or see \`/article\`.`)
  );
}

/** Whether {@link studyArticle} found an article (rather than a notice). */
export function isArticle(value: Article | MessagePayload): value is Article {
  return 'paragraphs' in value;
}
