import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { REST, Routes } from 'discord.js';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIMessageComponentInteraction,
} from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { logInteraction, type InteractionRecord } from '../bot/log.js';
import { buttonKind } from '../reply/buttons.js';
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

/** Who triggered an interaction: the member's user in a server, the user in a DM. */
function userOf(interaction: APIInteraction): UserRef {
  const user = interaction.member?.user ?? interaction.user;
  return { id: user?.id ?? '', name: user?.global_name ?? user?.username ?? '' };
}

/** Option values by name; a user option arrives as the user, resolved from the interaction. */
function optionValues(
  options: readonly APIApplicationCommandInteractionDataOption[],
  resolved: APIInteractionDataResolved | undefined,
): Map<string, OptionValue> {
  const values = new Map<string, OptionValue>();
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.User) {
      values.set(option.name, { id: option.value, name: resolved?.users?.[option.value]?.username ?? '' });
    } else if ('value' in option) values.set(option.name, option.value);
  }
  return values;
}

function commandRequest(interaction: APIApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction): CommandRequest {
  const { data } = interaction;
  const chatInput = data.type === ApplicationCommandType.ChatInput;
  const base = {
    commandName: data.name,
    user: userOf(interaction),
    guildId: interaction.guild_id ?? null,
    options: chatInput ? optionValues(data.options ?? [], data.resolved) : new Map<string, OptionValue>(),
  };
  if (data.type === ApplicationCommandType.Message) {
    const target = data.resolved.messages[data.target_id];
    return {
      ...base,
      targetMessage: { id: data.target_id, content: target?.content ?? '', authorId: target?.author.id ?? '' },
    };
  }
  return base;
}

function componentRequest(interaction: APIMessageComponentInteraction): ComponentRequest {
  return {
    customId: interaction.data.custom_id,
    user: userOf(interaction),
    message: { content: interaction.message.content, embeds: interaction.message.embeds },
  };
}

/** The focused option of an autocomplete interaction, wherever it sits (subcommands nest options). */
function focusedOption(options: readonly APIApplicationCommandInteractionDataOption[]): { name: string; value: string } | undefined {
  for (const option of options) {
    if ('focused' in option && option.focused === true) return { name: option.name, value: String(option.value) };
    if ('options' in option && option.options !== undefined) {
      const nested = focusedOption(option.options);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
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
    interaction: APIInteraction,
  ): { status: number; body: unknown; after?: () => Promise<void>; logged?: Pick<InteractionRecord, 'kind' | 'command' | 'response'> } => {
    if (interaction.type === InteractionType.Ping) return { status: 200, body: { type: InteractionResponseType.Pong } };
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
      const focused = focusedOption(interaction.data.options);
      const choices = focused ? router.autocomplete(commandRequest(interaction), focused) : [];
      return { status: 200, body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } } };
    }
    let response: Response;
    let logged: Pick<InteractionRecord, 'kind' | 'command' | 'response'>;
    if (interaction.type === InteractionType.ApplicationCommand) {
      const request = commandRequest(interaction);
      response = router.command(request);
      logged = { kind: 'command', command: request.commandName, response };
    } else if (interaction.type === InteractionType.MessageComponent) {
      const request = componentRequest(interaction);
      response = router.component(request);
      logged = { kind: 'button', command: buttonKind(request.customId) ?? 'unknown', response };
    } else return { status: 400, body: { error: 'unsupported interaction type' } };
    if (response.kind === 'reply')
      return {
        status: 200,
        body: { type: InteractionResponseType.ChannelMessageWithSource, data: messageData(response.payload, true) },
        logged,
      };
    if (response.kind === 'update')
      return { status: 200, body: { type: InteractionResponseType.UpdateMessage, data: messageData(response.payload, false) }, logged };
    const { application_id: applicationId, token } = interaction;
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
      let interaction: APIInteraction;
      try {
        // The signature says Discord sent it, so it has Discord's shape (discord-api-types describes it).
        interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
      } catch {
        return respond(res, 400, { error: 'body is not JSON' });
      }
      if (typeof interaction !== 'object' || interaction === null) return respond(res, 400, { error: 'body is not an interaction' });
      const started = performance.now();
      const result = handleInteraction(interaction);
      respond(res, result.status, result.body);
      if (result.logged)
        logInteraction(logger, {
          transport: 'http',
          interactionId: interaction.id,
          userId: userOf(interaction).id,
          guildId: interaction.guild_id ?? null,
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
