import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { LIMITS, truncate } from '../reply/limits.js';
import { sortInSlices } from '../slices.js';
import { fold } from '../text/fold.js';

/** One autocomplete choice: what the command receives (`value`) and what the user sees (`name`). */
export interface AutocompleteItem {
  readonly value: string;
  readonly name: string;
}

/** Discord's limit on an autocomplete response: at most 25 choices (names of 1 to 100 characters). */
const MAX_CHOICES: number = LIMITS.choices;
/** What a user can have typed into an option worth looking at; the rest cannot narrow it further. */
const MAX_TYPED = 100;

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

/** Folded words, possessive 's dropped and apostrophes removed: "Putin’s" → "putin", "Don't" → "dont". */
function words(text: string): string[] {
  return (fold(text).match(WORD) ?? []).map((word) => word.replace(/'s$/, '').replace(/'/g, ''));
}

/** Words joined by single spaces, so "north  korea's" and "North Korea’s" read alike. */
function phrase(text: string): string {
  return words(text).join(' ');
}

interface Prepared {
  readonly item: AutocompleteItem;
  readonly phrase: string;
  readonly words: readonly string[];
}

const usable = (item: AutocompleteItem): boolean => item.value !== '' && item.name.trim() !== '';

function prepare(item: AutocompleteItem): Prepared {
  return {
    item: { value: item.value, name: truncate(item.name.trim(), LIMITS.choiceName) },
    phrase: phrase(item.name),
    words: words(item.name),
  };
}

/** Name order, then value order for equal names. */
const byPhrase = (a: Prepared, b: Prepared): number =>
  a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : a.item.value < b.item.value ? -1 : a.item.value > b.item.value ? 1 : 0;

/** One word of one name, and the name's position in name order. */
interface Pair {
  readonly word: string;
  readonly owner: number;
}

/** Each distinct word of each name, with its owner; names in name order. */
function pairsOf(prepared: readonly Prepared[]): Pair[] {
  const pairs: Pair[] = [];
  prepared.forEach((entry, owner) => {
    for (const word of new Set(entry.words)) pairs.push({ word, owner });
  });
  return pairs;
}

const byWord = (a: Pair, b: Pair): number => (a.word < b.word ? -1 : a.word > b.word ? 1 : a.owner - b.owner);

/** Items folded per turn of the event loop by {@link TitleAutocomplete.build}. */
const ITEMS_PER_TURN = 500;

/**
 * Suggests items (articles, for the `article` option) as the user types. Every typed word must start
 * a word of the name, in any order ("put kim" finds "Kim and Putin Meet"); names that start with
 * what was typed come first, then the rest, each in name order. Case, accents and punctuation are
 * ignored. Built once per corpus: a sorted array of every name word with its item, so a question
 * costs a binary search and a scan of the words sharing the typed prefix (microseconds at 10,000
 * titles), never a pass over every name.
 */
export class TitleAutocomplete {
  /** Items in name order; indexes below refer to this order. */
  private readonly items: readonly AutocompleteItem[];
  private readonly phrases: readonly string[];
  private readonly itemWords: readonly (readonly string[])[];
  /** Every word of every name, sorted, with the item it comes from. */
  private readonly words: readonly string[];
  private readonly owners: Int32Array;

  constructor(items: readonly AutocompleteItem[], sorted?: { readonly prepared: readonly Prepared[]; readonly pairs: readonly Pair[] }) {
    const prepared = sorted?.prepared ?? items.filter(usable).map(prepare).sort(byPhrase);
    const pairs = sorted?.pairs ?? pairsOf(prepared).sort(byWord);
    this.items = prepared.map((entry) => entry.item);
    this.phrases = prepared.map((entry) => entry.phrase);
    this.itemWords = prepared.map((entry) => entry.words);
    this.words = pairs.map((pair) => pair.word);
    this.owners = Int32Array.from(pairs, (pair) => pair.owner);
  }

  /**
   * The same as the constructor, folding the names and sorting them a slice per turn of the event
   * loop: 10,000 titles take ~0.4 s, too long a pause for a bot that is answering while it reloads.
   */
  static async build(items: readonly AutocompleteItem[]): Promise<TitleAutocomplete> {
    const folded: Prepared[] = [];
    const kept = items.filter(usable);
    for (let i = 0; i < kept.length; i += 1) {
      folded.push(prepare(kept[i] as AutocompleteItem));
      if (i % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await yieldToLoop();
    }
    const prepared = await sortInSlices(folded, byPhrase);
    const pairs = await sortInSlices(pairsOf(prepared), byWord);
    return new TitleAutocomplete([], { prepared, pairs });
  }

  /** Number of items it suggests from. */
  get size(): number {
    return this.items.length;
  }

  /** Up to `limit` (at most 25) items for what has been typed so far, best first. */
  suggest(typed: string, limit = MAX_CHOICES): AutocompleteItem[] {
    const max = Math.max(0, Math.min(Math.floor(limit), MAX_CHOICES));
    if (max === 0) return [];
    const query = words(typed.slice(0, MAX_TYPED));
    if (query.length === 0) return this.items.slice(0, max);

    // Names that start with what was typed come first, in name order: one binary search over the
    // sorted names. A short prefix ("a") usually fills the list here without looking further.
    const typedPhrase = query.join(' ');
    const first: number[] = [];
    for (
      let i = lowerBound(this.phrases, typedPhrase);
      i < this.phrases.length && first.length < max && (this.phrases[i] ?? '').startsWith(typedPhrase);
      i += 1
    )
      first.push(i);
    if (first.length === max) return first.flatMap((owner) => this.items[owner] ?? []);

    // The longest typed word has the fewest names to check.
    const key = query.reduce((longest, word) => (word.length > longest.length ? word : longest));
    const candidates = new Set<number>();
    for (let i = lowerBound(this.words, key); i < this.words.length && (this.words[i] ?? '').startsWith(key); i += 1) {
      candidates.add(this.owners[i] ?? 0);
    }
    const chosen = new Set(first);
    const rest: number[] = [];
    for (const owner of candidates) {
      if (chosen.has(owner)) continue;
      const nameWords = this.itemWords[owner] ?? [];
      if (query.every((word) => nameWords.some((nameWord) => nameWord.startsWith(word)))) rest.push(owner);
    }
    return [...first, ...rest.sort((a, b) => a - b).slice(0, max - first.length)].flatMap((owner) => this.items[owner] ?? []);
  }
}

/** First index of a sorted array whose value is not less than `value`. */
function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
