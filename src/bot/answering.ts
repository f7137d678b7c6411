import type { Library } from '../library.js';
import type { Response } from '../reply/types.js';
import type { Answer, AskOptions } from '../search/engine.js';
import { SEMANTIC } from '../search/semantic/rerank.js';
import type { BotContext } from './types.js';

/** What re-ranks an answer's passages by meaning; a SemanticRanker is one. */
export interface Reranker {
  rerank(question: string, answer: Answer, top: number): Promise<Answer>;
}

/**
 * Answers a question from a library and builds the reply. With a semantic stage the lexical ranker's
 * best passages are re-ranked in the encoder's thread first: the reply is then a `soon` deferral, which
 * the transports send directly when it is ready in time. Abstentions and single passages need no re-ranking.
 */
export function answerFrom(
  context: BotContext,
  library: Library,
  question: string,
  options: AskOptions & { readonly top: number },
  ephemeral: boolean,
  reply: (answer: Answer) => Response,
): Response {
  const semantic = context.semantic;
  if (semantic === undefined) return reply(library.engine.ask(question, options));
  const answer = library.engine.ask(question, { ...options, top: Math.max(options.top, SEMANTIC.passages) });
  if (answer.abstained || answer.passages.length < 2) return reply({ ...answer, passages: answer.passages.slice(0, options.top) });
  return { kind: 'defer', ephemeral, soon: true, result: async () => reply(await semantic.rerank(question, answer, options.top)) };
}
