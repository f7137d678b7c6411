import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord-api-types/v10';
import { isWebUrl } from '../text/url.js';
import { LIMITS, escapeUserText, truncate } from './limits.js';
import type { Attachment, MessagePayload } from './types.js';

/** Accent colours of the bot's embeds. */
export const COLORS = { answer: 0x3b82f6, abstain: 0x9ca3af, error: 0xef4444, info: 0x10b981 } as const;

/** Drops every link Discord would refuse (any scheme but http and https, or attachment for pictures), which would fail the whole message. */
function safeLinks(embed: APIEmbed): APIEmbed {
  const { url, author, footer, image, thumbnail, ...rest } = embed;
  const safe: APIEmbed = { ...rest };
  if (url !== undefined && isWebUrl(url)) safe.url = url;
  if (author) {
    const { url: authorUrl, icon_url: authorIcon, ...name } = author;
    safe.author = {
      ...name,
      ...(authorUrl !== undefined && isWebUrl(authorUrl) ? { url: authorUrl } : {}),
      ...(authorIcon !== undefined && isWebUrl(authorIcon) ? { icon_url: authorIcon } : {}),
    };
  }
  if (footer) {
    const { icon_url: footerIcon, ...text } = footer;
    safe.footer = { ...text, ...(footerIcon !== undefined && isWebUrl(footerIcon) ? { icon_url: footerIcon } : {}) };
  }
  // A picture may also be one of the message's own files (attachment://name), which Discord accepts.
  const picture = (link: string): boolean => isWebUrl(link) || /^attachment:\/\/[\w.-]+$/.test(link);
  if (image && picture(image.url)) safe.image = image;
  if (thumbnail && picture(thumbnail.url)) safe.thumbnail = thumbnail;
  return safe;
}

function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = safeLinks(embed);
  if (fitted.title !== undefined) fitted.title = truncate(fitted.title, LIMITS.embedTitle);
  if (fitted.description !== undefined) fitted.description = truncate(fitted.description, LIMITS.embedDescription);
  if (fitted.footer) fitted.footer = { ...fitted.footer, text: truncate(fitted.footer.text, LIMITS.footer) };
  if (fitted.author) fitted.author = { ...fitted.author, name: truncate(fitted.author.name, LIMITS.author) };
  if (fitted.fields) {
    fitted.fields = fitted.fields.slice(0, LIMITS.fields).map((field) => ({
      ...field,
      name: truncate(field.name, LIMITS.fieldName) || '\u200b',
      value: truncate(field.value, LIMITS.fieldValue) || '\u200b',
    }));
  }
  return fitted;
}

/** Characters an embed counts against the 6,000 shared by all embeds of a message. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * Fits one embed into what is left of the 6,000 characters all embeds share: title and footer
 * (the attribution) first, then the description, then as many fields as fit.
 */
function fitInto(embed: APIEmbed, budget: number): APIEmbed {
  let left = budget;
  const take = (text: string): string => {
    const cut = truncate(text, Math.max(0, left));
    left -= cut.length;
    return cut;
  };
  const fitted: APIEmbed = { ...embed };
  if (embed.title !== undefined) fitted.title = take(embed.title);
  if (embed.author) fitted.author = { ...embed.author, name: take(embed.author.name) };
  if (embed.footer) fitted.footer = { ...embed.footer, text: take(embed.footer.text) };
  if (embed.description !== undefined) fitted.description = take(embed.description);
  if (embed.fields) {
    const fields = [];
    for (const field of embed.fields) {
      if (field.name.length + Math.min(field.value.length, 20) > left) break;
      const name = take(field.name);
      fields.push({ ...field, name, value: take(field.value) || '\u200b' });
    }
    fitted.fields = fields;
  }
  return fitted;
}

/** Fits all embeds into the shared total, in order; an embed with too little room left is dropped. */
function fitTotal(embeds: readonly APIEmbed[]): APIEmbed[] {
  const kept: APIEmbed[] = [];
  let left: number = LIMITS.embedTotal;
  for (const embed of embeds.slice(0, LIMITS.embeds).map(fitEmbed)) {
    if (kept.length > 0 && left < 200) break;
    const fitted = fitInto(embed, left);
    left -= embedLength(fitted);
    kept.push(fitted);
  }
  return kept;
}

/** Options of {@link message}. */
export interface MessageParts {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
  readonly buttons?: readonly APIButtonComponent[];
  /** Buttons in rows as given (at most five rows of five), after any `buttons`. */
  readonly rows?: readonly (readonly APIButtonComponent[])[];
  readonly files?: readonly Attachment[];
  readonly ephemeral?: boolean;
  /** The one user this message may ping; nobody else, ever. */
  readonly mention?: string;
}

/**
 * The only way a payload is made: every text within Discord's limits, at most five buttons a row,
 * and `allowed_mentions` that pings nobody but the one user asked for.
 */
export function message(parts: MessageParts): MessagePayload {
  const fit = (button: APIButtonComponent): APIButtonComponent =>
    'label' in button && button.label !== undefined ? { ...button, label: truncate(button.label, LIMITS.buttonLabel) } : button;
  const buttons = (parts.buttons ?? []).map(fit);
  const rows: APIButtonComponent[][] = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push(buttons.slice(i, i + 5));
  for (const row of parts.rows ?? []) if (row.length > 0) rows.push(row.slice(0, 5).map(fit));
  const components: APIActionRowComponent<APIComponentInMessageActionRow>[] = rows
    .slice(0, 5)
    .map((row) => ({ type: ComponentType.ActionRow, components: row }));
  const files = (parts.files ?? []).slice(0, LIMITS.files).filter((file) => file.data.byteLength <= LIMITS.fileBytes);
  return {
    ...(parts.content === undefined || parts.content === '' ? {} : { content: truncate(parts.content, LIMITS.content) }),
    embeds: fitTotal([...(parts.embeds ?? [])]),
    components,
    allowed_mentions: parts.mention === undefined ? { parse: [] } : { parse: [], users: [parts.mention] },
    ephemeral: parts.ephemeral ?? false,
    ...(files.length > 0 ? { files } : {}),
  };
}

/** A secondary-style button. */
export function button(
  customId: string,
  label: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger = ButtonStyle.Secondary,
): APIButtonComponent {
  return { type: ComponentType.Button, custom_id: customId.slice(0, LIMITS.customId), label, style };
}

/** A short ephemeral notice: refusals, bad options, cooldowns, apologies. */
export function notice(text: string, color: number = COLORS.error): MessagePayload {
  return message({ embeds: [{ description: text, color }], ephemeral: true });
}

/** The one reply to an article option that names no article: the same words from every command. */
export function noSuchArticle(typed: string): MessagePayload {
  return notice(`There is no article called “${truncate(escapeUserText(typed), 200)}”. Pick one from the list, or see \`/article\`.`);
}
