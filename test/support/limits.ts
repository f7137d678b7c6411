/**
 * Assertions that a payload is one Discord would accept and that it pings nobody it should not.
 * Shared by the property tests and any test that builds replies; each failure names the limit and the
 * offending part, so a shrunk counterexample reads on its own.
 *
 * Lengths are counted in UTF-16 code units (`.length`), which is never fewer than the code points
 * Discord counts, so a payload that passes here passes there.
 */
import { ComponentType, type APIEmbed } from 'discord-api-types/v10';
import type { Choice, MessagePayload } from '../../src/reply/types.js';

/** Discord's documented limits (Message Resource, Embed Limits, Components, Autocomplete). */
export const DISCORD = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  actionRows: 5,
  componentsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

class LimitError extends Error {
  override readonly name = 'LimitError';
}

function fail(problem: string): never {
  throw new LimitError(problem);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text Discord can take: within `max`, and valid Unicode (a lone surrogate cannot be sent as UTF-8). */
function checkText(where: string, text: string, max: number, min = 0): void {
  if (typeof text !== 'string') fail(`${where} is not a string (${typeof text})`);
  if (text.length > max) fail(`${where} is ${text.length} characters; Discord allows ${max}`);
  if (text.length < min) fail(`${where} is ${text.length} characters; Discord needs at least ${min}`);
  if (LONE_SURROGATE.test(text)) fail(`${where} contains a lone surrogate (a code point cut in half)`);
}

/** The characters an embed counts against the 6,000 all embeds of a message share. */
function embedCharacters(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * Throws unless `payload` is within every Discord message limit: content ≤ 2,000; ≤ 10 embeds, each
 * within its title/description/field/footer/author limits (fields non-empty), ≤ 6,000 characters in
 * all; ≤ 5 action rows of ≤ 5 buttons with custom ids of 1–100 characters (unique) and labels ≤ 80;
 * and not empty (Discord refuses a message with no content, embeds or components).
 */
export function assertWithinDiscordLimits(payload: MessagePayload): void {
  if (payload.content !== undefined) checkText('content', payload.content, DISCORD.content);
  if (payload.embeds.length > DISCORD.embeds) fail(`${payload.embeds.length} embeds; Discord allows ${DISCORD.embeds}`);
  let total = 0;
  payload.embeds.forEach((embed, e) => {
    const at = `embeds[${e}]`;
    if (embed.title !== undefined) checkText(`${at}.title`, embed.title, DISCORD.embedTitle);
    if (embed.description !== undefined) checkText(`${at}.description`, embed.description, DISCORD.embedDescription);
    if (embed.footer !== undefined) checkText(`${at}.footer.text`, embed.footer.text, DISCORD.footer);
    if (embed.author !== undefined) checkText(`${at}.author.name`, embed.author.name, DISCORD.author);
    const fields = embed.fields ?? [];
    if (fields.length > DISCORD.fields) fail(`${at} has ${fields.length} fields; Discord allows ${DISCORD.fields}`);
    fields.forEach((field, f) => {
      checkText(`${at}.fields[${f}].name`, field.name, DISCORD.fieldName, 1);
      checkText(`${at}.fields[${f}].value`, field.value, DISCORD.fieldValue, 1);
    });
    if (
      embed.title === undefined &&
      embed.description === undefined &&
      fields.length === 0 &&
      embed.footer === undefined &&
      embed.author === undefined
    ) {
      fail(`${at} is empty`);
    }
    total += embedCharacters(embed);
  });
  if (total > DISCORD.embedTotal) fail(`the embeds hold ${total} characters in all; Discord allows ${DISCORD.embedTotal}`);

  if (payload.components.length > DISCORD.actionRows)
    fail(`${payload.components.length} action rows; Discord allows ${DISCORD.actionRows}`);
  const ids = new Set<string>();
  payload.components.forEach((row, r) => {
    if (row.type !== ComponentType.ActionRow) fail(`components[${r}] is not an action row`);
    if (row.components.length === 0 || row.components.length > DISCORD.componentsPerRow) {
      fail(`components[${r}] has ${row.components.length} components; Discord allows 1 to ${DISCORD.componentsPerRow}`);
    }
    row.components.forEach((component, c) => {
      const at = `components[${r}].components[${c}]`;
      if ('custom_id' in component) {
        checkText(`${at}.custom_id`, component.custom_id, DISCORD.customId, 1);
        if (ids.has(component.custom_id)) fail(`${at}.custom_id "${component.custom_id}" is used twice in one message`);
        ids.add(component.custom_id);
      }
      if ('label' in component && component.label !== undefined) checkText(`${at}.label`, component.label, DISCORD.buttonLabel);
    });
  });

  const files = payload.files ?? [];
  if (files.length > 10) fail(`${files.length} files; Discord allows 10`);
  files.forEach((file, i) => {
    if (file.data.byteLength > 10 * 1024 * 1024) fail(`files[${i}] is ${file.data.byteLength} bytes; the smallest upload limit is 10 MiB`);
    if (!/^[\w.-]{1,100}$/.test(file.name)) fail(`files[${i}] is named "${file.name}"; use letters, digits, dots and dashes`);
  });

  if ((payload.content ?? '') === '' && payload.embeds.length === 0 && payload.components.length === 0 && files.length === 0)
    fail('the message is empty');
}

/**
 * Throws unless autocomplete `choices` are within Discord's limits: at most 25, each name 1–100
 * characters, each value at most 100 (as text); for an integer option, every value an integer.
 */
export function assertChoicesWithinLimits(choices: readonly Choice[], valueType: 'string' | 'integer' = 'string'): void {
  if (choices.length > DISCORD.choices) fail(`${choices.length} choices; Discord allows ${DISCORD.choices}`);
  choices.forEach((choice, i) => {
    checkText(`choices[${i}].name`, choice.name, DISCORD.choiceName, 1);
    if (valueType === 'integer') {
      if (typeof choice.value !== 'number' || !Number.isSafeInteger(choice.value))
        fail(`choices[${i}].value ${String(choice.value)} is not an integer`);
    } else {
      if (typeof choice.value !== 'string') fail(`choices[${i}].value is a ${typeof choice.value}, not a string`);
      checkText(`choices[${i}].value`, choice.value, DISCORD.choiceValue);
    }
  });
}

/** `@everyone`/`@here`, or a user, role or channel mention (`<@1…>`, `<@!1…>`, `<@&1…>`, `<#1…>`). */
const PING = /@(?:everyone|here)|<(?:@[!&]?|#)\d/i;

/** Every text of a message a person reads, with where it is. */
function texts(payload: MessagePayload): [string, string][] {
  const found: [string, string][] = [];
  if (payload.content !== undefined) found.push(['content', payload.content]);
  payload.embeds.forEach((embed, e) => {
    if (embed.title !== undefined) found.push([`embeds[${e}].title`, embed.title]);
    if (embed.description !== undefined) found.push([`embeds[${e}].description`, embed.description]);
    if (embed.author !== undefined) found.push([`embeds[${e}].author.name`, embed.author.name]);
    if (embed.footer !== undefined) found.push([`embeds[${e}].footer.text`, embed.footer.text]);
    (embed.fields ?? []).forEach((field, f) => {
      found.push([`embeds[${e}].fields[${f}].name`, field.name]);
      found.push([`embeds[${e}].fields[${f}].value`, field.value]);
    });
  });
  payload.components.forEach((row, r) =>
    row.components.forEach((component, c) => {
      if ('label' in component && component.label !== undefined) found.push([`components[${r}].components[${c}].label`, component.label]);
    }),
  );
  return found;
}

/**
 * Throws unless the message pings nobody but `allowedUser`: `allowed_mentions.parse` is `[]`, `users`
 * is absent, empty or exactly `[allowedUser]`, and no text carries `@everyone`, `@here` or a user,
 * role or channel mention, except `<@allowedUser>` at the very start of the content.
 */
export function assertPingsNobody(payload: MessagePayload, allowedUser?: string): void {
  const { parse, users } = payload.allowed_mentions;
  if (!Array.isArray(parse) || parse.length !== 0) fail(`allowed_mentions.parse is ${JSON.stringify(parse)}, not []`);
  const allowedUsers = users ?? [];
  if (allowedUsers.length > 0 && (allowedUser === undefined || allowedUsers.length !== 1 || allowedUsers[0] !== allowedUser)) {
    fail(
      `allowed_mentions.users is ${JSON.stringify(allowedUsers)}; only ${allowedUser === undefined ? 'nobody' : `[${allowedUser}]`} may be pinged`,
    );
  }
  for (const [where, text] of texts(payload)) {
    let rest = text;
    if (where === 'content' && allowedUser !== undefined && rest.startsWith(`<@${allowedUser}>`))
      rest = rest.slice(`<@${allowedUser}>`.length);
    const ping = PING.exec(rest);
    if (ping) fail(`${where} carries an unescaped "${rest.slice(ping.index, ping.index + 24)}"`);
  }
}
