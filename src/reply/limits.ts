import { escapeMarkdown as escapeDiscordMarkdown } from '@discordjs/formatters';

/** Discord's message and embed limits (Discord API docs, "Embed Limits" and "Create Message"). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  embeds: 10,
  buttonLabel: 80,
  customId: 100,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
} as const;

const ELLIPSIS = '…';

/**
 * Shortens text to at most `max` characters, cutting at the last sentence end that fits, else the
 * last word, and marking the cut with "…". Never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? ELLIPSIS : '';
  const room = text.slice(0, max - 1);
  const sentenceEnd = Math.max(...['. ', '! ', '? ', '.\n', '\n\n'].map((mark) => room.lastIndexOf(mark)));
  let cut: number;
  if (sentenceEnd > max * 0.5) cut = sentenceEnd + 1;
  else {
    const space = room.lastIndexOf(' ');
    cut = space > max * 0.5 ? space : room.length;
  }
  // A lone high surrogate at the cut would render as a replacement character.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * Makes user-typed text inert in a Discord message: Markdown characters are escaped, mentions and
 * invite-style links cannot form, and control and zero-width characters are removed.
 */
export function escapeUserText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
      .replace(/[\\*_~`|>#\-[\]()<:]/g, (ch) => `\\${ch}`)
      .replace(/@/g, '@\u200b')
      .replace(/\n{3,}/g, '\n\n')
  );
}

/**
 * Escapes Markdown in trusted text (corpus paragraphs) so stray asterisks do not format it:
 * discord.js's own escaper (@discordjs/formatters) for bold, italics, underline, strikethrough,
 * spoilers and code, and a zero-width space after "@" so no mention can form.
 */
export function escapeMarkdown(text: string): string {
  return escapeDiscordMarkdown(text).replace(/@/g, '@\u200b');
}
