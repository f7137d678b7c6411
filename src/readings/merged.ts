import type { Article } from '../corpus/types.js';
import type { Entity, WhoIsResult } from '../entities/index.js';
import { nameKey } from '../entities/tokens.js';
import type { CorpusLibrary, Library } from '../library.js';
import type { AutocompleteItem } from '../search/autocomplete.js';
import type { Answer, AskOptions, Passage } from '../search/engine.js';

const MAX_CHOICES = 25;
const MAX_SUGGESTIONS = 5;

/** Same person or place in both: one entry with both sets of mentions. */
function mergeEntities(own: Entity, shared: Entity): Entity {
  const appearsWith = new Map<string, { id: string; name: string; count: number }>();
  for (const other of [...own.appearsWith, ...shared.appearsWith]) {
    const key = nameKey(other.name);
    const seen = appearsWith.get(key);
    appearsWith.set(key, seen ? { ...seen, count: seen.count + other.count } : { ...other });
  }
  return {
    ...own,
    role: own.role ?? shared.role,
    aliases: [...new Set([...own.aliases, ...shared.aliases])],
    mentions: [...own.mentions, ...shared.mentions],
    appearsWith: [...appearsWith.values()].sort((a, b) => b.count - a.count),
  };
}

function unique<T>(items: readonly T[], key: (item: T) => string, limit: number): T[] {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push(item);
    if (kept.length === limit) break;
  }
  return kept;
}

/**
 * A server's view: its own readings (a small library of their own) beside the bot's corpus, each
 * searched by its own engine and the results merged. Nothing is rebuilt to make it: adding a
 * reading rebuilds only the server's small library, and the corpus's stays as it is.
 *
 * Answers are merged by score. Each engine shares a passage's score out over the question's weight
 * in that engine (a passage holding every word of the question once scores about 1), so scores from
 * the two engines lie on one scale and compare fairly, if not exactly: a word's weight depends on how
 * rare it is in the engine's own articles. A reading whose id the corpus also uses hides the
 * corpus's article in that server, in answers too, so an id always means one article.
 */
export function mergedLibrary(own: CorpusLibrary, shared: CorpusLibrary): Library {
  const hidden = (id: string): boolean => own.engine.articles.has(id);
  const sharedArticles = shared.articles.filter((article) => !hidden(article.id));
  const articles = [...own.articles, ...sharedArticles].sort((a, b) => a.title.localeCompare(b.title));
  const article = (id: string): Article | undefined => own.article(id) ?? shared.article(id);

  const ask = (question: string, options: AskOptions = {}): Answer => {
    if (options.articleId !== undefined)
      return (hidden(options.articleId) || !shared.article(options.articleId) ? own : shared).engine.ask(question, options);
    const top = options.top ?? 3;
    const answers = [own.engine.ask(question, { top }), shared.engine.ask(question, { top: top + own.articles.length })];
    const passages: Passage[] = answers
      .flatMap((answer, i) => (i === 1 ? answer.passages.filter((p) => !hidden(p.article.id)) : answer.passages))
      .sort((a, b) => b.score - a.score)
      .slice(0, top);
    if (passages.length > 0) return { query: question, abstained: false, reason: null, passages };
    // Out of scope and empty are properties of the question, the same for both engines.
    const reason = answers.find((answer) => answer.reason !== 'not-covered')?.reason ?? 'not-covered';
    return { query: question, abstained: true, reason, passages: [] };
  };

  const lookup = (query: string): WhoIsResult => {
    const mine = own.directory.lookup(query);
    const theirs = shared.directory.lookup(query);
    if (mine.entity && theirs.entity) {
      if (nameKey(mine.entity.name) === nameKey(theirs.entity.name)) return { ...mine, entity: mergeEntities(mine.entity, theirs.entity) };
      return { query, entity: null, ambiguous: true, suggestions: [mine.entity.name, theirs.entity.name] };
    }
    if (mine.entity) return mine;
    if (theirs.entity) return theirs;
    const suggestions = unique([...mine.suggestions, ...theirs.suggestions], nameKey, MAX_SUGGESTIONS);
    return { query, entity: null, ambiguous: mine.ambiguous || theirs.ambiguous, suggestions };
  };

  return {
    engine: { ask },
    directory: {
      lookup,
      autocomplete: (typed, limit = MAX_CHOICES) =>
        unique(
          [...own.directory.autocomplete(typed, limit), ...shared.directory.autocomplete(typed, limit)],
          (e) => nameKey(e.name),
          limit,
        ),
    },
    articles,
    article,
    examples: (articleId) => {
      const first = articleId ?? articles[0]?.id;
      return (first !== undefined && own.article(first) ? own : shared).examples(first);
    },
    titles: {
      suggest: (typed, limit = MAX_CHOICES): AutocompleteItem[] =>
        unique(
          [...own.titles.suggest(typed, limit), ...shared.titles.suggest(typed, limit).filter((item) => !hidden(item.value))],
          (item) => item.value,
          limit,
        ),
    },
  };
}
