import type { Paragraph, Sentence } from '../corpus/types.js';
import { terms, tokenize, type Token } from './analyzer.js';
import { hasType } from './answer-type.js';
import type { Query } from './query.js';

/**
 * Constants of sentence scoring. BM25's k1 and b are the usual values; the rest were chosen on the
 * SQuAD development files and the project's question set together (docs/DESIGN.md has the figures).
 */
export const SCORING = {
  k1: 1.2,
  b: 0.6,
  /** Weight of the whole paragraph's BM25 beside its sentence's. */
  paragraph: 0.5,
  /** Weight of the neighbouring sentences' BM25: an answer often continues the sentence before. */
  neighbours: 0.1,
  /** Weight of question words found only in the section heading or the article title. */
  heading: 0.3,
  /** Score multiplier for a sentence that holds what a "when" or "how many" question asks for. */
  typeBonus: 0.3,
  /**
   * Characters of a paragraph scored sentence by sentence. A paragraph can be any length, a question
   * must cost a bounded time: past this, sentences are not scored (the corpus check warns of such
   * paragraphs; the paragraph is still found, and its first sentences still answer).
   */
  maxScan: 20_000,
  /**
   * Weight of a pair of question words that stand side by side in the sentence as in the question,
   * counted once per sentence (and paragraph) however often it repeats.
   */
  bigram: 0.5,
  /** The same for the paragraph. */
  bigramParagraph: 0.1,
  /**
   * Weight of the question words a sentence holds, each counted once whatever the sentence's length:
   * BM25's length normalisation alone prefers a short sentence with one word to a long one with all.
   */
  coverage: 0.75,
  /** Sentences of a paragraph kept with their scores for a later stage to re-rank. */
  keptSentences: 3,
} as const;

/** One weighted word of the question as the scorer sees it. */
export interface WeightedGroup {
  readonly weight: number;
}

/** A paragraph retrieved for a question. */
export interface Candidate {
  readonly paragraph: Paragraph;
  readonly title: string;
}

/** A paragraph scored for a question: its best sentence and what matched. */
export interface Scored {
  readonly paragraph: Paragraph;
  readonly sentence: Sentence;
  readonly score: number;
  /** Character ranges in the paragraph text of the words that matched the question. */
  readonly highlights: readonly { start: number; end: number }[];
  /** Groups (indexes into the question's groups) found in the paragraph text, heading or title. */
  readonly matched: ReadonlySet<number>;
  /** Its best {@link SCORING.keptSentences} sentences with their scores, best first (`sentence` is the first). */
  readonly sentences: readonly { readonly sentence: Sentence; readonly score: number }[];
}

/** A paragraph's text as terms, each with its sentence, and its heading terms: computed once, kept a while. */
interface Analysed {
  readonly tokens: readonly Token[];
  readonly sentenceOf: Int32Array;
  readonly sentenceLengths: Int32Array;
  readonly heading: readonly string[];
}

/** Average lengths in terms, for BM25's length normalisation. */
export interface Averages {
  readonly paragraph: number;
  readonly sentence: number;
}

const CACHED_PARAGRAPHS = 4_096;

/** The analysed text of recently scored paragraphs, in a bounded map (least recently used dropped). */
export class ParagraphTerms {
  private readonly cache = new Map<Paragraph, Analysed>();

  constructor(readonly averages: Averages) {}

  get(paragraph: Paragraph, title: string): Analysed {
    const hit = this.cache.get(paragraph);
    if (hit !== undefined) {
      this.cache.delete(paragraph);
      this.cache.set(paragraph, hit);
      return hit;
    }
    const text = paragraph.text.length > SCORING.maxScan ? paragraph.text.slice(0, SCORING.maxScan) : paragraph.text;
    const tokens = tokenize(text);
    const sentences = paragraph.sentences;
    const sentenceOf = new Int32Array(tokens.length);
    const sentenceLengths = new Int32Array(Math.max(1, sentences.length));
    let s = 0;
    tokens.forEach((token, i) => {
      while (s + 1 < sentences.length && token.start >= (sentences[s]?.end ?? 0)) s += 1;
      sentenceOf[i] = s;
      sentenceLengths[s] = (sentenceLengths[s] ?? 0) + 1;
    });
    const analysed = { tokens, sentenceOf, sentenceLengths, heading: terms(`${paragraph.section ?? ''} ${title}`) };
    this.cache.set(paragraph, analysed);
    if (this.cache.size > CACHED_PARAGRAPHS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    return analysed;
  }
}

/** Inserts `item` into `kept` (best first, at most `limit`); on equal scores the earlier sentence stays first. */
function keep<T extends { score: number }>(kept: T[], item: T, limit: number): void {
  let at = kept.length;
  while (at > 0 && (kept[at - 1]?.score ?? 0) < item.score) at -= 1;
  if (at >= limit) return;
  kept.splice(at, 0, item);
  if (kept.length > limit) kept.pop();
}

function saturate(tf: number, length: number, average: number): number {
  if (tf === 0) return 0;
  const { k1, b } = SCORING;
  return (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / Math.max(1, average)));
}

/**
 * Scores every sentence of the candidate paragraphs: BM25 of the sentence over the question's
 * weighted words, plus a share of its paragraph's BM25, of its neighbours', and of words found
 * only in the heading or title; a sentence holding what a typed question asks for scores more.
 * Returns each paragraph with its best sentence, best first.
 */
export function scoreCandidates(
  query: Query,
  groups: readonly WeightedGroup[],
  matcher: ReadonlyMap<string, number>,
  candidates: readonly Candidate[],
  analysed: ParagraphTerms,
): Scored[] {
  const n = groups.length;
  const weights = groups.map((g) => g.weight);
  const { averages } = analysed;
  const scored: Scored[] = [];
  for (const candidate of candidates) {
    const { paragraph } = candidate;
    const { tokens, sentenceOf, sentenceLengths, heading } = analysed.get(paragraph, candidate.title);
    const sentenceCount = sentenceLengths.length;
    const tfParagraph = new Float64Array(n);
    const tfSentence = new Float64Array(n * sentenceCount);
    const highlights: { start: number; end: number }[] = [];
    const pairs = new Float64Array(sentenceCount);
    // A pair is counted once in the paragraph (key: its first group) and once per sentence.
    const seenPairs = new Set<number>();
    let paragraphPairs = 0;
    let previous = -1;
    let previousSentence = -1;
    tokens.forEach((token, i) => {
      const g = matcher.get(token.term);
      if (g === undefined) {
        previous = -1;
        return;
      }
      const sameSentence = previousSentence === (sentenceOf[i] ?? 0);
      if (previous !== -1 && Math.abs(previous - g) === 1) {
        const pairWeight = ((weights[g] ?? 0) + (weights[previous] ?? 0)) / 2;
        const s = sentenceOf[i] ?? 0;
        const pair = Math.min(g, previous);
        if (!seenPairs.has(pair)) paragraphPairs += pairWeight;
        if (sameSentence && !seenPairs.has(n + s * n + pair)) pairs[s] = (pairs[s] ?? 0) + pairWeight;
        seenPairs.add(pair).add(n + s * n + pair);
      }
      previous = g;
      previousSentence = sentenceOf[i] ?? 0;
      const s = sentenceOf[i] ?? 0;
      tfParagraph[g] = (tfParagraph[g] ?? 0) + 1;
      tfSentence[s * n + g] = (tfSentence[s * n + g] ?? 0) + 1;
      highlights.push({ start: token.start, end: token.end });
    });
    const matched = new Set<number>();
    let paragraphScore = 0;
    for (let g = 0; g < n; g += 1) {
      if ((tfParagraph[g] ?? 0) === 0) continue;
      matched.add(g);
      paragraphScore += (weights[g] ?? 0) * saturate(tfParagraph[g] ?? 0, tokens.length, averages.paragraph);
    }
    let headingScore = 0;
    for (const term of heading) {
      const g = matcher.get(term);
      if (g !== undefined && !matched.has(g)) {
        matched.add(g);
        headingScore += weights[g] ?? 0;
      }
    }
    const sentenceScores = new Float64Array(sentenceCount);
    for (let s = 0; s < sentenceCount; s += 1) {
      let sum = 0;
      let held = 0;
      for (let g = 0; g < n; g += 1) {
        const tf = tfSentence[s * n + g] ?? 0;
        sum += (weights[g] ?? 0) * saturate(tf, sentenceLengths[s] ?? 0, averages.sentence);
        if (tf > 0) held += weights[g] ?? 0;
      }
      sentenceScores[s] = sum + SCORING.bigram * (pairs[s] ?? 0) + SCORING.coverage * held;
    }
    const base = SCORING.paragraph * paragraphScore + SCORING.heading * headingScore + SCORING.bigramParagraph * paragraphPairs;
    const ranked: { sentence: Sentence; score: number }[] = [];
    for (let s = 0; s < sentenceCount; s += 1) {
      const sentence = paragraph.sentences[s];
      if (sentence === undefined) continue;
      let score = (sentenceScores[s] ?? 0) + base + SCORING.neighbours * ((sentenceScores[s - 1] ?? 0) + (sentenceScores[s + 1] ?? 0));
      if (query.type !== null && (sentenceScores[s] ?? 0) > 0 && hasType(query.type, sentence.text)) score *= 1 + SCORING.typeBonus;
      keep(ranked, { sentence, score: Math.max(0, score) }, SCORING.keptSentences);
    }
    const best = ranked[0] ?? { sentence: { index: 0, text: paragraph.text, start: 0, end: paragraph.text.length }, score: 0 };
    scored.push({
      paragraph,
      sentence: best.sentence,
      score: best.score,
      highlights,
      matched,
      sentences: ranked.length > 0 ? ranked : [best],
    });
  }
  return scored.sort((a, b) => b.score - a.score);
}
