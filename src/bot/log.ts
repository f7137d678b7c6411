import type { Logger } from 'pino';
import type { Response } from '../reply/types.js';

/** Where an interaction came from. */
export type Transport = 'gateway' | 'http' | 'console';

/** One answered interaction, as the transport saw it. */
export interface InteractionRecord {
  readonly transport: Transport;
  /** Discord's interaction id; null at the console. */
  readonly interactionId: string | null;
  readonly kind: 'command' | 'button';
  /** The command's name, or the button's kind ("more", "delete"). */
  readonly command: string;
  readonly userId: string;
  readonly guildId: string | null;
  /** `performance.now()` when the interaction arrived. */
  readonly startedAt: number;
  readonly response: Response;
  /** Acknowledged with a deferral and answered by an edit. */
  readonly deferred?: boolean;
}

/** The fields of the one 'interaction' log line: the same in gateway, HTTP and console mode. */
export function interactionFields(record: InteractionRecord): Record<string, unknown> {
  const outcome = record.response.kind === 'reply' ? record.response.outcome : undefined;
  return {
    transport: record.transport,
    interactionId: record.interactionId,
    kind: record.kind,
    command: record.command,
    userId: record.userId,
    guildId: record.guildId,
    deferred: record.deferred ?? false,
    latencyMs: Math.round(performance.now() - record.startedAt),
    results: outcome?.results ?? null,
    abstained: outcome?.abstained ?? null,
  };
}

/** Writes the interaction's log line. */
export function logInteraction(logger: Logger, record: InteractionRecord): void {
  logger.info(interactionFields(record), 'interaction');
}
