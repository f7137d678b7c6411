import { ApplicationCommandOptionType, ApplicationCommandType, PermissionFlagsBits } from 'discord-api-types/v10';
import { resolveArticle } from '../src/bot/articles.js';
import { attachmentOption, canManageServer, stringOption, type BotContext, type Command } from '../src/bot/types.js';
import { NOT_ALLOWED, SERVER_ONLY, addedReply, refusalReply } from '../src/bot/readings.js';
import { notice } from '../src/reply/build.js';
import { LIMITS, escapeUserText, truncate } from '../src/reply/limits.js';
import { readingForm, readingList, removeConfirmation } from '../src/reply/readings.js';
import { TitleAutocomplete } from '../src/search/autocomplete.js';

function ownReadings(context: BotContext, guildId: string) {
  const articles = context.readings?.readings(guildId) ?? [];
  return { articles, article: (id: string) => articles.find((article) => article.id === id) };
}

/** `/reading add|remove|list`: a server's moderators manage the server's own reading list. */
export default {
  // Moderators' replies: the cards, the list and the confirmation are for them alone.
  ephemeral: true,
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'reading',
    description: 'Manage this server’s readings: articles the bot answers questions about here',
    // Discord hides the command from members without Manage Server; the handler checks again.
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Add a reading from a .md or .txt file, or paste one into a form (no file)',
        options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'A Markdown (.md) or text (.txt) file' }],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: 'Remove one of this server’s readings',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'article',
            description: 'Which reading',
            required: true,
            autocomplete: true,
          },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'This server’s readings' },
    ],
  },
  execute(request, context) {
    const readings = context.readings;
    const guildId = request.guildId;
    if (guildId === null || !readings) return { kind: 'reply', payload: SERVER_ONLY };
    if (request.subcommand === 'list') {
      return { kind: 'reply', payload: readingList(readings.readings(guildId), readings.limit, readings.sharedCount) };
    }
    if (!canManageServer(request)) return { kind: 'reply', payload: NOT_ALLOWED };
    if (request.subcommand === 'add') {
      const file = attachmentOption(request, 'file');
      if (!file) return { kind: 'modal', modal: readingForm() };
      return {
        kind: 'defer',
        ephemeral: true,
        result: () => readings.addAttachment(guildId, file, request.user.id).then(addedReply, refusalReply),
      };
    }
    if (request.subcommand === 'remove') {
      const typed = stringOption(request, 'article') ?? '';
      const article = resolveArticle(ownReadings(context, guildId), typed);
      if (!article)
        return {
          kind: 'reply',
          payload: notice(`This server has no reading called “${truncate(escapeUserText(typed), 200)}”. See \`/reading list\`.`),
        };
      return { kind: 'reply', payload: removeConfirmation(article, request.user.id) };
    }
    return { kind: 'reply', payload: notice('Use `/reading add`, `/reading remove` or `/reading list`.') };
  },
  autocomplete(focused, request, context) {
    if (focused.name !== 'article' || request.guildId === null) return [];
    const { articles } = ownReadings(context, request.guildId);
    return new TitleAutocomplete(articles.map((article) => ({ value: article.id, name: article.title })))
      .suggest(focused.value, LIMITS.choices)
      .map((item) => ({ name: truncate(item.name, LIMITS.choiceName), value: item.value }));
  },
} satisfies Command;
