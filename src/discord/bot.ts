import { Events, type Client } from 'discord.js';
import type { Logger } from 'pino';
import type { Router } from '../bot/router.js';
import { attachRouter, createClient, type ExtraClientOptions } from './client.js';
import { fatalClose, GatewayRefusedError, type FatalClose } from './fatal.js';

/** A running gateway bot. */
export interface GatewayBot {
  readonly client: Client;
  /** Stops taking interactions and closes the connection. */
  stop(): Promise<void>;
}

/** Options of {@link startGatewayBot}. */
export interface GatewayBotOptions {
  readonly token: string;
  readonly router: Router;
  readonly logger: Logger;
  /** REST base URL of a Discord-compatible server; Discord's when absent. */
  readonly apiUrl?: string | undefined;
  /**
   * Settles when the router can answer (the library is open). The bot logs in meanwhile, so the
   * gateway handshake overlaps the load; a command arriving before it is deferred, then answered.
   */
  readonly routerReady?: Promise<unknown>;
  /** Further discord.js client options, for tests only (see {@link createClient}). */
  readonly clientOptions?: ExtraClientOptions;
  /**
   * Called once when Discord closes the gateway with a code it will not take back (4004, 4010–4014),
   * after the error line is logged; the entry point exits non-zero. A close during login also makes
   * {@link startGatewayBot} reject with a {@link GatewayRefusedError}.
   */
  readonly onFatal?: (close: FatalClose) => void;
}

/** Logs in over the gateway and answers interactions through the router until stopped. */
export async function startGatewayBot(options: GatewayBotOptions): Promise<GatewayBot> {
  const client = createClient(options.apiUrl, options.clientOptions);
  let accepting = true;
  attachRouter(client, options.router, options.logger, () => accepting, options.routerReady);
  client.on(Events.Error, (err) => options.logger.error({ err }, 'discord client error'));
  client.on(Events.ShardReconnecting, (shardId) => options.logger.warn({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => options.logger.info({ shardId, replayed }, 'gateway resumed'));
  // discord.js gives up after these codes without a word at any level; the bot must not wait silently.
  let fatal: FatalClose | undefined;
  client.on(Events.ShardDisconnect, (event, shardId) => {
    const close = fatalClose(event.code, shardId);
    if (close === undefined || fatal !== undefined) return;
    fatal = close;
    options.logger.error({ code: close.code, shardId, refused: close.refused, fix: close.fix }, close.message);
    options.onFatal?.(close);
  });
  // discord.js also reports these as shard errors; the line above already says it better.
  client.on(Events.ShardError, (err, shardId) => {
    if (fatal === undefined) options.logger.warn({ err, shardId }, 'gateway connection error');
  });
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      options.logger.info({ user: c.user.tag, guilds: c.guilds.cache.size, shards: c.ws.shards.map((s) => s.id) }, 'connected to Discord');
      resolve();
    });
  });
  try {
    await client.login(options.token);
  } catch (err) {
    await client.destroy();
    if (fatal !== undefined) throw new GatewayRefusedError(fatal);
    throw err;
  }
  await ready;
  return {
    client,
    async stop() {
      accepting = false;
      await client.destroy();
    },
  };
}
