import { fileURLToPath } from 'node:url';
import type { ShardingManager } from 'discord.js';
import { loadConfig, logLevel, requireKeys } from '../config.js';
import { runMain } from './entry.js';
import { startSharding } from '../discord/sharding.js';
import { FATAL_EXIT_CODE } from '../discord/fatal.js';
import { createLogger, flushAndExit } from '../logger.js';
import { openLibraryCached } from '../library.js';

/**
 * `npm run start:sharded`: one process per shard, for bots in more servers than one gateway
 * connection may hold (Discord requires sharding from 2,500). The manager builds the index cache
 * once, so every shard loads it instead of rebuilding.
 */
async function main(): Promise<void> {
  const config = requireKeys(loadConfig(), ['DISCORD_TOKEN'], 'to run the sharded bot');
  const logger = createLogger({ level: logLevel(config, 'service'), pretty: config.LOG_PRETTY });
  const { fromCache, ms } = await openLibraryCached(config.CORPUS_DIR, config.CACHE_DIR, logger.child({ module: 'corpus' }));
  logger.info({ fromCache, ms }, 'search index cache ready for the shards');

  // Run the shards the way this manager runs: from TypeScript under tsx, or from the build.
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', import.meta.url));
  // A shard may be refused while the others are still being spawned, before `manager` is assigned.
  const spawned: { manager?: ShardingManager } = {};
  const manager = await startSharding({
    file,
    token: config.DISCORD_TOKEN,
    totalShards: config.TOTAL_SHARDS,
    shardList: config.SHARD_IDS,
    apiUrl: config.DISCORD_API_URL,
    logger,
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    // Exit before the manager respawns the shard (it would be refused again), so a process manager sees it.
    onFatal: () => {
      for (const shard of spawned.manager?.shards.values() ?? []) shard.kill();
      flushAndExit(logger, FATAL_EXIT_CODE);
    },
  });
  spawned.manager = manager;
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping all shards');
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.kill();
    flushAndExit(logger, 0);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

runMain(main);
