import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { stringOption, type Command } from '../src/bot/types.js';
import { LIMITS, truncate } from '../src/reply/limits.js';
import { whoIsMessage } from '../src/reply/whois.js';

/** `/who-is name`: who a person (or country, or body) is in the article, from the article's own words. */
export default {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'who-is',
    description: 'Who someone is in the article: their role and where they appear',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'name',
        description: 'A person, country or organisation',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
    ],
  },
  execute(request, context) {
    const library = context.library(request.guildId);
    const result = library.directory.lookup(stringOption(request, 'name') ?? '');
    const titleOf = (id: string): string => library.article(id)?.title ?? id;
    return { kind: 'reply', payload: whoIsMessage(result, titleOf, library.articles.length > 1) };
  },
  autocomplete(focused, request, context) {
    return context
      .library(request.guildId)
      .directory.autocomplete(focused.value, LIMITS.choices)
      .map((entity) => ({
        name: truncate(entity.role ? `${entity.name} — ${entity.role.text}` : entity.name, LIMITS.choiceName),
        value: entity.name.slice(0, LIMITS.choiceValue),
      }));
  },
} satisfies Command;
