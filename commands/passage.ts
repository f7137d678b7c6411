import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { articleChoices, resolveArticle } from '../src/bot/articles.js';
import { numberOption, stringOption, type Command } from '../src/bot/types.js';
import { noSuchArticle, notice } from '../src/reply/build.js';
import { paragraphMessage } from '../src/reply/cards.js';
import { LIMITS, escapeUserText, truncate } from '../src/reply/limits.js';
import type { Choice } from '../src/reply/types.js';

/** `/passage number [article]`: quote ¶N in full. */
export default {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'passage',
    description: 'Quote a paragraph of the article in full',
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'number',
        description: 'Paragraph number (¶)',
        required: true,
        autocomplete: true,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'article',
        description: 'Which article (when there are several)',
        autocomplete: true,
      },
    ],
  },
  execute(request, context) {
    const library = context.library(request.guildId);
    const typedArticle = stringOption(request, 'article');
    const article =
      typedArticle === undefined
        ? library.articles.length === 1
          ? library.articles[0]
          : undefined
        : resolveArticle(library, typedArticle);
    if (!article) {
      if (typedArticle !== undefined) return { kind: 'reply', payload: noSuchArticle(typedArticle) };
      return {
        kind: 'reply',
        payload: notice('There are several articles: choose one with the `article` option. See `/article` for the list.'),
      };
    }
    const number = numberOption(request, 'number');
    const count = article.paragraphs.length;
    const paragraph = number === undefined ? undefined : article.paragraphs[number - 1];
    if (!paragraph) {
      return {
        kind: 'reply',
        payload: notice(`“${escapeUserText(truncate(article.title, 200))}” has paragraphs ¶1 to ¶${count}; pick a number in that range.`),
      };
    }
    return { kind: 'reply', payload: paragraphMessage(article, paragraph) };
  },
  autocomplete(focused, request, context) {
    const library = context.library(request.guildId);
    if (focused.name === 'article') return articleChoices(library, focused.value);
    const typedArticle = stringOption(request, 'article');
    const article = typedArticle === undefined ? library.articles[0] : (resolveArticle(library, typedArticle) ?? undefined);
    if (!article) return [];
    const typed = focused.value.trim();
    const choices: Choice[] = article.paragraphs
      .filter((paragraph) =>
        // Digits pick by number ("1" → ¶1, ¶10, ¶11); words search the paragraph text.
        /^\d+$/.test(typed) ? String(paragraph.number).startsWith(typed) : paragraph.text.toLowerCase().includes(typed.toLowerCase()),
      )
      .map((paragraph) => ({ name: truncate(`¶${paragraph.number} · ${paragraph.text}`, LIMITS.choiceName), value: paragraph.number }));
    return choices.slice(0, LIMITS.choices);
  },
} satisfies Command;
