import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { CorpusLibrary } from '../library.js';
import { DISCORD_ATTACHMENT_ORIGINS } from './download.js';
import { FileReadingStore } from './file-store.js';
import { PgReadingStore } from './pg-store.js';
import type { ReadingStore } from './store.js';
import { ServerReadings } from './servers.js';

type ReadingSettings = Pick<
  Config,
  | 'READINGS_DIR'
  | 'DATABASE_URL'
  | 'SHARED_CORPUS'
  | 'READING_MAX_BYTES'
  | 'READINGS_PER_SERVER'
  | 'READING_DOWNLOAD_TIMEOUT_MS'
  | 'DISCORD_CDN_URL'
>;

/**
 * The readings store the settings name: PostgreSQL when DATABASE_URL is set (migrated at start;
 * throws a DatabaseUnavailableError naming DATABASE_URL if unreachable), else files under READINGS_DIR.
 */
export async function openReadingStore(config: Pick<Config, 'READINGS_DIR' | 'DATABASE_URL'>, logger: Logger): Promise<ReadingStore> {
  if (config.DATABASE_URL !== undefined) return PgReadingStore.open(config.DATABASE_URL, logger);
  return new FileReadingStore(config.READINGS_DIR, logger);
}

/** The servers' readings as the settings describe them: the store, the limits, the attachment hosts. */
export async function openServerReadings(config: ReadingSettings, shared: () => CorpusLibrary, logger: Logger): Promise<ServerReadings> {
  return new ServerReadings({
    store: await openReadingStore(config, logger),
    shared,
    sharedInServers: config.SHARED_CORPUS,
    limits: {
      maxBytes: config.READING_MAX_BYTES,
      perServer: config.READINGS_PER_SERVER,
      downloadTimeoutMs: config.READING_DOWNLOAD_TIMEOUT_MS,
      origins: config.DISCORD_CDN_URL === undefined ? DISCORD_ATTACHMENT_ORIGINS : [new URL(config.DISCORD_CDN_URL).origin],
    },
    logger,
  });
}
