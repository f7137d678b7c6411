import { LIMITS } from './limits.js';

/**
 * The custom ids of the bot's buttons: built and parsed here and nowhere else, so the writer and
 * the reader cannot drift (Sapphire's parse() → data → run(data) split). Formats:
 * `more:OWNER:REF;REF…` (the passages the button reveals) and `delete:OWNER`, where OWNER is the
 * asker's user id and REF is `articleId#paragraph.sentence~fingerprint`.
 */

/** Where a passage stands, compactly enough for a button's 100 characters. */
export interface PassageRef {
  readonly articleId: string;
  readonly paragraph: number;
  /** 0-based index of the answering sentence in its paragraph. */
  readonly sentence: number;
  /**
   * The paragraph's {@link paragraphFingerprint}, so that after an edit the button finds the paragraph
   * it named where it moved, or says the article changed; null in buttons made before fingerprints.
   */
  readonly fingerprint: string | null;
}

/** A short fingerprint of a paragraph's text (FNV-1a, base 36, five characters). */
export function paragraphFingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0').slice(-5);
}

/** What a button's custom id says. */
export type ButtonId =
  | { readonly kind: 'more'; readonly owner: string; readonly passages: readonly PassageRef[] }
  | { readonly kind: 'delete'; readonly owner: string };

/** The kinds of button, for routing and logging. */
export type ButtonKind = ButtonId['kind'];

const REF = /^(.+)#(\d+)\.(\d+)(?:~([0-9a-z]{5}))?$/;
/** A user id: Discord's are digits; anything without the separator is read back as written. */
const OWNER = /^[^:;]+$/;

function encodeRef(ref: PassageRef): string {
  return `${ref.articleId}#${ref.paragraph}.${ref.sentence}${ref.fingerprint === null ? '' : `~${ref.fingerprint}`}`;
}

function decodeRef(text: string): PassageRef | null {
  const match = REF.exec(text);
  if (!match?.[1] || match[1].includes(':') || match[1].includes(';')) return null;
  return { articleId: match[1], paragraph: Number(match[2]), sentence: Number(match[3]), fingerprint: match[4] ?? null };
}

/**
 * The custom id for a button. A "more" id holds as many of its passages, in order, as fit in
 * Discord's limit; `passages` of the result are the ones it holds.
 */
export function encodeButtonId(id: ButtonId): { readonly customId: string; readonly passages: readonly PassageRef[] } {
  if (id.kind === 'delete') return { customId: `delete:${id.owner}`, passages: [] };
  const prefix = `more:${id.owner}:`;
  const kept: string[] = [];
  for (const passage of id.passages) {
    if (prefix.length + [...kept, encodeRef(passage)].join(';').length > LIMITS.customId) break;
    kept.push(encodeRef(passage));
  }
  return { customId: `${prefix}${kept.join(';')}`, passages: id.passages.slice(0, kept.length) };
}

/**
 * Reads a custom id; null for anything the bot did not make (or an old format). Unreadable
 * passage references inside a "more" id are skipped; the handler says when none is left.
 */
export function decodeButtonId(customId: string): ButtonId | null {
  const [kind, owner, ...rest] = customId.split(':');
  if (owner === undefined || !OWNER.test(owner)) return null;
  if (kind === 'delete' && rest.length === 0) return { kind, owner };
  if (kind === 'more' && rest.length === 1) {
    const passages = (rest[0] ?? '')
      .split(';')
      .map(decodeRef)
      .filter((ref): ref is PassageRef => ref !== null);
    return { kind, owner, passages };
  }
  return null;
}

/** The kind of a custom id, for a log line; null for one the bot did not make. */
export function buttonKind(customId: string): ButtonKind | null {
  return decodeButtonId(customId)?.kind ?? null;
}
