import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { REST, Routes } from 'discord.js';
import { InteractionResponseType, InteractionType, MessageFlags, type APIEmbed } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { logInteraction, type InteractionRecord } from '../bot/log.js';
import type { Router } from '../bot/router.js';
import type { CommandRequest, ComponentRequest, OptionValue, UserRef } from '../bot/types.js';
import type { MessagePayload, Response } from '../reply/types.js';
import { checkSignature, discordPublicKey } from './verify.js';

/** Interaction bodies are a few KiB; anything far larger is refused before it is read whole. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Options of {@link startHttpInteractions}. */
export interface HttpInteractionsOptions {
  readonly router: Router;
  readonly logger: Logger;
  readonly publicKey: string;
  readonly port: number;
  readonly host?: string;
  /** Bot token, for the REST calls a response cannot carry (deleting a message). */
  readonly token?: string | undefined;
  readonly apiUrl?: string | undefined;
  /** Readiness for /healthz: the corpus is loaded. */
  readonly ready?: () => boolean;
}

type Raw = Record<string, unknown>;

const asRecord = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {});

function userOf(interaction: Raw): UserRef {
  const user = asRecord(asRecord(interaction['member'])['user'] ?? interaction['user']);
  return { id: String(user['id'] ?? ''), name: String(user['global_name'] ?? user['username'] ?? '') };
}

function commandRequest(interaction: Raw): CommandRequest {
  const data = asRecord(interaction['data']);
  const resolved = asRecord(data['resolved']);
  const options = new Map<string, OptionValue>();
  for (const option of Array.isArray(data['options']) ? (data['options'] as Raw[]) : []) {
    const name = String(option['name'] ?? '');
    if (option['type'] === 6) {
      const user = asRecord(asRecord(resolved['users'])[String(option['value'])]);
      options.set(name, { id: String(option['value']), name: String(user['username'] ?? '') });
    } else if (typeof option['value'] === 'string' || typeof option['value'] === 'number' || typeof option['value'] === 'boolean') {
      options.set(name, option['value']);
    }
  }
  const base = {
    commandName: String(data['name'] ?? ''),
    user: userOf(interaction),
    guildId: typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null,
    options,
  };
  const targetId = data['target_id'];
  if (data['type'] === 3 && typeof targetId === 'string') {
    const target = asRecord(asRecord(resolved['messages'])[targetId]);
    return {
      ...base,
      targetMessage: { id: targetId, content: String(target['content'] ?? ''), authorId: String(asRecord(target['author'])['id'] ?? '') },
    };
  }
  return base;
}

function componentRequest(interaction: Raw): ComponentRequest {
  const message = asRecord(interaction['message']);
  return {
    customId: String(asRecord(interaction['data'])['custom_id'] ?? ''),
    user: userOf(interaction),
    message: {
      content: String(message['content'] ?? ''),
      embeds: Array.isArray(message['embeds']) ? (message['embeds'] as APIEmbed[]) : [],
    },
  };
}

function messageData(payload: MessagePayload, withFlags: boolean) {
  return {
    content: payload.content ?? '',
    embeds: payload.embeds,
    components: payload.components,
    allowed_mentions: payload.allowed_mentions,
    ...(withFlags && payload.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Discord's HTTP interactions endpoint: `POST /interactions`, every request's Ed25519 signature
 * checked before anything else, answered with the same router as the gateway bot; `GET /healthz`
 * reports readiness. Stateless, so several instances can run behind a load balancer.
 */
export async function startHttpInteractions(options: HttpInteractionsOptions): Promise<Server> {
  const key = discordPublicKey(options.publicKey);
  const rest = options.token ? new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token) : null;
  const { router, logger } = options;

  const handleInteraction = (
    interaction: Raw,
  ): { status: number; body: unknown; after?: () => Promise<void>; logged?: Pick<InteractionRecord, 'kind' | 'command' | 'response'> } => {
    const type = interaction['type'];
    if (type === InteractionType.Ping) return { status: 200, body: { type: InteractionResponseType.Pong } };
    if (type === InteractionType.ApplicationCommandAutocomplete) {
      const request = commandRequest(interaction);
      const focused = (asRecord(interaction['data'])['options'] as Raw[] | undefined)?.find((option) => option['focused'] === true);
      const choices = focused ? router.autocomplete(request, { name: String(focused['name']), value: String(focused['value'] ?? '') }) : [];
      return { status: 200, body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } } };
    }
    let response: Response;
    let logged: Pick<InteractionRecord, 'kind' | 'command' | 'response'>;
    if (type === InteractionType.ApplicationCommand) {
      const request = commandRequest(interaction);
      response = router.command(request);
      logged = { kind: 'command', command: request.commandName, response };
    } else if (type === InteractionType.MessageComponent) {
      const request = componentRequest(interaction);
      response = router.component(request);
      logged = { kind: 'button', command: request.customId.split(':')[0] ?? '', response };
    } else return { status: 400, body: { error: 'unsupported interaction type' } };
    if (response.kind === 'reply')
      return {
        status: 200,
        body: { type: InteractionResponseType.ChannelMessageWithSource, data: messageData(response.payload, true) },
        logged,
      };
    if (response.kind === 'update')
      return { status: 200, body: { type: InteractionResponseType.UpdateMessage, data: messageData(response.payload, false) }, logged };
    const applicationId = String(interaction['application_id'] ?? '');
    const token = String(interaction['token'] ?? '');
    return {
      status: 200,
      body: { type: InteractionResponseType.DeferredMessageUpdate },
      logged,
      after: async () => {
        if (!rest) throw new Error('deleting a message needs DISCORD_TOKEN in http mode');
        await rest.delete(Routes.webhookMessage(applicationId, token, '@original'));
      },
    };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz') {
        const ready = options.ready?.() ?? true;
        respond(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
        return;
      }
      if (url.pathname !== '/interactions') return respond(res, 404, { error: 'not found' });
      if (req.method !== 'POST') return respond(res, 405, { error: 'use POST' });
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === 'too-large') return respond(res, 413, { error: 'body too large' });
      const problem = checkSignature(
        key,
        req.headers['x-signature-ed25519'] as string | undefined,
        req.headers['x-signature-timestamp'] as string | undefined,
        body,
      );
      if (problem !== null) {
        logger.warn({ problem, ip: req.socket.remoteAddress }, 'refused an interaction request with a bad signature');
        return respond(res, 401, { error: 'invalid request signature' });
      }
      let interaction: Raw;
      try {
        interaction = asRecord(JSON.parse(body.toString('utf8')));
      } catch {
        return respond(res, 400, { error: 'body is not JSON' });
      }
      const started = performance.now();
      const result = handleInteraction(interaction);
      respond(res, result.status, result.body);
      if (result.logged)
        logInteraction(logger, {
          transport: 'http',
          interactionId: String(interaction['id'] ?? ''),
          userId: userOf(interaction).id,
          guildId: typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null,
          startedAt: started,
          ...result.logged,
        });
      if (result.after) await result.after().catch((err: unknown) => logger.error({ err }, 'follow-up REST call failed'));
    })().catch((err: unknown) => {
      logger.error({ err }, 'http interaction handling failed');
      if (!res.headersSent) respond(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
