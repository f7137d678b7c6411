import type { Library } from '../library.js';
import type { Response } from '../reply/types.js';
import type { Answer, AskOptions } from '../search/engine.js';
import { askInTwoStages } from '../search/semantic/two-stage.js';
import type { BotContext } from './types.js';

/**
 * Answers a question from a library and builds the reply. With a semantic stage the lexical ranker's
 * best passages are re-ranked in the encoder's thread first: the reply is then a `soon` deferral, which
 * the transports send directly when it is ready in time. Abstentions need no re-ranking.
 */
export function answerFrom(
  context: BotContext,
  library: Library,
  question: string,
  options: AskOptions & { readonly top: number },
  ephemeral: boolean,
  reply: (answer: Answer) => Response,
): Response {
  const { lexical, rerank } = askInTwoStages(library.engine, context.semantic, question, options);
  if (rerank === null) return reply(lexical);
  return { kind: 'defer', ephemeral, soon: true, result: async () => reply(await rerank()) };
}
