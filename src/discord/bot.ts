import { Events, type Client } from 'discord.js';
import type { Logger } from 'pino';
import type { Router } from '../bot/router.js';
import { attachRouter, createClient, type ExtraClientOptions } from './client.js';

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
}

/** Logs in over the gateway and answers interactions through the router until stopped. */
export async function startGatewayBot(options: GatewayBotOptions): Promise<GatewayBot> {
  const client = createClient(options.apiUrl, options.clientOptions);
  let accepting = true;
  attachRouter(client, options.router, options.logger, () => accepting, options.routerReady);
  client.on(Events.Error, (err) => options.logger.error({ err }, 'discord client error'));
  client.on(Events.ShardReconnecting, (shardId) => options.logger.warn({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => options.logger.info({ shardId, replayed }, 'gateway resumed'));
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      options.logger.info({ user: c.user.tag, guilds: c.guilds.cache.size, shards: c.ws.shards.map((s) => s.id) }, 'connected to Discord');
      resolve();
    });
  });
  await client.login(options.token);
  await ready;
  return {
    client,
    async stop() {
      accepting = false;
      await client.destroy();
    },
  };
}
