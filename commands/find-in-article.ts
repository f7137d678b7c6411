import { ApplicationCommandType } from 'discord-api-types/v10';
import { answerFrom } from '../src/bot/answering.js';
import type { Command } from '../src/bot/types.js';
import { answerMessage } from '../src/reply/answer.js';
import { notice } from '../src/reply/build.js';

/** Messages longer than this are searched by their opening: a long post's first lines carry its point. */
const MAX_QUERY_CHARACTERS = 600;

/** Message context menu "Find in article": the passages that speak to a message in the discussion. */
export default {
  data: { type: ApplicationCommandType.Message, name: 'Find in article' },
  execute(request, context) {
    const content = request.targetMessage?.content.trim() ?? '';
    if (content === '') {
      return { kind: 'reply', payload: notice('That message has no text to look up (only attachments or embeds).') };
    }
    const library = context.library(request.guildId);
    return answerFrom(context, library, content.slice(0, MAX_QUERY_CHARACTERS), { top: 3 }, false, (answer) => ({
      kind: 'reply',
      outcome: { results: answer.passages.length, abstained: answer.abstained },
      payload: answerMessage(answer, {
        question: content,
        askerId: request.user.id,
        articles: library.articles,
        example: library.examples().question,
        label: 'Message',
      }),
    }));
  },
} satisfies Command;
