import type { Sentence } from '../../corpus/types.js';
import type { Answer, Passage } from '../engine.js';

/**
 * Constants of the semantic stage, one configuration for every corpus (docs/DESIGN.md has the
 * figures they were chosen by, on SQuAD and the project's question set together).
 */
export const SEMANTIC = {
  /** Passages asked of the lexical ranker, whose best sentences fill the pool. */
  passages: 10,
  /** Sentences re-ranked: the lexical ranker's best, across those passages. */
  pool: 10,
  /** Weight of the cosine similarity beside the lexical score (as a share of the best lexical score). */
  weight: 2,
  /**
   * Words of the title the encoder reads before each sentence: a bound on its cost (every sentence
   * pays for them) far above the titles measured (SQuAD's 1–4 words, a news headline's 9).
   */
  titleWords: 16,
} as const;

/** A sentence the semantic stage considers, with the passage it belongs to. */
export interface PoolEntry {
  readonly passage: number;
  readonly sentence: Sentence;
  readonly lexical: number;
}

/**
 * What the encoder reads for a sentence: its article's title, then the sentence. The title says what
 * a sentence is about when the sentence itself does not ("He starred in the fifth film…"); it lifted
 * SQuAD train's passage@1 from 0.798 to 0.805 (docs/DESIGN.md, "The semantic stage").
 */
export function encoderText(title: string, sentence: string): string {
  const heading = title.trim().split(/\s+/).slice(0, SEMANTIC.titleWords).join(' ');
  return heading === '' ? sentence : `${heading}: ${sentence}`;
}

/** {@link encoderText} of a pool entry's sentence. */
export function entryText(answer: Answer, entry: PoolEntry): string {
  return encoderText(answer.passages[entry.passage]?.article.title ?? '', entry.sentence.text);
}

/** The {@link SEMANTIC.pool} best sentences of an answer by lexical score, best first. */
export function sentencePool(answer: Answer, size: number = SEMANTIC.pool): PoolEntry[] {
  const entries = answer.passages.flatMap((passage, p) =>
    (passage.sentences ?? [{ sentence: passage.sentence, score: passage.score }]).map(({ sentence, score }) => ({
      passage: p,
      sentence,
      lexical: score,
    })),
  );
  // Stable: on equal scores the earlier passage, then the earlier sentence, stays ahead.
  return entries.sort((a, b) => b.lexical - a.lexical).slice(0, size);
}

/**
 * Re-orders an answer's passages by meaning as well as words: each sentence of the pool scores
 * its lexical score over the best one plus {@link SEMANTIC.weight} × its cosine similarity to the
 * question; a passage takes its best sentence's score and shows that sentence. Passages with no
 * sentence in the pool follow in their lexical order. Abstentions are the lexical ranker's and are
 * returned as they are: similarity is no evidence that a text answers (docs/DESIGN.md).
 */
export function rerank(answer: Answer, top: number, similarity: (entry: PoolEntry) => number): Answer {
  if (answer.abstained || answer.passages.length === 0) return answer;
  const pool = sentencePool(answer);
  const best = Math.max(Number.EPSILON, pool[0]?.lexical ?? 0);
  const chosen = new Map<number, { sentence: Sentence; score: number }>();
  for (const entry of pool) {
    const score = entry.lexical / best + SEMANTIC.weight * similarity(entry);
    const held = chosen.get(entry.passage);
    if (held === undefined || score > held.score) chosen.set(entry.passage, { sentence: entry.sentence, score });
  }
  const ranked = answer.passages.map((passage, p) => ({ passage, p, choice: chosen.get(p) }));
  ranked.sort((a, b) => {
    if (a.choice && b.choice) return b.choice.score - a.choice.score || a.p - b.p;
    if (a.choice || b.choice) return a.choice ? -1 : 1;
    return a.p - b.p;
  });
  const passages: Passage[] = ranked
    .slice(0, top)
    .map(({ passage, choice }) =>
      choice === undefined || choice.sentence === passage.sentence ? passage : { ...passage, sentence: choice.sentence },
    );
  return { ...answer, passages };
}
