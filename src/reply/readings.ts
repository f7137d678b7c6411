import { ButtonStyle, ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { Article } from '../corpus/types.js';
import type { Entity } from '../entities/index.js';
import { COLORS, button, message } from './build.js';
import { LIMITS, escapeMarkdown, escapeUserText, truncate } from './limits.js';
import type { MessagePayload } from './types.js';

/** Custom ids of the reading form, its fields and the remove buttons. */
export const READING_IDS = {
  form: 'reading-form',
  title: 'title',
  source: 'source',
  url: 'url',
  text: 'text',
  remove: 'reading-remove',
  keep: 'reading-keep',
} as const;

/** The most a form's text field holds (Discord's limit for a text input). */
export const FORM_TEXT_MAX = 4000;

/** The form `/reading add` opens when no file is attached. */
export function readingForm(): APIModalInteractionResponseCallbackData {
  const input = (customId: string, label: string, style: TextInputStyle, required: boolean, max: number, placeholder?: string) => ({
    type: ComponentType.Label as const,
    label,
    component: {
      type: ComponentType.TextInput as const,
      custom_id: customId,
      style,
      required,
      max_length: max,
      ...(placeholder === undefined ? {} : { placeholder }),
    },
  });
  return {
    custom_id: READING_IDS.form,
    title: 'Add a reading',
    components: [
      input(READING_IDS.title, 'Title', TextInputStyle.Short, true, 256),
      input(READING_IDS.source, 'Source (optional)', TextInputStyle.Short, false, 200, 'Where it was published'),
      input(READING_IDS.url, 'Link (optional)', TextInputStyle.Short, false, 500, 'https://…'),
      input(READING_IDS.text, 'Text', TextInputStyle.Paragraph, true, FORM_TEXT_MAX, 'Paste the article; blank lines between paragraphs'),
    ],
  };
}

/** Escapes a reading's own text (a member wrote it) and shortens it for one line. */
function shown(text: string, max: number): string {
  return escapeUserText(truncate(text.replace(/\s+/g, ' ').trim(), max));
}

/** Options of {@link readingCard}. */
export interface ReadingCardOptions {
  readonly article: Article;
  readonly entities: readonly Entity[];
  readonly example: string | null;
  readonly renamedFrom: string | null;
  readonly count: number;
  readonly limit: number;
}

/** The reply to `/reading add`: the new reading's card and a question it answers. */
export function readingCard(options: ReadingCardOptions): MessagePayload {
  const { article } = options;
  const own = options.entities.filter((entity) => entity.mentions.some((mention) => mention.article === article.id));
  const names = (kinds: readonly Entity['kind'][]): string =>
    own
      .filter((entity) => kinds.includes(entity.kind))
      .slice(0, 6)
      .map((entity) => shown(entity.name, 60))
      .join(' · ') || '(none found)';
  const sections = article.sections.map((section) => `¶${section.firstParagraph} · ${shown(section.title, 80)}`);
  const meta = [
    article.source ? `**Source:** ${shown(article.source, 200)}` : null,
    article.url ? `**Link:** <${new URL(article.url).href}>` : null,
    `**Paragraphs:** ${article.paragraphs.length}`,
    options.renamedFrom ? `Saved as \`${article.id}\`: this server already had a reading \`${options.renamedFrom}\`.` : null,
  ].filter((line): line is string => line !== null);
  return message({
    embeds: [
      {
        color: COLORS.info,
        title: `Added: ${escapeMarkdown(truncate(article.title.replace(/\s+/g, ' ').trim(), LIMITS.embedTitle - 20))}`,
        description: meta.join('\n'),
        fields: [
          { name: 'Sections', value: sections.slice(0, 15).join('\n') || '(none)' },
          { name: 'People', value: names(['person']), inline: true },
          { name: 'Places and bodies', value: names(['place', 'organization']), inline: true },
          {
            name: 'Try',
            value: options.example
              ? `\`/ask question: ${shown(options.example, 200).replace(/`/g, "'")}\``
              : 'Ask `/ask` with words from it, or read it with `/passage`.',
          },
        ],
        footer: { text: `id: ${article.id} · ${options.count} of ${options.limit} readings in this server` },
      },
    ],
    ephemeral: true,
  });
}

/** `/reading list`: the server's own readings. */
export function readingList(articles: readonly Article[], limit: number, sharedTitles: number): MessagePayload {
  const lines = articles.map((article) => `• **${shown(article.title, 120)}** · \`${article.id}\` · ${article.paragraphs.length} ¶`);
  const shared =
    sharedTitles > 0
      ? `\n\nBeside these, the bot's own ${sharedTitles === 1 ? 'article is' : `${sharedTitles} articles are`} searched too.`
      : '';
  return message({
    embeds: [
      {
        color: COLORS.info,
        title: `This server's readings (${articles.length} of ${limit})`,
        description:
          articles.length === 0
            ? `None yet. Add one with \`/reading add\` and a .md or .txt file, or without a file to paste it.${shared}`
            : `${lines.join('\n')}${shared}`,
      },
    ],
    ephemeral: true,
  });
}

/** `/reading remove`: asks to confirm, with the buttons only the asker can press. */
export function removeConfirmation(article: Article, askerId: string): MessagePayload {
  return message({
    embeds: [
      {
        color: COLORS.abstain,
        title: 'Remove this reading?',
        description: `**${shown(article.title, 200)}** (\`${article.id}\`, ${article.paragraphs.length} ¶) will no longer be searched in this server. This cannot be undone.`,
      },
    ],
    buttons: [
      button(`${READING_IDS.remove}:${askerId}:${article.id}`, 'Remove', ButtonStyle.Danger),
      button(`${READING_IDS.keep}:${askerId}`, 'Keep it', ButtonStyle.Secondary),
    ],
    ephemeral: true,
  });
}

/** What the confirmation message becomes once answered. */
export function removalOutcome(text: string): MessagePayload {
  return message({ embeds: [{ color: COLORS.info, description: text }], ephemeral: true });
}

/** "Removed “Title”." with the member's title escaped. */
export function removedText(article: Article): string {
  return `Removed **${shown(article.title, 200)}** (\`${article.id}\`). It is no longer searched in this server.`;
}
