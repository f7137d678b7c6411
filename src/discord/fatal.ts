/**
 * Gateway close codes after which Discord will not take the connection back: discord.js stops
 * reconnecting, so a bot that only waited would stay offline for good. Each says what Discord
 * refused and what the operator must change before starting the bot again.
 */
export const FATAL_CLOSE_CODES: ReadonlyMap<number, { readonly refused: string; readonly fix: string }> = new Map([
  [
    4004,
    {
      refused: 'the bot token (authentication failed: the token was reset or is wrong)',
      fix: 'reset the token under Bot in the Discord developer portal and set DISCORD_TOKEN to the new one',
    },
  ],
  [
    4010,
    {
      refused: 'the shard id (invalid shard)',
      fix: 'check TOTAL_SHARDS and SHARD_IDS: every shard id must be below the shard count',
    },
  ],
  [
    4011,
    {
      refused: 'an unsharded connection (sharding required: the bot is in too many servers for one connection)',
      fix: 'run `npm run start:sharded` with TOTAL_SHARDS=auto or a larger shard count',
    },
  ],
  [
    4012,
    {
      refused: 'the gateway API version (invalid API version)',
      fix: 'update discord.js to a release that speaks a supported gateway version',
    },
  ],
  [
    4013,
    {
      refused: 'the intents the bot asked for (invalid intents)',
      fix: 'the intents value is malformed; ask only for the Guilds intent, as src/discord/client.ts does',
    },
  ],
  [
    4014,
    {
      refused: 'a privileged intent the application is not allowed (disallowed intents)',
      fix: 'enable that intent under Bot → Privileged Gateway Intents in the Discord developer portal, or stop asking for it',
    },
  ],
]);

/** What a fatal close was, for the log line and the exit. */
export interface FatalClose {
  readonly code: number;
  readonly shardId: number;
  readonly refused: string;
  readonly fix: string;
  /** One sentence for a person: what Discord refused and what to do. */
  readonly message: string;
}

/** The fatal close for `code`, or undefined when discord.js will reconnect by itself. */
export function fatalClose(code: number, shardId: number): FatalClose | undefined {
  const known = FATAL_CLOSE_CODES.get(code);
  if (known === undefined) return undefined;
  return {
    code,
    shardId,
    ...known,
    message: `Discord closed the gateway with code ${code} and will not take the bot back: it refused ${known.refused}. To fix it: ${known.fix}.`,
  };
}

/** A login that Discord refused for good; its message says what to do, so no stack is printed. */
export class GatewayRefusedError extends Error {
  override readonly name = 'GatewayRefusedError';
  constructor(readonly close: FatalClose) {
    super(close.message);
  }
}

/** Exit status of a bot stopped by a fatal close (EX_CONFIG): a process manager sees a failure. */
export const FATAL_EXIT_CODE = 78;

/** Key of the message a shard process sends its manager before exiting with {@link FATAL_EXIT_CODE}. */
export const FATAL_MESSAGE = 'fatalGatewayClose';
