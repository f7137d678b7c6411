import type { CommandRequest } from '../bot/types.js';
import type { MessagePayload, Response } from '../reply/types.js';

/*
 * The one deferral policy of both transports (gateway and HTTP). An interaction that has waited
 * behind others is acknowledged with a deferral first and answered by an edit, so Discord's
 * 3-second window is never missed. A deferral fixes the visibility of the answer before the answer
 * is known, so it is private when the asker asked for privacy (`hide`); an answer that turns out to
 * be private (a notice, /help, a cooldown) after a public deferral replaces the placeholder with a
 * private follow-up instead of being posted in the channel.
 */

/** An interaction older than this when its turn comes is deferred. */
export const DEFER_AFTER_MS = 1000;

/**
 * How long a response marked `soon` is waited for before the interaction is deferred. An interaction
 * is deferred anyway once it is {@link DEFER_AFTER_MS} old, so together they stay well inside 3 s.
 */
export const SOON_WAIT_MS = 1000;

/**
 * A `soon` deferral's result when it settles within {@link SOON_WAIT_MS}, to be sent as a direct reply;
 * otherwise the deferral, its result the work already running. Any other response as it is.
 */
export async function settleSoon(response: Response, waitMs = SOON_WAIT_MS): Promise<Response> {
  if (response.kind !== 'defer' || response.soon !== true) return response;
  const running = response.result();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    const settled = await Promise.race([running, late]);
    return settled ?? { ...response, soon: false, result: () => running };
  } finally {
    clearTimeout(timer);
  }
}

const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** When Discord created the interaction, from its snowflake id (milliseconds since 1970). */
export function createdAt(snowflake: string): number | undefined {
  if (!/^\d{1,20}$/.test(snowflake)) return undefined;
  return Number((BigInt(snowflake) >> 22n) + DISCORD_EPOCH_MS);
}

/** Whether an interaction created at `createdMs` must be deferred now. */
export function shouldDefer(createdMs: number | undefined, now = Date.now()): boolean {
  return createdMs !== undefined && now - createdMs > DEFER_AFTER_MS;
}

/** Whether the deferral of `request` is private. */
export function deferPrivately(request: CommandRequest): boolean {
  return request.options.get('hide') === true;
}

/**
 * How a deferred interaction is finished: an edit of the placeholder when its visibility fits the
 * answer, else the placeholder is deleted and the answer sent as a private follow-up.
 */
export function finishDeferred(deferredPrivately: boolean, payload: MessagePayload): 'edit' | 'replace-privately' {
  return payload.ephemeral && !deferredPrivately ? 'replace-privately' : 'edit';
}
