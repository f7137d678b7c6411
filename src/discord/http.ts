import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { REST, Routes } from 'discord.js';
import { InteractionResponseType, InteractionType, MessageFlags, type APIEmbed } from 'discord-api-types/v10';
import type { Logger } from 'pino';
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

/** The options given, under the subcommand (and group) when one was used. */
function optionsOf(data: Raw): { subcommand?: string; options: Raw[] } {
  let options = Array.isArray(data['options']) ? (data['options'] as Raw[]) : [];
  const asList = (value: unknown): Raw[] => (Array.isArray(value) ? (value as Raw[]) : []);
  if (options[0]?.['type'] === 2) options = asList(options[0]['options']);
  if (options[0]?.['type'] === 1) return { subcommand: String(options[0]['name'] ?? ''), options: asList(options[0]['options']) };
  return { options };
}

function permissionsOf(interaction: Raw): string | null {
  const permissions = asRecord(interaction['member'])['permissions'];
  return typeof permissions === 'string' ? permissions : null;
}

function commandRequest(interaction: Raw): CommandRequest {
  const data = asRecord(interaction['data']);
  const resolved = asRecord(data['resolved']);
  const options = new Map<string, OptionValue>();
  const given = optionsOf(data);
  for (const option of given.options) {
    const name = String(option['name'] ?? '');
    if (option['type'] === 6) {
      const user = asRecord(asRecord(resolved['users'])[String(option['value'])]);
      options.set(name, { id: String(option['value']), name: String(user['username'] ?? '') });
    } else if (option['type'] === 11) {
      const file = asRecord(asRecord(resolved['attachments'])[String(option['value'])]);
      options.set(name, {
        kind: 'attachment',
        id: String(option['value']),
        filename: String(file['filename'] ?? ''),
        size: Number(file['size'] ?? 0),
        url: String(file['url'] ?? ''),
        contentType: typeof file['content_type'] === 'string' ? file['content_type'] : null,
      });
    } else if (typeof option['value'] === 'string' || typeof option['value'] === 'number' || typeof option['value'] === 'boolean') {
      options.set(name, option['value']);
    }
  }
  const base = {
    commandName: String(data['name'] ?? ''),
    user: userOf(interaction),
    guildId: typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null,
    options,
    memberPermissions: permissionsOf(interaction),
    ...(given.subcommand === undefined ? {} : { subcommand: given.subcommand }),
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

/** A submitted form's text inputs, in labels (type 18) or, as older clients send them, in action rows. */
function formFields(components: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    const component = asRecord(value);
    if (typeof component['custom_id'] === 'string' && typeof component['value'] === 'string')
      fields.set(component['custom_id'], component['value']);
    if (component['component'] !== undefined) visit(component['component']);
    if (component['components'] !== undefined) visit(component['components']);
  };
  visit(components);
  return fields;
}

function componentRequest(interaction: Raw): ComponentRequest {
  const message = asRecord(interaction['message']);
  const data = asRecord(interaction['data']);
  return {
    customId: String(data['custom_id'] ?? ''),
    user: userOf(interaction),
    guildId: typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null,
    memberPermissions: permissionsOf(interaction),
    message: {
      content: String(message['content'] ?? ''),
      embeds: Array.isArray(message['embeds']) ? (message['embeds'] as APIEmbed[]) : [],
    },
    ...(interaction['type'] === InteractionType.ModalSubmit ? { fields: formFields(data['components']) } : {}),
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

  // Editing an interaction's own response needs no bot token: the interaction token is the credential.
  const webhooks = new REST(options.apiUrl ? { api: options.apiUrl } : {});
  const editOriginal = async (interaction: Raw, response: Response): Promise<void> => {
    if (response.kind !== 'reply' && response.kind !== 'update') throw new Error(`a deferred ${response.kind} cannot be delivered`);
    const route = Routes.webhookMessage(String(interaction['application_id'] ?? ''), String(interaction['token'] ?? ''), '@original');
    await webhooks.patch(route, { body: messageData(response.payload, false), auth: false });
  };

  const handleInteraction = async (interaction: Raw): Promise<{ status: number; body: unknown; after?: () => Promise<void> }> => {
    const type = interaction['type'];
    if (type === InteractionType.Ping) return { status: 200, body: { type: InteractionResponseType.Pong } };
    const loading = router.prepare(typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null);
    if (loading) await loading;
    if (type === InteractionType.ApplicationCommandAutocomplete) {
      const request = commandRequest(interaction);
      const focused = optionsOf(asRecord(interaction['data'])).options.find((option) => option['focused'] === true);
      const choices = focused ? router.autocomplete(request, { name: String(focused['name']), value: String(focused['value'] ?? '') }) : [];
      return { status: 200, body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } } };
    }
    let response: Response;
    if (type === InteractionType.ApplicationCommand) response = router.command(commandRequest(interaction));
    else if (type === InteractionType.MessageComponent || type === InteractionType.ModalSubmit)
      response = router.component(componentRequest(interaction));
    else return { status: 400, body: { error: 'unsupported interaction type' } };
    if (response.kind === 'reply')
      return { status: 200, body: { type: InteractionResponseType.ChannelMessageWithSource, data: messageData(response.payload, true) } };
    if (response.kind === 'update')
      return { status: 200, body: { type: InteractionResponseType.UpdateMessage, data: messageData(response.payload, false) } };
    if (response.kind === 'modal') return { status: 200, body: { type: InteractionResponseType.Modal, data: response.modal } };
    if (response.kind === 'defer') {
      const update = response.update === true && type === InteractionType.MessageComponent;
      const result = response.result;
      return {
        status: 200,
        body: update
          ? { type: InteractionResponseType.DeferredMessageUpdate }
          : {
              type: InteractionResponseType.DeferredChannelMessageWithSource,
              data: response.ephemeral ? { flags: MessageFlags.Ephemeral } : {},
            },
        after: async () => editOriginal(interaction, await result),
      };
    }
    const applicationId = String(interaction['application_id'] ?? '');
    const token = String(interaction['token'] ?? '');
    return {
      status: 200,
      body: { type: InteractionResponseType.DeferredMessageUpdate },
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
      const result = await handleInteraction(interaction);
      respond(res, result.status, result.body);
      logger.info(
        {
          interactionId: interaction['id'],
          type: interaction['type'],
          userId: userOf(interaction).id,
          guildId: interaction['guild_id'] ?? null,
          latencyMs: Math.round(performance.now() - started),
          transport: 'http',
        },
        'interaction',
      );
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
