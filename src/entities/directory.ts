import type { Article } from '../corpus/types.js';
import { LIMITS } from '../reply/limits.js';
import { editDistance } from '../text/fold.js';
import { extractEntities } from './extract.js';
import { GAZETTEER } from './gazetteer.js';
import { nameKey } from './tokens.js';
import { KIND_ORDER, type Entity, type EntityKind, type WhoIsResult } from './types.js';
import { isTitleHead } from './words.js';

/** Discord allows at most 25 autocomplete choices (src/reply/limits.ts). */
export const MAX_AUTOCOMPLETE: number = LIMITS.choices;
const MAX_SUGGESTIONS = 5;
/** A query longer than this is cut: no name is, and fuzzy matching cost grows with length. */
const MAX_QUERY_LENGTH = 200;

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'sir', 'dame', 'madam']);

/** Every name the gazetteer knows: a query for one the corpus does not mention must not be fuzzed into another. */
const GAZETTEER_KEYS: ReadonlySet<string> = new Set(
  GAZETTEER.flatMap((entry) => [entry.name, ...entry.aliases, ...entry.demonyms].map(nameKey)),
);

/**
 * How far a typed word may be from a name's word and still mean it. Short words must match exactly:
 * "Xi" is not "Kim", "Kimball" is not "Kim"; a long one may carry one slip ("shoygu", "Vladmir").
 */
function allowedDistance(length: number): number {
  if (length <= 3) return 0;
  if (length <= 8) return 1;
  return 2;
}

interface Indexed {
  readonly entity: Entity;
  /** Keys of the name and of aliases that identify it alone (not a person's lone first name or surname). */
  readonly exact: readonly string[];
  /** Each name or alias as a list of words. */
  readonly keys: readonly (readonly string[])[];
  /** Each name or alias as one string, the name first: autocomplete's prefix checks, made once. */
  readonly joined: readonly string[];
  /** Every word of every name and alias with the rest of that name from it: autocomplete's near misses. */
  readonly tails: readonly { readonly word: string; readonly rest: string; readonly letters: number }[];
  /** Persons: every word of every name and alias (first names, surnames). */
  readonly words: ReadonlySet<string>;
  readonly roleWords: ReadonlySet<string>;
}

interface Candidate {
  readonly item: Indexed;
  readonly distance: number;
  readonly roleWords: number;
}

function splitWords(key: string): string[] {
  return key === '' ? [] : key.split(' ');
}

/** The words of a query: folded, "who is" and honorifics dropped. */
function queryKey(query: string): string {
  const trimmed = query.slice(0, MAX_QUERY_LENGTH).replace(/^\s*(who|what)(\s+(is|was|are)|'s|’s)\s+/i, '');
  return splitWords(nameKey(trimmed))
    .filter((word) => !HONORIFICS.has(word))
    .join(' ');
}

/** Distance from a typed word to the closest of `pool` within the allowance, or null. */
function closest(word: string, pool: Iterable<string>, fuzzy: boolean): number | null {
  let best: number | null = null;
  for (const candidate of pool) {
    if (candidate === word) return 0;
    if (!fuzzy || candidate.length < 4) continue;
    const limit = allowedDistance(word.length);
    if (limit === 0) continue;
    const d = editDistance(word, candidate, limit);
    if (d <= limit && (best === null || d < best)) best = d;
  }
  return best;
}

/** The people, places and bodies of a corpus, and the lookups /who-is and its autocomplete need. */
export class Directory {
  readonly entries: readonly Entity[];
  private readonly indexed: readonly Indexed[];
  private readonly byId: ReadonlyMap<string, Entity>;
  private readonly exact = new Map<string, Indexed[]>();

  constructor(entries: readonly Entity[]) {
    this.entries = entries;
    this.byId = new Map(entries.map((entity) => [entity.id, entity]));
    this.indexed = entries.map((entity) => {
      const all = [entity.name, ...entity.aliases].map(nameKey).filter((key) => key !== '');
      const exact = entity.kind === 'person' ? all.filter((key, i) => i === 0 || key.includes(' ')) : all;
      const keys = all.map(splitWords);
      const item: Indexed = {
        entity,
        exact,
        keys,
        joined: keys.map((words) => words.join(' ')),
        tails: keys.flatMap((words) =>
          words.map((word, i) => {
            const rest = words.slice(i).join(' ');
            return { word, rest, letters: letterMask(rest) };
          }),
        ),
        words: new Set(all.flatMap(splitWords)),
        roleWords: new Set(entity.role === null ? [] : splitWords(nameKey(entity.role.text))),
      };
      for (const key of new Set([...exact, ...exact.map((k) => k.replace(/ /g, ''))])) {
        const list = this.exact.get(key);
        if (list === undefined) this.exact.set(key, [item]);
        else if (!list.includes(item)) list.push(item);
      }
      return item;
    });
  }

  /** The entry with this id. */
  get(id: string): Entity | undefined {
    return this.byId.get(id);
  }

  /**
   * Finds who or what a query means. Case, accents, hyphens and possessives do not matter; a lone first
   * name or surname resolves when one entry has it; a slip of a letter or two in a long word is forgiven.
   * A name the corpus does not mention gives no entity and the closest names it does mention; a name
   * that several entries share gives no entity, `ambiguous`, and those entries as suggestions.
   */
  lookup(query: string): WhoIsResult {
    const key = queryKey(query);
    if (key === '') return { query, entity: null, suggestions: [], ambiguous: false };

    const exact = this.exact.get(key) ?? this.exact.get(key.replace(/ /g, ''));
    if (exact !== undefined)
      return this.decide(
        query,
        exact.map((item) => ({ item, distance: 0, roleWords: 0 })),
      );

    const words = splitWords(key);
    const byWords = this.matchWords(words, false);
    if (byWords.length > 0) return this.decide(query, byWords);

    // A name the gazetteer knows but the corpus does not mention ("Iraq") is not a typo of one it does ("Iran").
    const known = GAZETTEER_KEYS.has(key);
    if (!known) {
      const fuzzy = [...this.matchWords(words, true), ...this.matchCompact(key)];
      if (fuzzy.length > 0) return this.decide(query, fuzzy);
    }
    return { query, entity: null, suggestions: this.suggest(key, known), ambiguous: false };
  }

  /** The best candidates win; several equally good ones make the query ambiguous. */
  private decide(query: string, candidates: readonly Candidate[]): WhoIsResult {
    const rank = (c: Candidate): number => c.distance * 10 + c.roleWords;
    const best = Math.min(...candidates.map(rank));
    const winners = [...new Set(candidates.filter((c) => rank(c) === best).map((c) => c.item))];
    const [only] = winners;
    if (winners.length === 1 && only !== undefined) return { query, entity: only.entity, suggestions: [], ambiguous: false };
    const names = winners
      .sort((a, b) => KIND_ORDER[a.entity.kind] - KIND_ORDER[b.entity.kind] || b.entity.mentions.length - a.entity.mentions.length)
      .map((item) => item.entity.name);
    return { query, entity: null, suggestions: names.slice(0, MAX_SUGGESTIONS), ambiguous: true };
  }

  /**
   * Entries whose names hold every word of the query: a person by any of their names, helped by
   * the words of their role ("President Putin", "Defense Minister"); a place or body by the words of
   * one of its names ("Korea" is both Koreas).
   */
  private matchWords(words: readonly string[], fuzzy: boolean): Candidate[] {
    const found: Candidate[] = [];
    for (const item of this.indexed) {
      if (item.entity.kind === 'person') {
        let distance = 0;
        let nameWords = 0;
        let roleWords = 0;
        let ok = true;
        for (const word of words) {
          const d = closest(word, item.words, fuzzy);
          if (d !== null) {
            distance += d;
            nameWords += 1;
            continue;
          }
          const r = closest(word, item.roleWords, fuzzy);
          if (r === null) {
            ok = false;
            break;
          }
          distance += r;
          roleWords += 1;
        }
        // A role alone ("Defense Minister") must name an office, not just a country ("Korean").
        if (ok && (nameWords > 0 || words.some((w) => isTitleHead(w)))) found.push({ item, distance, roleWords });
        continue;
      }
      let best: number | null = null;
      for (const keyWords of item.keys) {
        let distance = 0;
        for (const word of words) {
          const d = closest(word, keyWords, fuzzy);
          if (d === null) {
            distance = -1;
            break;
          }
          distance += d;
        }
        if (distance >= 0 && (best === null || distance < best)) best = distance;
      }
      if (best !== null) found.push({ item, distance: best, roleWords: 0 });
    }
    return found;
  }

  /**
   * "kimjongun", "vladimirputn": one word against names run together, with one slip at most
   * ("kimjongil" is another man).
   */
  private matchCompact(key: string): Candidate[] {
    const found: Candidate[] = [];
    if (key.includes(' ') || key.length < 6) return found;
    const compact = key;
    const limit = 1;
    for (const item of this.indexed) {
      let best: number | null = null;
      for (const name of item.exact) {
        if (!name.includes(' ')) continue;
        const d = editDistance(compact, name.replace(/ /g, ''), limit);
        if (d <= limit && (best === null || d < best)) best = d;
      }
      if (best !== null) found.push({ item, distance: best, roleWords: 0 });
    }
    return found;
  }

  /** The mentioned names closest to a query: people first, unless the query names a place or body. */
  private suggest(key: string, placeLike: boolean): string[] {
    const words = splitWords(key);
    const scored = this.indexed.map((item) => {
      let score = 0;
      for (const keyWords of item.keys) {
        let total = 0;
        for (const word of words) {
          let best = 0;
          for (const candidate of keyWords) {
            const similarity =
              candidate.startsWith(word) || word.startsWith(candidate)
                ? Math.min(word.length, candidate.length) / Math.max(word.length, candidate.length) / 2 + 0.5
                : 1 - editDistance(word, candidate) / Math.max(word.length, candidate.length);
            best = Math.max(best, similarity);
          }
          total += best;
        }
        score = Math.max(score, total / Math.max(words.length, 1));
      }
      if ((item.entity.kind === 'person') !== placeLike) score += 1;
      return { item, score };
    });
    return scored
      .sort((a, b) => b.score - a.score || b.item.entity.mentions.length - a.item.entity.mentions.length)
      .slice(0, MAX_SUGGESTIONS)
      .map(({ item }) => item.entity.name);
  }

  /**
   * Entries for an autocomplete box: names or aliases with a word starting with what is typed, then
   * near misses; people first, then bodies, then places; at most `limit` (and never more than 25).
   */
  autocomplete(typed: string, limit: number = MAX_AUTOCOMPLETE): Entity[] {
    const max = Math.max(0, Math.min(Math.floor(limit), MAX_AUTOCOMPLETE));
    if (max === 0) return [];
    const key = nameKey(typed.slice(0, MAX_QUERY_LENGTH));
    const ranked: { item: Indexed; tier: number }[] = [];
    for (const item of this.indexed) {
      const tier = key === '' ? 0 : this.completionTier(item, key);
      if (tier !== null) ranked.push({ item, tier });
    }
    return ranked
      .sort(
        (a, b) =>
          KIND_ORDER[a.item.entity.kind] - KIND_ORDER[b.item.entity.kind] ||
          a.tier - b.tier ||
          b.item.entity.mentions.length - a.item.entity.mentions.length ||
          a.item.entity.name.localeCompare(b.item.entity.name),
      )
      .slice(0, max)
      .map(({ item }) => item.entity);
  }

  /** 0: the name has a word starting with `key`; 1: an alias has; 2: a near miss; null: no match. */
  private completionTier(item: Indexed, key: string): number | null {
    const prefixOfWord = (name: string): boolean => name.startsWith(key) || name.includes(` ${key}`);
    const [name, ...aliases] = item.joined;
    if (name !== undefined && prefixOfWord(name)) return 0;
    if (aliases.some(prefixOfWord)) return 1;
    const limit = allowedDistance(key.length);
    if (limit === 0) return null;
    const near = (text: string): boolean => editDistance(key, text, limit) <= limit;
    for (const { word, rest, letters } of item.tails) {
      // Each typed letter the name lacks altogether costs an edit: too many, and no comparison is needed.
      if (missingLetters(key, letters, limit) > limit) continue;
      // What is typed so far may have dropped or doubled a letter: compare with prefixes one shorter or longer too.
      if (near(word) || near(rest.slice(0, key.length - 1)) || near(rest.slice(0, key.length)) || near(rest.slice(0, key.length + 1)))
        return 2;
    }
    return null;
  }
}

/** The letters a-z present in a text, as bits (anything else shares bit 26). */
function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i) - 97;
    mask |= 1 << (code >= 0 && code < 26 ? code : 26);
  }
  return mask;
}

/** How many characters of `key` are absent from `mask`, counting no further than `limit + 1`. */
function missingLetters(key: string, mask: number, limit: number): number {
  let missing = 0;
  for (let i = 0; i < key.length && missing <= limit; i += 1) {
    const code = key.charCodeAt(i) - 97;
    if ((mask & (1 << (code >= 0 && code < 26 ? code : 26))) === 0) missing += 1;
  }
  return missing;
}

/** Builds the directory of a corpus: run at every corpus load. */
export function buildDirectory(articles: readonly Article[]): Directory {
  return new Directory(extractEntities(articles));
}

/** The JSON shape of a /who-is answer, as the CLI prints it and the evaluation reads it. */
export function toWhoIsJson(result: WhoIsResult): {
  query: string;
  entity: null | {
    name: string;
    kind: EntityKind;
    role: string | null;
    aliases: string[];
    mentions: { article: string; paragraph: number; sentence: string }[];
  };
  suggestions: string[];
} {
  const { entity } = result;
  return {
    query: result.query,
    entity:
      entity === null
        ? null
        : {
            name: entity.name,
            kind: entity.kind,
            role: entity.role?.text ?? null,
            aliases: [...entity.aliases],
            mentions: entity.mentions.map(({ article, paragraph, sentence }) => ({ article, paragraph, sentence })),
          },
    suggestions: [...result.suggestions],
  };
}
