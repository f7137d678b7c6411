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
  /** Files a message may carry, and bytes per file: 10 MiB, the smallest upload limit a server has. */
  files: 10,
  fileBytes: 10 * 1024 * 1024,
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
 * Characters removed from user text: C0/C1 controls (newline and tab kept), the soft hyphen, the
 * Arabic letter mark, the Mongolian vowel separator, zero-width and joiner characters, line and
 * paragraph separators (a line break Discord's Markdown does not see as one), bidirectional
 * embeddings, overrides and isolates, and the byte-order mark.
 */
const INVISIBLE_OR_CONTROL =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A surrogate without its other half: not text, and rendered as a replacement character. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes user-typed text inert in a Discord message: Markdown characters are escaped (an ordered
 * list's "1." too), mentions cannot form, links cannot form (the ':' of a scheme and the '.' of a
 * host name are escaped, so neither `https://…` nor a bare `discord.gg/…` becomes a link or an
 * invite), and control, invisible and lone surrogate characters are removed.
 */
export function escapeUserText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '')
    .replace(INVISIBLE_OR_CONTROL, '')
    .replace(/[\\*_~`|>#\-[\]()<:]/g, (ch) => `\\${ch}`)
    .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, '\\.')
    .replace(/^(\s*\d+)\.(?=\s|$)/gm, '$1\\.')
    .replace(/@/g, '@\u200b')
    .replace(/\n{3,}/g, '\n\n');
}

/**
 * Escapes Markdown in article text (the corpus, and readings members added) so stray asterisks do
 * not format it: discord.js's own escaper (@discordjs/formatters) for bold, italics, underline,
 * strikethrough, spoilers and code; and no mention can form.
 */
export function escapeMarkdown(text: string): string {
  return inert(escapeDiscordMarkdown(text));
}

/** Text where no mention can form (`@everyone`, `<@id>`, `<#id>`), for places Markdown does not render, like footers. */
export function inert(text: string): string {
  return text.replace(/@/g, '@\u200b').replace(/<#/g, '<\u200b#');
}
