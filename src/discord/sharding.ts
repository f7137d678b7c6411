import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { Logger } from 'pino';
import { FATAL_EXIT_CODE, FATAL_MESSAGE } from './fatal.js';

/** Options of {@link startSharding}. */
export interface ShardingOptions {
  /** The entry point each shard process runs (the same bot as `npm start`). */
  readonly file: string;
  readonly token: string;
  /** A number, or 'auto' for Discord's recommendation from GET /gateway/bot. */
  readonly totalShards: number | 'auto';
  /** The shard ids this host runs, when shards are spread across hosts; all of them otherwise. */
  readonly shardList?: readonly number[] | undefined;
  readonly apiUrl?: string | undefined;
  readonly logger: Logger;
  /** Node options of each shard process (for example `['--import', 'tsx']` to run TypeScript). */
  readonly execArgv?: readonly string[];
  /**
   * Wait between spawning shards. Discord allows one IDENTIFY per 5 s per `max_concurrency` bucket;
   * discord.js's default of 5.5 s keeps to it.
   */
  readonly spawnDelayMs?: number;
  /** Pipe shard output to the manager instead of sharing its terminal. */
  readonly silent?: boolean;
  /**
   * Called, instead of respawning, when a shard process exits with {@link FATAL_EXIT_CODE}: Discord
   * refused it for good (a reset token, a disallowed intent), and a respawn would only be refused again.
   */
  readonly onFatal?: (shardId: number) => void;
}

/**
 * Asks the configured API how many shards to run. discord.js's own 'auto' always asks discord.com,
 * so it would ignore DISCORD_API_URL.
 */
export async function recommendedShardCount(token: string, apiUrl?: string): Promise<number> {
  const rest = new REST(apiUrl === undefined ? {} : { api: apiUrl }).setToken(token);
  const { shards } = (await rest.get(Routes.gatewayBot())) as { shards: number };
  return Math.max(1, shards);
}

/** Spawns one process per shard, each running the bot with its own `[shard_id, shard_count]`. */
export async function startSharding(options: ShardingOptions): Promise<ShardingManager> {
  const totalShards = options.totalShards === 'auto' ? await recommendedShardCount(options.token, options.apiUrl) : options.totalShards;
  const manager = new ShardingManager(options.file, {
    token: options.token,
    totalShards,
    ...(options.shardList === undefined ? {} : { shardList: [...options.shardList] }),
    mode: 'process',
    respawn: true,
    execArgv: [...(options.execArgv ?? [])],
    ...(options.silent === undefined ? {} : { silent: options.silent }),
  });
  manager.on('shardCreate', (shard: Shard) => {
    options.logger.info({ shardId: shard.id, totalShards }, 'shard process started');
    let refused = false;
    // Sent before the shard exits, so it arrives before the manager would respawn it (or fail its spawn).
    shard.on('message', (message: unknown) => {
      if (typeof message !== 'object' || message === null || !(FATAL_MESSAGE in message)) return;
      refused = true;
      options.logger.error(
        { shardId: shard.id, code: (message as Record<string, unknown>)[FATAL_MESSAGE] },
        'shard process stopped: Discord refused it for good (see its error line); not respawning',
      );
      options.onFatal?.(shard.id);
    });
    shard.on('death', (child) => {
      if (refused || ('exitCode' in child && child.exitCode === FATAL_EXIT_CODE)) return;
      options.logger.warn({ shardId: shard.id }, 'shard process exited; respawning');
    });
  });
  const outOfRange = options.shardList?.filter((id) => id >= totalShards) ?? [];
  if (outOfRange.length > 0) throw new Error(`SHARD_IDS ${outOfRange.join(', ')} are not below the shard count ${totalShards}`);
  try {
    await manager.spawn({ amount: totalShards, delay: options.spawnDelayMs ?? 5500 });
  } catch (err) {
    // A shard Discord refuses reports its disconnect (discord.js's own message) before the refusal
    // itself; a moment for the refusal to arrive turns a stack trace into the fatal path.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    throw err;
  }
  return manager;
}
