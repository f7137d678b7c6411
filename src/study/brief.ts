import { stemmer } from 'stemmer';
import type { Article } from '../corpus/types.js';
import { STOP_WORDS } from '../search/stopwords.js';
import { fold } from '../text/fold.js';

/** One sentence of an article's summary, with where it stands. */
export interface BriefSentence {
  readonly paragraph: number;
  readonly section: string | null;
  readonly sentenceIndex: number;
  readonly text: string;
  readonly score: number;
}

/** Sentences shorter or longer than this (in words) are not summary material: captions, lists. */
const MIN_WORDS = 6;
const MAX_WORDS = 55;
/** Centrality is quadratic in sentences; a very long reading is ranked on its first this many. */
const MAX_SENTENCES = 400;
const DAMPING = 0.85;
const ITERATIONS = 40;
/** A candidate this similar to one already chosen says the same thing again. */
const REDUNDANT = 0.35;

function terms(text: string): string[] {
  const words = fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => word.length > 1 && !STOP_WORDS.has(word)).map((word) => stemmer(word));
}

/** Terms shared by two sorted lists of term ids. */
function sharedTerms(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/** TextRank's similarity: shared terms over the log of both lengths, so long sentences do not win by size. */
function similarity(a: Int32Array, b: Int32Array): number {
  if (a.length < 2 || b.length < 2) return 0;
  const shared = sharedTerms(a, b);
  return shared === 0 ? 0 : shared / (Math.log(a.length) + Math.log(b.length));
}

/** How many sentences a brief has: three for a short reading, up to five for a long one. */
export function briefLength(sentences: number): number {
  return Math.max(3, Math.min(5, Math.round(sentences / 12)));
}

const cache = new WeakMap<Article, BriefSentence[]>();

/**
 * The sentences that best sum up an article, extractively: TextRank over term overlap (a sentence
 * matters when sentences that matter share its words), with the random jump weighted toward the
 * opening paragraphs, since news and encyclopaedia articles both lead with the gist. The top ones that
 * do not repeat each other are returned in reading order. Works on any article; nothing is hand-picked.
 */
export function brief(article: Article, count?: number): BriefSentence[] {
  const cached = count === undefined ? cache.get(article) : undefined;
  if (cached) return cached;
  const all = article.paragraphs.flatMap((paragraph) =>
    paragraph.sentences.map((sentence) => ({ paragraph, sentence, words: sentence.text.split(/\s+/).length })),
  );
  let candidates = all.filter(({ words }) => words >= MIN_WORDS && words <= MAX_WORDS).slice(0, MAX_SENTENCES);
  if (candidates.length === 0) candidates = all.slice(0, MAX_SENTENCES);
  const n = candidates.length;
  const ids = new Map<string, number>();
  const sets = candidates.map(({ sentence }) =>
    Int32Array.from(new Set(terms(sentence.text)), (term) => {
      let id = ids.get(term);
      if (id === undefined) ids.set(term, (id = ids.size));
      return id;
    }).sort(),
  );
  const weights: Float64Array[] = sets.map(() => new Float64Array(n));
  const totals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = similarity(sets[i] as Int32Array, sets[j] as Int32Array);
      (weights[i] as Float64Array)[j] = w;
      (weights[j] as Float64Array)[i] = w;
      totals[i] = (totals[i] as number) + w;
      totals[j] = (totals[j] as number) + w;
    }
  }
  const paragraphs = article.paragraphs.length;
  const prior = candidates.map(({ paragraph }) => 1 / Math.sqrt(1 + ((paragraph.number - 1) * 10) / Math.max(paragraphs, 1)));
  const priorSum = prior.reduce((a, b) => a + b, 0) || 1;
  const jump = prior.map((p) => p / priorSum);
  // Only pairs that share a term pass rank, so each row keeps just those (a sparse matrix).
  const links = weights.map((row) => {
    const from: number[] = [];
    const share: number[] = [];
    row.forEach((w, j) => {
      if (w > 0) {
        from.push(j);
        share.push(w / (totals[j] as number));
      }
    });
    return { from: Int32Array.from(from), share: Float64Array.from(share) };
  });
  let rank = new Float64Array(n).fill(1 / Math.max(n, 1));
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const { from, share } = links[i] as { from: Int32Array; share: Float64Array };
      let sum = 0;
      for (let k = 0; k < from.length; k++) sum += (share[k] as number) * (rank[from[k] as number] as number);
      next[i] = (1 - DAMPING) * (jump[i] as number) + DAMPING * sum;
    }
    rank = next;
  }
  const order = [...rank.keys()].sort((a, b) => (rank[b] as number) - (rank[a] as number) || a - b);
  const want = count ?? briefLength(n);
  const chosen: number[] = [];
  for (const i of order) {
    if (chosen.length >= want) break;
    const set = sets[i] as Int32Array;
    const overlap = (j: number) => {
      const other = sets[j] as Int32Array;
      return sharedTerms(set, other) / Math.max(1, Math.min(set.length, other.length));
    };
    if (chosen.some((j) => overlap(j) > REDUNDANT * 2)) continue;
    chosen.push(i);
  }
  const result = chosen
    .sort((a, b) => a - b)
    .map((i) => {
      const { paragraph, sentence } = candidates[i] as (typeof candidates)[number];
      return {
        paragraph: paragraph.number,
        section: paragraph.section,
        sentenceIndex: sentence.index,
        text: sentence.text,
        score: Math.round((rank[i] as number) * n * 1000) / 1000,
      };
    });
  if (count === undefined) cache.set(article, result);
  return result;
}
