import { ReadingRefusal } from '../readings/compose.js';
import type { AddedReading } from '../readings/servers.js';
import { notice } from '../reply/build.js';
import { READING_IDS, readingCard, removalOutcome, removedText } from '../reply/readings.js';
import type { Response } from '../reply/types.js';
import { canManageServer, type ComponentHandler, type PrefixedComponentHandler } from './types.js';

/** Said to a member without Manage Server who reaches add or remove (an admin may have widened the command). */
export const NOT_ALLOWED = notice('Only members who may **Manage Server** can add or remove this server’s readings.');
/** Said in DMs, where there is no server to keep readings for. */
export const SERVER_ONLY = notice('Readings belong to a server: use `/reading` in one. Here you can ask about the bot’s own articles.');
const NOT_YOURS = notice('Only the member who asked to remove it can answer this.');

/** A refusal becomes its message; anything else is left to the router's one apology. */
export function refusalReply(err: unknown): Response {
  if (err instanceof ReadingRefusal) return { kind: 'reply', payload: notice(err.reason) };
  throw err;
}

/** The reply to a finished add: the new reading's card. */
export function addedReply(added: AddedReading): Response {
  return {
    kind: 'reply',
    payload: readingCard({
      article: added.article,
      entities: added.entities,
      example: added.example,
      renamedFrom: added.renamedFrom,
      count: added.count,
      limit: added.limit,
    }),
  };
}

/** The form `/reading add` opened, submitted: the pasted reading is added like a file. */
export const readingFormSubmitted: PrefixedComponentHandler = {
  prefix: READING_IDS.form,
  handle(request, context) {
    const guildId = request.guildId ?? null;
    const readings = context.readings;
    if (guildId === null || !readings) return { kind: 'reply', payload: SERVER_ONLY };
    if (!canManageServer(request)) return { kind: 'reply', payload: NOT_ALLOWED };
    const field = (id: string): string => request.fields?.get(id) ?? '';
    return {
      kind: 'defer',
      ephemeral: true,
      result: () =>
        readings
          .add(
            guildId,
            {
              kind: 'form',
              title: field(READING_IDS.title),
              source: field(READING_IDS.source),
              url: field(READING_IDS.url),
              text: field(READING_IDS.text),
            },
            request.user.id,
          )
          .then(addedReply, refusalReply),
    };
  },
};

/**
 * "Remove" on the confirmation: the button names the asker and the reading, but the server is the
 * one the press comes from, so a button copied elsewhere can only remove that server's reading.
 */
export const confirmRemoval: PrefixedComponentHandler = {
  prefix: READING_IDS.remove,
  handle(request, context) {
    const [, owner, id] = request.customId.split(':');
    if (owner !== request.user.id) return { kind: 'reply', payload: NOT_YOURS };
    const guildId = request.guildId ?? null;
    const readings = context.readings;
    if (guildId === null || !readings) return { kind: 'reply', payload: SERVER_ONLY };
    if (!canManageServer(request)) return { kind: 'reply', payload: NOT_ALLOWED };
    return {
      kind: 'defer',
      ephemeral: true,
      update: true,
      result: () =>
        readings.remove(guildId, id ?? '', request.user.id).then(
          (article): Response => ({
            kind: 'update',
            payload: removalOutcome(
              article ? removedText(article) : 'That reading is no longer in this server’s list; nothing was removed.',
            ),
          }),
          (err: unknown): Response => {
            if (err instanceof ReadingRefusal) return { kind: 'update', payload: removalOutcome(err.reason) };
            throw err;
          },
        ),
    };
  },
};

/** "Keep it" on the confirmation. */
export const keepReading: PrefixedComponentHandler = {
  prefix: READING_IDS.keep,
  handle(request) {
    if (request.customId.split(':')[1] !== request.user.id) return { kind: 'reply', payload: NOT_YOURS };
    return { kind: 'update', payload: removalOutcome('Kept: nothing was removed.') };
  },
};

export const READING_COMPONENTS: readonly ComponentHandler[] = [readingFormSubmitted, confirmRemoval, keepReading];
