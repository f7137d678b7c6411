import { ApplicationCommandType } from 'discord-api-types/v10';
import { canManageServer, type Command } from '../src/bot/types.js';
import { COLORS, message } from '../src/reply/build.js';
import { escapeMarkdown } from '../src/reply/limits.js';

/** `/help`: every command with an example taken from the corpus. */
export default {
  data: { type: ApplicationCommandType.ChatInput, name: 'help', description: 'What each command does, with examples' },
  execute(request, context) {
    const examples = context.library(request.guildId).examples();
    // Only those who may manage the server are told about managing its readings.
    const readings =
      request.guildId !== null && canManageServer(request)
        ? [
            '**/reading add** `file` — add a reading to this server: a .md or .txt file, or without a file a form to paste it into.',
            '**/reading remove** `article` — remove one of this server’s readings (asks to confirm).',
            '**/reading list** — this server’s readings.',
          ]
        : [];
    const lines = [
      `**/ask** \`question\` — the passages that answer it, the answering sentence in bold, with article, section and ¶. Add \`hide: True\` to see it alone, \`mention:\` to point it at someone.\n  e.g. /ask question: ${escapeMarkdown(examples.question)}`,
      `**/who-is** \`name\` — who someone is in the article, with the role it gives them and where they appear.${examples.name === null ? '' : `\n  e.g. /who-is name: ${escapeMarkdown(examples.name)}`}`,
      `**/passage** \`number\` — quote a paragraph in full.\n  e.g. \`/passage number: ${examples.paragraph}\``,
      '**/article** — the article card: source, date, sections and their paragraphs, and the article in brief (its 3–5 most central sentences, each with its ¶).',
      '**/quiz** `[questions]` — multiple-choice questions from the article: a sentence with a name, place, number or date blanked, four options as buttons. Your result is shown only to you; the message counts answers without naming anyone; **Next question** (for whoever started it) goes on, and the last one shows the scores.\n  e.g. `/quiz questions: 5`',
      '**/map** — a picture of the people, places and organisations the article names, sized by mentions, joined when they appear in the same paragraph.',
      '**Find in article** — right-click (or long-press) any message → Apps → Find in article: the passages that speak to it.',
      ...readings,
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
