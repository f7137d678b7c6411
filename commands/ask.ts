import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { answerFrom } from '../src/bot/answering.js';
import { articleChoices, resolveArticle } from '../src/bot/articles.js';
import { booleanOption, stringOption, userOption, type Command } from '../src/bot/types.js';
import { answerMessage } from '../src/reply/answer.js';
import { noSuchArticle } from '../src/reply/build.js';

/** `/ask question [hide] [mention] [article]`: the best passages, attributed, or "the article doesn't say". */
export default {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'ask',
    description: 'Ask a question about the article; get the passages that answer it',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'question', description: 'Your question', required: true, max_length: 500 },
      { type: ApplicationCommandOptionType.Boolean, name: 'hide', description: 'Only you see the answer' },
      { type: ApplicationCommandOptionType.User, name: 'mention', description: 'Point the answer at this member (pings only them)' },
      { type: ApplicationCommandOptionType.String, name: 'article', description: 'Only search this article', autocomplete: true },
    ],
  },
  execute(request, context) {
    const library = context.library(request.guildId);
    const question = stringOption(request, 'question') ?? '';
    const articleName = stringOption(request, 'article');
    const article = articleName === undefined ? undefined : resolveArticle(library, articleName);
    if (article === null) {
      return {
        kind: 'reply',
        payload: noSuchArticle(articleName ?? ''),
      };
    }
    const mention = userOption(request, 'mention');
    const hide = booleanOption(request, 'hide') ?? false;
    return answerFrom(context, library, question, { top: 3, ...(article ? { articleId: article.id } : {}) }, hide, (answer) => ({
      kind: 'reply',
      outcome: { results: answer.passages.length, abstained: answer.abstained },
      payload: answerMessage(answer, {
        question,
        askerId: request.user.id,
        articles: article ? [article] : library.articles,
        example: library.examples(article?.id).question,
        ephemeral: hide,
        ...(mention && !hide ? { mention: mention.id } : {}),
      }),
    }));
  },
  autocomplete(focused, request, context) {
    return focused.name === 'article' ? articleChoices(context.library(request.guildId), focused.value) : [];
  },
} satisfies Command;
