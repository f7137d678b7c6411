import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { REST, Routes } from 'discord.js';
import { InteractionResponseType, InteractionType, MessageFlags, type APIEmbed } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import { APOLOGY, type Router } from '../bot/router.js';
import { logInteraction } from '../bot/log.js';
import { buttonKind } from '../reply/buttons.js';
import type { CommandRequest, ComponentRequest, OptionValue, UserRef } from '../bot/types.js';
import type { MessagePayload, Response } from '../reply/types.js';
import { createdAt, deferPrivately, DEFER_AFTER_MS, finishDeferred, settleSoon } from './deferral.js';
import { checkSignature, discordPublicKey, MAX_SIGNATURE_AGE_SECONDS } from './verify.js';

/** Interaction bodies are a few KiB; anything far larger is refused before it is read whole. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * What one slow or idle client may hold. Discord sends a whole request at once, so a few seconds
 * for the headers and for the whole request are plenty; Node's defaults (60 s, 300 s, checked every
 * 30 s) let slow unauthenticated sockets pile up until file descriptors run out. The connection cap
 * keeps a flood from doing the same before the timeouts close them.
 */
export interface HttpLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly checkIntervalMs: number;
  readonly maxConnections: number;
}

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 5000,
  requestTimeoutMs: 5000,
  keepAliveTimeoutMs: 5000,
  /** How often Node checks the two timeouts above. */
  checkIntervalMs: 500,
  maxConnections: 4096,
};

/** How long a graceful stop lets requests in flight and deferred answers finish before closing every socket. */
export const STOP_GRACE_MS = 5000;

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
  /** Overrides of {@link HTTP_LIMITS}, for tests. */
  readonly limits?: Partial<HttpLimits>;
}

/** Thrown for a signed body that is not an interaction Discord could have sent: answered 400. */
class MalformedInteraction extends Error {}

/** An option's value must be what Discord sends: a string, a number or a boolean. */
function checkOptions(options: unknown, depth = 0): void {
  if (options === undefined) return;
  if (!Array.isArray(options) || depth > 2) throw new MalformedInteraction('options must be a list');
  for (const option of options as unknown[]) {
    if (typeof option !== 'object' || option === null || Array.isArray(option))
      throw new MalformedInteraction('an option is not an object');
    const { name, value, options: nested } = option as Raw;
    if (typeof name !== 'string') throw new MalformedInteraction('an option has no name');
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new MalformedInteraction(`option '${name.slice(0, 100)}' has a value of the wrong type`);
    }
    checkOptions(nested, depth + 1);
  }
}

/**
 * Interaction ids seen within the signature window. A signed request replayed inside the window has
 * a valid signature and a fresh enough timestamp; its id gives it away. Ids arrive in time order,
 * so the oldest are dropped from the front: constant time per request.
 */
export class SeenInteractions {
  readonly #seen = new Map<string, number>();
  constructor(
    readonly windowMs = (MAX_SIGNATURE_AGE_SECONDS + 60) * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records `id`; false when it was already seen within the window. */
  first(id: string): boolean {
    const now = this.now();
    for (const [old, at] of this.#seen) {
      if (now - at < this.windowMs) break;
      this.#seen.delete(old);
    }
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, now);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}

/**
 * Deferred answers. Acknowledging is what has a deadline (3 s), answering has 15 minutes: so while
 * requests keep arriving the backlog waits, and it computes one answer per turn of the event loop
 * once they pause (or once its oldest answer has waited {@link Backlog.MAX_WAIT_MS}), so a flood is
 * acknowledged first and answered right after. Their REST calls run concurrently.
 */
class Backlog {
  static readonly QUIET_MS = 20;
  static readonly MAX_WAIT_MS = 10_000;
  readonly #jobs: { run: () => Promise<void>; at: number }[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #scheduled = false;
  #lastArrival = 0;

  /** A request arrived: answers wait until arrivals pause. */
  arrived(): void {
    this.#lastArrival = performance.now();
  }

  push(run: () => Promise<void>): void {
    this.#jobs.push({ run, at: performance.now() });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#jobs.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#turn());
  }

  #turn(): void {
    this.#scheduled = false;
    const now = performance.now();
    const oldest = this.#jobs[0];
    if (oldest === undefined) return;
    if (now - this.#lastArrival < Backlog.QUIET_MS && now - oldest.at < Backlog.MAX_WAIT_MS) {
      this.#scheduled = true;
      setTimeout(() => this.#turn(), Backlog.QUIET_MS);
      return;
    }
    this.#jobs.shift();
    const running = oldest.run().finally(() => this.#inFlight.delete(running));
    this.#inFlight.add(running);
    this.#schedule();
  }

  /** Resolves once every job has run and its REST calls have settled. */
  async drained(): Promise<void> {
    while (this.#jobs.length > 0 || this.#inFlight.size > 0) {
      await Promise.allSettled([...this.#inFlight]);
      if (this.#jobs.length > 0) await new Promise((resolve) => setTimeout(resolve, Backlog.QUIET_MS));
    }
  }
}

const backlogs = new WeakMap<Server, Backlog>();

/**
 * Stops an endpoint: no new connections, idle ones closed at once, requests in flight and deferred
 * answers given `graceMs` to finish, then every socket closed. Resolves when the server is closed.
 */
export async function closeHttpInteractions(server: Server, graceMs = STOP_GRACE_MS): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await Promise.race([Promise.all([closed, backlogs.get(server)?.drained()]), new Promise((resolve) => setTimeout(resolve, graceMs))]);
    server.closeAllConnections();
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

type Raw = Record<string, unknown>;

/** A field of a raw interaction as text: strings as they are, numbers written out, anything else empty. */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

const asRecord = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {});

function userOf(interaction: Raw): UserRef {
  const member = asRecord(interaction['member']);
  const user = asRecord(member['user'] ?? interaction['user']);
  const name = textOf(user['global_name'] ?? user['username']);
  const nick = member['nick'];
  return { id: textOf(user['id']), name, displayName: typeof nick === 'string' && nick !== '' ? nick : name };
}

/** The options given, under the subcommand (and group) when one was used. */
function optionsOf(data: Raw): { subcommand?: string; options: Raw[] } {
  let options = Array.isArray(data['options']) ? (data['options'] as Raw[]) : [];
  const asList = (value: unknown): Raw[] => (Array.isArray(value) ? (value as Raw[]) : []);
  if (options[0]?.['type'] === 2) options = asList(options[0]['options']);
  if (options[0]?.['type'] === 1) return { subcommand: textOf(options[0]['name']), options: asList(options[0]['options']) };
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
    const name = textOf(option['name']);
    if (option['type'] === 6) {
      const user = asRecord(asRecord(resolved['users'])[String(option['value'])]);
      options.set(name, { id: String(option['value']), name: textOf(user['username']) });
    } else if (option['type'] === 11) {
      const file = asRecord(asRecord(resolved['attachments'])[String(option['value'])]);
      options.set(name, {
        kind: 'attachment',
        id: String(option['value']),
        filename: textOf(file['filename']),
        size: Number(file['size'] ?? 0),
        url: textOf(file['url']),
        contentType: typeof file['content_type'] === 'string' ? file['content_type'] : null,
      });
    } else if (typeof option['value'] === 'string' || typeof option['value'] === 'number' || typeof option['value'] === 'boolean') {
      options.set(name, option['value']);
    }
  }
  const base = {
    commandName: textOf(data['name']),
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
      targetMessage: { id: targetId, content: textOf(target['content']), authorId: textOf(asRecord(target['author'])['id']) },
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
    customId: textOf(data['custom_id']),
    user: userOf(interaction),
    guildId: typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null,
    memberPermissions: permissionsOf(interaction),
    message: {
      content: textOf(message['content']),
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
    ...(payload.files
      ? {
          attachments: payload.files.map((file, id) => ({
            id,
            filename: file.name,
            ...(file.description ? { description: file.description } : {}),
          })),
        }
      : {}),
  };
}

/** A payload's files as the REST client uploads them (multipart). */
function filesOf(payload: MessagePayload) {
  return (payload.files ?? []).map((file) => ({ name: file.name, data: Buffer.from(file.data) }));
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A request whose client went away before its body arrived: nothing to answer, nothing to report. */
const ABORTED = 'aborted';

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | typeof ABORTED> {
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
    req.on('close', () => {
      if (!req.complete) resolve(ABORTED);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.message === 'aborted') resolve(ABORTED);
      else reject(err);
    });
  });
}

/** The body of a deferral: the answer's visibility cannot change after it (see deferral.ts). */
function deferralBody(privately: boolean) {
  return {
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    ...(privately ? { data: { flags: MessageFlags.Ephemeral } } : {}),
  };
}

/**
 * How long an interaction has waited: since Discord created it (its id's time) when that clock is
 * plausible, and never less than since its request arrived here.
 */
function waitedMs(interaction: Raw, arrived: number): number {
  const local = performance.now() - arrived;
  const created = createdAt(textOf(interaction['id']));
  if (created === undefined) return local;
  const age = Date.now() - created;
  return age >= 0 && age <= MAX_SIGNATURE_AGE_SECONDS * 1000 ? Math.max(age, local) : local;
}

/**
 * Discord's HTTP interactions endpoint: `POST /interactions`, every request's Ed25519 signature
 * checked before anything else, answered with the same router as the gateway bot; `GET /healthz`
 * reports readiness. A command that waited past the deferral threshold (a flood, a slow moment) is
 * acknowledged with a deferral at once and answered by an edit, as in gateway mode. Stateless
 * between requests but for the ids of recent ones (refusing replays), so several instances can run
 * behind a load balancer.
 */
export async function startHttpInteractions(options: HttpInteractionsOptions): Promise<Server> {
  const key = discordPublicKey(options.publicKey);
  const limits = { ...HTTP_LIMITS, ...options.limits };
  // Interaction webhooks (edits, follow-ups, deletes) are not bound by the bot's global rate limit.
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), globalRequestsPerSecond: 10_000 });
  if (options.token) rest.setToken(options.token);
  const { router, logger } = options;
  const seen = new SeenInteractions();
  const backlog = new Backlog();

  /**
   * Sends the answer to a deferred interaction: an edit of the placeholder, or, for a private answer
   * after a public placeholder, a private follow-up in its place. A deferred response is awaited first.
   */
  const sendDeferred = async (interaction: Raw, response: Response, privately: boolean): Promise<void> => {
    if (response.kind === 'defer') {
      const settled = await response.result().catch((err: unknown): Response => {
        logger.error({ err, interactionId: interaction['id'] }, 'deferred work failed');
        return { kind: 'reply', payload: APOLOGY };
      });
      return sendDeferred(interaction, settled, privately);
    }
    const applicationId = textOf(interaction['application_id']);
    const token = textOf(interaction['token']);
    if (response.kind === 'reply' && finishDeferred(privately, response.payload) === 'replace-privately') {
      await rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false });
      await postFollowUp(interaction, response.payload);
      return;
    }
    if (response.kind !== 'reply' && response.kind !== 'update') throw new Error(`a deferred ${response.kind} cannot be delivered`);
    await rest.patch(Routes.webhookMessage(applicationId, token, '@original'), {
      body: messageData(response.payload, false),
      files: filesOf(response.payload),
      auth: false,
    });
    if (response.kind === 'update' && response.followUp) await postFollowUp(interaction, response.followUp);
  };

  /** A further message on the interaction (files included), authorised by its token alone. */
  const postFollowUp = async (interaction: Raw, payload: MessagePayload): Promise<void> => {
    const route = Routes.webhook(textOf(interaction['application_id']), textOf(interaction['token']));
    await rest.post(route, { body: messageData(payload, true), files: filesOf(payload), auth: false });
  };

  /** Finishes a deferred command: the answer computed now, sent as an edit of the placeholder (or privately). */
  const finish = (interaction: Raw, request: CommandRequest, privately: boolean, started: number) => async (): Promise<void> => {
    const response = router.command(request);
    try {
      await sendDeferred(interaction, response, privately);
      logLine(interaction, started, response, true);
    } catch (err) {
      logger.error({ err, interactionId: interaction['id'] }, 'sending a deferred answer failed');
    }
  };

  /** The one interaction log line, with the same fields as in gateway and console mode. */
  const logLine = (interaction: Raw, started: number, response: Response | undefined, deferred: boolean): void => {
    const data = asRecord(interaction['data']);
    const isButton = interaction['type'] === InteractionType.MessageComponent || interaction['type'] === InteractionType.ModalSubmit;
    const customId = textOf(data['custom_id']);
    logInteraction(logger, {
      transport: 'http',
      interactionId: typeof interaction['id'] === 'string' ? interaction['id'] : null,
      kind: isButton ? 'button' : 'command',
      command: isButton ? (buttonKind(customId) ?? customId.split(':')[0] ?? '') : textOf(data['name']),
      userId: userOf(interaction).id,
      guildId: typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null,
      startedAt: started,
      response: response ?? { kind: 'delete' },
      deferred,
    });
  };

  const handleInteraction = async (
    interaction: Raw,
    arrived: number,
  ): Promise<{ status: number; body: unknown; after?: () => Promise<void>; response?: Response }> => {
    const type = interaction['type'];
    if (type === InteractionType.Ping) return { status: 200, body: { type: InteractionResponseType.Pong } };
    checkOptions(asRecord(interaction['data'])['options']);
    // The first interaction from a server loads its readings; later ones find them loaded.
    const loading = router.prepare(typeof interaction['guild_id'] === 'string' ? interaction['guild_id'] : null);
    if (loading) await loading;
    if (type === InteractionType.ApplicationCommandAutocomplete) {
      const request = commandRequest(interaction);
      const focused = optionsOf(asRecord(interaction['data'])).options.find((option) => option['focused'] === true);
      const choices = focused ? router.autocomplete(request, { name: String(focused['name']), value: textOf(focused['value']) }) : [];
      return { status: 200, body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } } };
    }
    let response: Response;
    if (type === InteractionType.ApplicationCommand) {
      const request = commandRequest(interaction);
      if (waitedMs(interaction, arrived) > DEFER_AFTER_MS) {
        const privately = deferPrivately(request) || router.commands.get(request.commandName)?.ephemeral === true;
        backlog.push(finish(interaction, request, privately, arrived));
        return { status: 200, body: deferralBody(privately) };
      }
      // Work expected in milliseconds is waited for, and answered in this response if it comes in time.
      response = await settleSoon(router.command(request));
    } else if (type === InteractionType.MessageComponent || type === InteractionType.ModalSubmit)
      response = router.component(componentRequest(interaction));
    else return { status: 400, body: { error: 'unsupported interaction type' } };
    const applicationId = textOf(interaction['application_id']);
    const token = textOf(interaction['token']);
    if (response.kind === 'reply')
      return {
        response,
        status: 200,
        body: { type: InteractionResponseType.ChannelMessageWithSource, data: messageData(response.payload, true) },
      };
    if (response.kind === 'update') {
      const { followUp } = response;
      return {
        response,
        status: 200,
        body: { type: InteractionResponseType.UpdateMessage, data: messageData(response.payload, false) },
        ...(followUp ? { after: async () => postFollowUp(interaction, followUp) } : {}),
      };
    }
    if (response.kind === 'modal') return { status: 200, body: { type: InteractionResponseType.Modal, data: response.modal } };
    if (response.kind === 'defer') {
      const update = response.update === true && type === InteractionType.MessageComponent;
      const result = response.result;
      const ephemeral = response.ephemeral;
      return {
        status: 200,
        body: update
          ? { type: InteractionResponseType.DeferredMessageUpdate }
          : {
              type: InteractionResponseType.DeferredChannelMessageWithSource,
              data: ephemeral ? { flags: MessageFlags.Ephemeral } : {},
            },
        after: async () => sendDeferred(interaction, { kind: 'defer', ephemeral, result }, ephemeral),
      };
    }
    return {
      status: 200,
      body: { type: InteractionResponseType.DeferredMessageUpdate },
      after: async () => {
        await rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false });
      },
    };
  };

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (req, res) => {
      const arrived = performance.now();
      backlog.arrived();
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
        if (body === ABORTED) {
          // Anyone can open a request and drop it; one line each would let them flood the log.
          logger.debug({ ip: req.socket.remoteAddress }, 'client went away before sending the whole request');
          return;
        }
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
          const parsed: unknown = JSON.parse(body.toString('utf8'));
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new MalformedInteraction('not an object');
          interaction = parsed as Raw;
        } catch {
          return respond(res, 400, { error: 'body is not a JSON object' });
        }
        if (interaction['type'] !== InteractionType.Ping) {
          if (typeof interaction['id'] !== 'string') return respond(res, 400, { error: 'interaction has no id' });
          if (!seen.first(interaction['id'])) {
            logger.warn({ interactionId: interaction['id'], ip: req.socket.remoteAddress }, 'refused a replayed interaction request');
            return respond(res, 409, { error: 'interaction already received' });
          }
        }
        let result: Awaited<ReturnType<typeof handleInteraction>>;
        try {
          result = await handleInteraction(interaction, arrived);
        } catch (err) {
          if (!(err instanceof MalformedInteraction)) throw err;
          logger.warn({ problem: err.message, interactionId: interaction['id'] }, 'refused a malformed interaction');
          return respond(res, 400, { error: `malformed interaction: ${err.message}` });
        }
        respond(res, result.status, result.body);
        const deferred = (result.body as { type?: unknown }).type === InteractionResponseType.DeferredChannelMessageWithSource;
        if (!deferred && interaction['type'] !== InteractionType.Ping) logLine(interaction, arrived, result.response, false);
        if (result.after) await result.after().catch((err: unknown) => logger.error({ err }, 'follow-up REST call failed'));
      })().catch((err: unknown) => {
        logger.error({ err }, 'http interaction handling failed');
        if (!res.headersSent) respond(res, 500, { error: 'internal error' });
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  backlogs.set(server, backlog);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
