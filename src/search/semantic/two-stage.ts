import type { Answer, AskOptions } from '../engine.js';
import { SEMANTIC } from './rerank.js';

/** What re-ranks an answer's passages by meaning; a SemanticRanker is one. */
export interface Reranker {
  rerank(question: string, answer: Answer, top: number): Promise<Answer>;
}

/** A question answered by the lexical ranker, and how to finish it with the semantic stage. */
export interface TwoStageAnswer {
  /** The lexical ranker's answer, cut to the passages asked for. */
  readonly lexical: Answer;
  /** Re-ranks by meaning; null when there is nothing to re-rank (no stage, an abstention, one passage or none). */
  readonly rerank: (() => Promise<Answer>) | null;
}

/**
 * Answers a question the way the bot does, for the bot, `npm run eval`, the bench and the quality
 * floors alike: the lexical ranker asked for enough passages to fill the semantic pool, then, when a
 * stage is given and the answer has passages to order, re-ranked by meaning.
 */
export function askInTwoStages(
  engine: { ask(question: string, options: AskOptions): Answer },
  reranker: Reranker | undefined,
  question: string,
  options: AskOptions & { readonly top: number },
): TwoStageAnswer {
  if (reranker === undefined) return { lexical: engine.ask(question, options), rerank: null };
  const answer = engine.ask(question, { ...options, top: Math.max(options.top, SEMANTIC.passages) });
  const lexical = { ...answer, passages: answer.passages.slice(0, options.top) };
  // One passage has no order to change: the ranker would return it as it is, and the bot need not defer.
  if (answer.abstained || answer.passages.length < 2) return { lexical, rerank: null };
  return { lexical, rerank: () => reranker.rerank(question, answer, options.top) };
}
