import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { CorpusLibrary } from '../library.js';
import { DISCORD_ATTACHMENT_ORIGINS } from './download.js';
import { FileReadingStore } from './file-store.js';
import { ServerReadings } from './servers.js';

/** The servers' readings as the settings describe them: files under READINGS_DIR, the limits, the attachment hosts. */
export function openServerReadings(
  config: Pick<
    Config,
    'READINGS_DIR' | 'SHARED_CORPUS' | 'READING_MAX_BYTES' | 'READINGS_PER_SERVER' | 'READING_DOWNLOAD_TIMEOUT_MS' | 'DISCORD_CDN_URL'
  >,
  shared: () => CorpusLibrary,
  logger: Logger,
): ServerReadings {
  return new ServerReadings({
    store: new FileReadingStore(config.READINGS_DIR, logger),
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
