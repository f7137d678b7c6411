import { articleDirectory } from '../src/study/directory.js';
import { ApplicationCommandType } from 'discord-api-types/v10';
import { ARTICLE_OPTION, articleChoices, isArticle, studyArticle } from '../src/bot/articles.js';
import { stringOption, type Command } from '../src/bot/types.js';
import { COLORS, notice } from '../src/reply/build.js';
import { mapMessage } from '../src/reply/cards.js';
import { buildGraph } from '../src/study/graph.js';
import { renderMap } from '../src/study/picture.js';

/** `/map [article]`: a picture of the article's people, places and organisations and who appears with whom. */
export default {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'map',
    description: 'A picture of who and what the article names, and which appear together',
    options: [ARTICLE_OPTION],
  },
  execute(request, context) {
    const library = context.library(request.guildId);
    const article = studyArticle(library, stringOption(request, 'article'), 'map');
    if (!isArticle(article)) return { kind: 'reply', payload: article };
    if (buildGraph(article, articleDirectory(article)).nodes.length === 0)
      return { kind: 'reply', payload: notice('The article names no people, places or organisations to draw.', COLORS.abstain) };
    // Drawing takes tens of milliseconds, more under load: deferred, so the 3-second window is never at stake.
    return {
      kind: 'defer',
      ephemeral: false,
      result: () =>
        renderMap(article, articleDirectory(article)).then((picture) => ({
          kind: 'reply',
          outcome: { results: 1, abstained: false },
          payload: mapMessage(article, picture.png, picture.graph.nodes.length, picture.graph.omitted),
        })),
    };
  },
  autocomplete(focused, request, context) {
    return focused.name === 'article' ? articleChoices(context.library(request.guildId), focused.value) : [];
  },
} satisfies Command;
