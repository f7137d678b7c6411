import { ApplicationCommandType } from 'discord-api-types/v10';
import type { Command } from '../src/bot/types.js';
import { COLORS, message } from '../src/reply/build.js';
import { escapeMarkdown } from '../src/reply/limits.js';

/** `/help`: every command with an example taken from the corpus. */
export default {
  data: { type: ApplicationCommandType.ChatInput, name: 'help', description: 'What each command does, with examples' },
  execute(_request, context) {
    const examples = context.library().examples();
    const lines = [
      `**/ask** \`question\` — the passages that answer it, the answering sentence in bold, with article, section and ¶. Add \`hide: True\` to see it alone, \`mention:\` to point it at someone.\n  e.g. /ask question: ${escapeMarkdown(examples.question)}`,
      `**/who-is** \`name\` — who someone is in the article, with the role it gives them and where they appear.${examples.name === null ? '' : `\n  e.g. /who-is name: ${escapeMarkdown(examples.name)}`}`,
      `**/passage** \`number\` — quote a paragraph in full.\n  e.g. \`/passage number: ${examples.paragraph}\``,
      '**/article** — the article card: source, date, sections and their paragraphs.',
      '**Find in article** — right-click (or long-press) any message → Apps → Find in article: the passages that speak to it.',
      '',
      "When the article doesn't answer a question, the bot says so instead of guessing.",
    ];
    return {
      kind: 'reply',
      payload: message({
        embeds: [{ color: COLORS.info, title: 'How to use the article bot', description: lines.join('\n') }],
        ephemeral: true,
      }),
    };
  },
} satisfies Command;
