import { ApplicationCommandType } from 'discord-api-types/v10';
import { ARTICLE_OPTION, articleChoices, resolveArticle } from '../src/bot/articles.js';
import { stringOption, type Command } from '../src/bot/types.js';
import { noSuchArticle } from '../src/reply/build.js';
import { articleCard, articleList } from '../src/reply/cards.js';
import { brief } from '../src/study/brief.js';

/** `/article [article]`: the article card, or the list when there are several. */
export default {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'article',
    description: 'What the article is: source, sections, the article in brief, and how to ask',
    options: [ARTICLE_OPTION],
  },
  execute(request, context) {
    const library = context.library(request.guildId);
    const typed = stringOption(request, 'article');
    if (typed === undefined) {
      const only = library.articles.length === 1 ? library.articles[0] : undefined;
      return { kind: 'reply', payload: only ? articleCard(only, library.examples(only.id), brief(only)) : articleList(library.articles) };
    }
    const article = resolveArticle(library, typed);
    if (!article)
      return {
        kind: 'reply',
        payload: noSuchArticle(typed),
      };
    return { kind: 'reply', payload: articleCard(article, library.examples(article.id), brief(article)) };
  },
  autocomplete(focused, request, context) {
    return articleChoices(context.library(request.guildId), focused.value);
  },
} satisfies Command;
