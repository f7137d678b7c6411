/**
 * A small Discord-compatible fake (gateway WebSocket + REST) for end-to-end tests that drive the real
 * discord.js Client. It listens on 127.0.0.1 only and answers just enough of the API for a bot that works
 * with interactions; everything it receives is recorded so tests can assert on what the bot sent.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';

export type RawObject = Record<string, unknown>;

export interface FakeDiscordOptions {
  /** Guilds the bot is in. Defaults to one generated guild. */
  guilds?: Array<{ id: string; name?: string }>;
  /** Defaults to the bot user id, as for applications created since 2019. */
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  /** Route guilds (GUILD_CREATE and guild interactions) to the shard that owns them. */
  shardAware?: boolean;
  /** HELLO heartbeat interval. Defaults to Discord's 41250 ms. */
  heartbeatIntervalMs?: number;
  /** When set, an IDENTIFY/RESUME with any other token is rejected (close 4004). */
  token?: string;
  /** `shards` in GET /gateway/bot. Defaults to 1. */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency` in GET /gateway/bot. Defaults to 1. */
  maxConcurrency?: number;
  /**
   * Emulates Discord's acknowledgement window: a callback arriving later than this after dispatch gets
   * 404 Unknown interaction (10062). Off by default.
   */
  callbackDeadlineMs?: number;
  /**
   * Refuses every IDENTIFY by closing the socket with this code, as Discord does with 4014 for an
   * intent the application may not use or 4004 for a reset token. Reason: Discord's, see {@link FATAL_CLOSE_REASONS}.
   */
  refuseIdentify?: number;
}

export interface FakeGuild {
  id: string;
  name: string;
  /** The guild's single text channel, `#general`. */
  channelId: string;
}

export interface FakeUser {
  id: string;
  username: string;
  discriminator: string;
  avatar: null;
  global_name: string | null;
  bot?: boolean;
  [key: string]: unknown;
}

export interface UserInit {
  id?: string;
  username?: string;
  global_name?: string | null;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  author: RawObject;
  embeds: unknown[];
  components: unknown[];
  attachments: RawObject[];
  flags: number;
  [key: string]: unknown;
}

export interface RecordedFile {
  /** The multipart field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string | null;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Percent-decoded path as requested, e.g. `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  /** `path` without the `/api` and `/vN` prefixes, e.g. `/webhooks/1/tok/messages/@original`. */
  route: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the `payload_json` part of a multipart body; null when there is none. */
  body: unknown;
  files: RecordedFile[];
  /** The Authorization header; interaction callbacks and webhooks are sent without one. */
  auth: string | null;
  /** Status this fake answered with (including injected failures). */
  status: number;
  /** True when the answer came from `failNext`. */
  injected: boolean;
  /** True when no route matched (answered 404 `Unknown route`). */
  unknownRoute: boolean;
  /** The dispatched interaction this request responds to (callback or its webhook), if any. */
  interactionId: string | null;
  /** `performance.now()` on arrival. */
  at: number;
}

export interface FaultMatcher {
  method?: string;
  pathIncludes?: string;
}

export interface FaultResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface IdentifyRecord {
  shard?: [number, number];
  token: string;
  intents: number;
}

export interface ResumeRecord {
  sessionId: string;
  seq: number | null;
  accepted: boolean;
}

export interface OptionInput {
  name: string;
  value: string | number | boolean;
  /** Discord option type; inferred from `value` when omitted (string 3, integer 4, boolean 5, number 10). */
  type?: number;
  focused?: boolean;
  /** For user options (type 6): the resolved user. Generated from `value` when omitted. */
  user?: UserInit;
  /** For attachment options (type 11): the attachment, e.g. from `fake.serveAttachment`; `value` is its id. */
  attachment?: RawObject;
}

/** How `serveAttachment` serves a file. */
export interface AttachmentServing {
  contentType?: string;
  /** The size the attachment claims (Discord's `size`); the real length when omitted. */
  claimedSize?: number;
  /** Send this many bytes, then nothing more until the client gives up (a stalled download). */
  stallAfterBytes?: number;
}

/**
 * A partial interaction as produced by the builders; `dispatchInteraction` fills in everything else.
 * Any raw Discord field given here overrides the generated one.
 */
export interface InteractionInit {
  type: number;
  data?: RawObject;
  message?: RawObject;
  /** null makes it a DM interaction. */
  guild_id?: string | null;
  /** Who triggers the interaction; the fake's default user otherwise. */
  asUser?: UserInit;
  [key: string]: unknown;
}

export interface DispatchOptions {
  user?: UserInit;
  /** The member's permissions in the channel (a decimal bit set); the fake's everyday member permissions otherwise. */
  permissions?: string;
  /** How long ago the interaction was created (its id's timestamp), to make it arrive late. */
  ageMs?: number;
  /** The member's server nickname (guild interactions only). */
  nick?: string | null;
  /** null makes it a DM interaction; defaults to the first guild. */
  guildId?: string | null;
  channelId?: string;
  /**
   * How long ago Discord created the interaction (its snowflake's time): an interaction that waited
   * in a queue, as under load. The callback deadline still counts from dispatch.
   */
  createdAgoMs?: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  application_id: string;
  type: number;
  channel_id: string;
  guild_id?: string;
  data: RawObject;
  message?: FakeMessage;
  [key: string]: unknown;
}

export interface FakeDiscord {
  readonly port: number;
  /** Pass as `new Client({ rest: { api: apiBase } })`; discord.js appends `/v10`. */
  readonly apiBase: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  /** The user interactions come from unless told otherwise. */
  readonly defaultUser: FakeUser;
  readonly guilds: readonly FakeGuild[];
  readonly requests: readonly RecordedRequest[];
  readonly identifies: readonly IdentifyRecord[];
  readonly resumes: readonly ResumeRecord[];
  /** Heartbeats (op 1) received and acknowledged. */
  readonly heartbeats: number;
  /** Gateway sockets currently open. */
  readonly openConnections: number;

  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves with the first successfully answered callback POST for the interaction. */
  waitForCallback(interactionId: string, timeoutMs?: number): Promise<RecordedRequest>;
  /** Callback and webhook requests made for the interaction, in arrival order. */
  interactionResponses(interactionId: string): RecordedRequest[];
  /** The interaction's original response message as it currently stands (after reply/edit/update). */
  originalResponse(interactionId: string): FakeMessage | undefined;
  followUps(interactionId: string): FakeMessage[];
  message(id: string): FakeMessage | undefined;
  registeredCommands(guildId?: string): RawObject[];
  /** Base URL of the attachments this fake serves itself (point `DISCORD_CDN_URL` at it). */
  readonly cdnBase: string;
  /** Serves `data` as an attachment and returns the attachment object an interaction carries. */
  serveAttachment(filename: string, data: Buffer | string, serving?: AttachmentServing): RawObject;
  /** Downloads of served attachments, in arrival order. */
  readonly downloads: readonly { id: string; at: number; aborted: boolean }[];

  failNext(matcher: FaultMatcher, responses: FaultResponse[]): void;

  /** Resolves once `count` IDENTIFYs in total have been answered with READY and the guilds. */
  waitForReady(count?: number, timeoutMs?: number): Promise<void>;
  /** Resolves once `count` RESUMEs in total have been accepted. */
  waitForResume(count?: number, timeoutMs?: number): Promise<void>;
  /** Closes every open gateway socket with `code`; resolves once they are closed. */
  closeGateway(code: number, reason?: string): Promise<void>;
  /**
   * Sends a dispatch event. With shard awareness and `guildId`, only the shard owning the guild gets it.
   * Queued until a suitable connection is ready when there is none (e.g. while the client resumes).
   */
  dispatch(event: string, data: RawObject, options?: { guildId?: string }): void;
  /** Completes `init`, sends it as INTERACTION_CREATE and returns the full interaction payload. */
  dispatchInteraction(init: InteractionInit, options?: DispatchOptions): FakeInteraction;
  /**
   * For HTTP-mode bots, which answer an interaction in the HTTP response rather than by a callback
   * request: records `response` as the interaction's callback, so its webhook (edits, follow-ups)
   * works as after a callback. Returns the status a callback would have got.
   */
  recordHttpResponse(interactionId: string, response: unknown): number;

  close(): Promise<void>;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
const GATEWAY_VERSION = '10';
const DEFAULT_HEARTBEAT_MS = 41_250;
const FLAG_LOADING = 128;
/** Bytes per uploaded file, as `attachment_size_limit` in every interaction says: a server without boosts. */
const ATTACHMENT_SIZE_LIMIT = 10_485_760;

const PERMISSION_BITS = [
  6n, // AddReactions
  10n, // ViewChannel
  11n, // SendMessages
  14n, // EmbedLinks
  15n, // AttachFiles
  16n, // ReadMessageHistory
  18n, // UseExternalEmojis
  31n, // UseApplicationCommands
  38n, // SendMessagesInThreads
];
const DEFAULT_PERMISSIONS = PERMISSION_BITS.reduce((acc, bit) => acc | (1n << bit), 0n).toString();

// Sessions stay resumable after these close codes, matching what Discord documents as "reconnect and resume".
const RESUMABLE_CLOSE_CODES = new Set([1001, 4000, 4001, 4002, 4003, 4005, 4008]);

/** Close codes after which Discord does not take the session or the bot back, with Discord's reasons. */
export const FATAL_CLOSE_REASONS: Readonly<Record<number, string>> = {
  4004: 'Authentication failed.',
  4010: 'Invalid shard.',
  4011: 'Sharding required.',
  4012: 'Invalid API version.',
  4013: 'Invalid intent(s).',
  4014: 'Disallowed intent(s).',
};

let snowflakeIncrement = 0n;

/** A fresh, time-ordered snowflake. */
export function snowflake(at: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/**
 * A snowflake that Discord's sharding formula `(id >> 22) % shardCount` assigns to `shardId`;
 * `n` distinguishes several ids for the same shard.
 */
export function snowflakeForShard(shardId: number, shardCount: number, n = 0): string {
  const count = BigInt(shardCount);
  const base = (300_000_000_000n / count) * count;
  const timestampPart = base + BigInt(n) * count + BigInt(shardId);
  return ((timestampPart << 22n) | BigInt(n & 0xfff)).toString();
}

/** Whether the shard `[id, count]` owns the guild, by Discord's sharding formula. */
export function shardOwnsGuild(guildId: string, shard: readonly [number, number]): boolean {
  return (BigInt(guildId) >> 22n) % BigInt(shard[1]) === BigInt(shard[0]);
}

function inferOptionType(value: string | number | boolean): number {
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 5;
  return Number.isInteger(value) ? 4 : 10;
}

function makeUser(init: UserInit | undefined, fallbackName: string): FakeUser {
  const id = init?.id ?? snowflake();
  const username = init?.username ?? fallbackName;
  return {
    id,
    username,
    discriminator: '0',
    avatar: null,
    global_name: init?.global_name === undefined ? username : init.global_name,
    public_flags: 0,
  };
}

function buildOptions(options: readonly OptionInput[]): { options: RawObject[]; resolved: RawObject | undefined } {
  const users: Record<string, FakeUser> = {};
  const members: Record<string, RawObject> = {};
  const attachments: Record<string, RawObject> = {};
  const built = options.map((option) => {
    const type = option.type ?? (option.attachment ? 11 : inferOptionType(option.value));
    if (type === 11 && option.attachment) attachments[String(option.value)] = option.attachment;
    if (type === 6) {
      const id = String(option.value);
      users[id] = makeUser({ ...option.user, id }, option.user?.username ?? `user${id.slice(-4)}`);
      members[id] = {
        nick: null,
        avatar: null,
        roles: [],
        joined_at: new Date().toISOString(),
        premium_since: null,
        pending: false,
        flags: 0,
        permissions: DEFAULT_PERMISSIONS,
        communication_disabled_until: null,
      };
    }
    const raw: RawObject = { name: option.name, type, value: option.value };
    if (option.focused) raw['focused'] = true;
    return raw;
  });
  const resolved: RawObject = {};
  if (Object.keys(users).length > 0) Object.assign(resolved, { users, members });
  if (Object.keys(attachments).length > 0) resolved['attachments'] = attachments;
  return { options: built, resolved: Object.keys(resolved).length > 0 ? resolved : undefined };
}

/**
 * A chat input command (`/name`) without subcommands. User options (type 6) get `data.resolved` entries.
 * `extra` is merged into the raw interaction (e.g. `{ locale: 'de' }` or `{ asUser: {...} }`).
 */
export function slashCommand(name: string, options: readonly OptionInput[] = [], extra: Partial<InteractionInit> = {}): InteractionInit {
  const built = buildOptions(options);
  const data: RawObject = { name, type: 1 };
  if (built.options.length > 0) data['options'] = built.options;
  if (built.resolved) data['resolved'] = built.resolved;
  return { ...extra, type: 2, data };
}

/** `/name sub` with the subcommand's options, e.g. `/reading add file:…`. */
export function subcommand(
  name: string,
  sub: string,
  options: readonly OptionInput[] = [],
  extra: Partial<InteractionInit> = {},
): InteractionInit {
  const built = buildOptions(options);
  const data: RawObject = { name, type: 1, options: [{ name: sub, type: 1, options: built.options }] };
  if (built.resolved) data['resolved'] = built.resolved;
  return { ...extra, type: 2, data };
}

/** Autocomplete for an option of `/name sub`; the last option is focused. */
export function subcommandAutocomplete(name: string, sub: string, options: readonly OptionInput[]): InteractionInit {
  const marked = options.map((option, index) => (index === options.length - 1 ? { ...option, focused: true } : option));
  return { type: 4, data: { name, type: 1, options: [{ name: sub, type: 1, options: buildOptions(marked).options }] } };
}

/** An attachment option given the attachment object `serveAttachment` returned. */
export function attachmentOption(name: string, attachment: RawObject): OptionInput {
  return { name, type: 11, value: String(attachment['id']), attachment };
}

/** A submitted modal: each text input in a label, as current clients send it. */
export function modalSubmit(customId: string, fields: Record<string, string>): InteractionInit {
  const components = Object.entries(fields).map(([id, value], index) => ({
    type: 18,
    id: index * 2 + 1,
    component: { type: 4, id: index * 2 + 2, custom_id: id, value },
  }));
  return { type: 5, data: { custom_id: customId, components } };
}

/** An autocomplete request for `/name`; the last option is focused unless one is marked `focused`. */
export function autocomplete(name: string, options: readonly OptionInput[], extra: Partial<InteractionInit> = {}): InteractionInit {
  const hasFocus = options.some((option) => option.focused);
  const marked = options.map((option, index) => (hasFocus || index !== options.length - 1 ? option : { ...option, focused: true }));
  const { options: built } = buildOptions(marked);
  return { ...extra, type: 4, data: { name, type: 1, options: built } };
}

/** A message context-menu command targeting `targetMessage` (a full or partial message object). */
export function messageContextMenu(name: string, targetMessage: RawObject, extra: Partial<InteractionInit> = {}): InteractionInit {
  const id = typeof targetMessage['id'] === 'string' ? targetMessage['id'] : snowflake();
  const message = { ...targetMessage, id };
  return {
    ...extra,
    type: 2,
    data: { name, type: 3, target_id: id, resolved: { messages: { [id]: message } } },
  };
}

/** A click on the button `customId` of `message`, e.g. `fake.originalResponse(earlier.id)`. */
export function buttonClick(customId: string, message: RawObject, user?: UserInit): InteractionInit {
  const init: InteractionInit = { type: 3, data: { custom_id: customId, component_type: 2 }, message };
  if (user) init.asUser = user;
  return init;
}

/** A string-select choice on `message`. */
export function stringSelect(customId: string, values: readonly string[], message: RawObject, user?: UserInit): InteractionInit {
  const data = { custom_id: customId, component_type: 3, values: [...values] };
  const init: InteractionInit = { type: 3, data, message };
  if (user) init.asUser = user;
  return init;
}

/**
 * A message authored by a user (not the bot), e.g. as a context-menu target. `channel_id` is filled in at
 * dispatch time when left out.
 */
export function userMessage(content: string, fields: RawObject & { author?: UserInit } = {}): RawObject {
  const { author, ...rest } = fields;
  return {
    id: snowflake(),
    content,
    author: makeUser(author, 'someone'),
    ...rest,
  };
}

/** A 429 answer discord.js understands, for `failNext`; `retryAfter` is in seconds. */
export function rateLimited(retryAfter = 0.05, options: { global?: boolean } = {}): FaultResponse {
  const headers: Record<string, string> = {
    'retry-after': String(retryAfter),
    'x-ratelimit-limit': '1',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset-after': String(retryAfter),
    'x-ratelimit-bucket': 'fakebucket',
    'x-ratelimit-scope': options.global ? 'global' : 'user',
  };
  if (options.global) headers['x-ratelimit-global'] = 'true';
  return {
    status: 429,
    headers,
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global: Boolean(options.global), code: 0 },
  };
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface GatewaySession {
  id: string;
  token: string;
  seq: number;
  shard: [number, number] | undefined;
  guildIds: string[];
  connection: GatewayConnection | null;
}

interface GatewayConnection {
  socket: WebSocket;
  session: GatewaySession | null;
  /** Identified or resumed, so dispatches may be sent. */
  live: boolean;
}

interface PendingDispatch {
  event: string;
  data: RawObject;
  guildId: string | undefined;
}

interface InteractionState {
  interaction: FakeInteraction;
  dispatchedAt: number;
  callbackType: number | null;
  originalMessageId: string | null;
  followUpIds: string[];
}

interface Waiter {
  check: () => boolean;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Fault {
  matcher: FaultMatcher;
  responses: FaultResponse[];
}

const error = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });
const json = (body: unknown, status = 200): Reply => ({ status, body });
const noContent: Reply = { status: 204 };

function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Discord refuses a message whose embeds link anything but http(s) with 400, failing the whole
 * message; the fake does the same for any body that carries embeds (a callback's `data` or a webhook's).
 */
function refusedEmbedLink(body: unknown): Reply | undefined {
  const data = isObject(body) && isObject(body['data']) ? body['data'] : body;
  const embeds = isObject(data) && Array.isArray(data['embeds']) ? data['embeds'] : [];
  for (const [index, embed] of embeds.entries()) {
    if (!isObject(embed)) continue;
    const links: [string, unknown][] = [
      ['url', embed['url']],
      ['author.url', isObject(embed['author']) ? embed['author']['url'] : undefined],
      ['image.url', isObject(embed['image']) ? embed['image']['url'] : undefined],
      ['thumbnail.url', isObject(embed['thumbnail']) ? embed['thumbnail']['url'] : undefined],
    ];
    for (const [field, value] of links) {
      if (value === undefined) continue;
      const scheme = typeof value === 'string' ? /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase() : undefined;
      // Pictures may also name one of the message's own files, as Discord allows.
      const ownFile = scheme === 'attachment' && (field === 'image.url' || field === 'thumbnail.url');
      if (scheme !== 'http' && scheme !== 'https' && !ownFile) {
        return error(
          400,
          50035,
          `Invalid Form Body: embeds.${index}.${field}: Scheme "${String(scheme)}" is not supported. Scheme must be one of ('http', 'https').`,
        );
      }
    }
  }
  return undefined;
}

/** PUT/POST keep a command's id when one with the same name and type already exists, as Discord does. */
function sameCommand(a: RawObject, b: RawObject): boolean {
  return a['name'] === b['name'] && (a['type'] ?? 1) === (b['type'] ?? 1);
}

function idOf(object: RawObject | undefined): string | undefined {
  return typeof object?.['id'] === 'string' ? object['id'] : undefined;
}

function parseShard(value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [id, count] = value as unknown[];
  return typeof id === 'number' && typeof count === 'number' ? [id, count] : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Route patterns use `:name` for parameters; returns the parameters when `segments` match. */
function match(segments: readonly string[], pattern: string): Record<string, string> | null {
  const parts = pattern.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

function parseMultipart(buffer: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = buffer.indexOf(delimiter);
  while (position !== -1) {
    position += delimiter.length;
    if (buffer[position] === 0x2d && buffer[position + 1] === 0x2d) break;
    if (buffer[position] === 0x0d && buffer[position + 1] === 0x0a) position += 2;
    const next = buffer.indexOf(delimiter, position);
    if (next === -1) break;
    let end = next;
    if (buffer[end - 2] === 0x0d && buffer[end - 1] === 0x0a) end -= 2;
    const part = buffer.subarray(position, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headerText = part.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headerText)?.[1] ?? '';
      parts.push({
        name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '',
        filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null,
        contentType: /content-type:\s*([^\r\n]*)/i.exec(headerText)?.[1]?.trim() ?? null,
        data: part.subarray(headerEnd + 4),
      });
    }
    position = next;
  }
  return parts;
}

async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const buffer = Buffer.concat(chunks);
  if (buffer.length === 0) return { body: null, files: [] };
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2]?.trim();
    if (!boundary) return { body: null, files: [] };
    let body: unknown = null;
    const files: RecordedFile[] = [];
    for (const part of parseMultipart(buffer, boundary)) {
      if (part.name === 'payload_json') body = JSON.parse(part.data.toString('utf8'));
      else if (part.filename !== null) {
        const data = Buffer.from(part.data);
        files.push({ field: part.name, filename: part.filename, contentType: part.contentType, data });
      }
    }
    return { body, files };
  }
  const text = buffer.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

/** Starts the fake on an ephemeral 127.0.0.1 port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return new FakeDiscordServer(server, wss, port, options);
}

class FakeDiscordServer implements FakeDiscord {
  readonly port: number;
  readonly apiBase: string;
  readonly cdnBase: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly defaultUser: FakeUser;
  readonly guilds: FakeGuild[];
  readonly requests: RecordedRequest[] = [];
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  heartbeats = 0;

  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #options: FakeDiscordOptions;
  readonly #connections = new Set<GatewayConnection>();
  readonly #sessions = new Map<string, GatewaySession>();
  readonly #pending: PendingDispatch[] = [];
  readonly #interactions = new Map<string, InteractionState>();
  readonly #interactionsByToken = new Map<string, InteractionState>();
  readonly #messages = new Map<string, FakeMessage>();
  readonly #commands = new Map<string, RawObject[]>();
  readonly #faults: Fault[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #ownerId = snowflake();
  readonly #attachments = new Map<string, { data: Buffer; serving: AttachmentServing }>();
  readonly downloads: { id: string; at: number; aborted: boolean }[] = [];
  #readyCount = 0;
  #acceptedResumes = 0;
  #closed = false;

  constructor(server: Server, wss: WebSocketServer, port: number, options: FakeDiscordOptions) {
    this.#server = server;
    this.#wss = wss;
    this.#options = options;
    this.port = port;
    this.apiBase = `http://127.0.0.1:${port}/api`;
    this.cdnBase = `http://127.0.0.1:${port}`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    const botId = options.botUserId ?? snowflake();
    const botName = options.botUsername ?? 'FakeBot';
    this.botUser = { ...makeUser({ id: botId, username: botName, global_name: null }, botName), bot: true, flags: 0 };
    this.applicationId = options.applicationId ?? botId;
    this.defaultUser = makeUser({ username: 'tester', global_name: 'Tester' }, 'tester');
    const guildInits = options.guilds ?? [{ id: snowflake(), name: 'Fake Guild' }];
    this.guilds = guildInits.map((guild, index) => ({
      id: guild.id,
      name: guild.name ?? `Fake Guild ${index + 1}`,
      channelId: snowflake(),
    }));

    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.#handleHttp(request, response).catch((cause: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ message: `Fake Discord crashed: ${String(cause)}`, code: 0 }));
        } else {
          response.destroy();
        }
      });
    });
    wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.#onConnection(socket, request));
  }

  get openConnections(): number {
    return [...this.#connections].filter((connection) => connection.socket.readyState === WebSocket.OPEN).length;
  }

  #waitUntil<T>(probe: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const immediate = probe();
    if (immediate !== undefined) return Promise.resolve(immediate);
    if (this.#closed) return Promise.reject(new Error(`FakeDiscord is closed; ${describe()}`));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return false;
          this.#waiters.delete(waiter);
          clearTimeout(waiter.timer);
          resolve(value);
          return true;
        },
        reject: (cause) => {
          this.#waiters.delete(waiter);
          clearTimeout(waiter.timer);
          reject(cause);
        },
        timer: setTimeout(() => waiter.reject(new Error(`Timed out after ${timeoutMs} ms: ${describe()}`)), timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  #describeRequests(): string {
    if (this.requests.length === 0) return 'no requests were recorded';
    return `recorded requests:\n${this.requests.map((r) => `  ${r.method} ${r.path} -> ${r.status}`).join('\n')}`;
  }

  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.#waitUntil(
      () => this.requests.find(predicate),
      timeoutMs,
      () => `no request matched the predicate; ${this.#describeRequests()}`,
    );
  }

  waitForCallback(interactionId: string, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.#waitUntil(
      () =>
        this.requests.find((r) => r.interactionId === interactionId && r.route.endsWith('/callback') && r.status >= 200 && r.status < 300),
      timeoutMs,
      () => `no successful callback for interaction ${interactionId}; ${this.#describeRequests()}`,
    );
  }

  waitForReady(count = 1, timeoutMs = 5000): Promise<void> {
    return this.#waitUntil(
      () => (this.#readyCount >= count ? true : undefined),
      timeoutMs,
      () => `${this.#readyCount}/${count} IDENTIFYs answered (identifies: ${JSON.stringify(this.identifies)})`,
    ).then(() => undefined);
  }

  waitForResume(count = 1, timeoutMs = 5000): Promise<void> {
    return this.#waitUntil(
      () => (this.#acceptedResumes >= count ? true : undefined),
      timeoutMs,
      () => `${this.#acceptedResumes}/${count} RESUMEs accepted (resumes: ${JSON.stringify(this.resumes)})`,
    ).then(() => undefined);
  }

  interactionResponses(interactionId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.interactionId === interactionId);
  }

  originalResponse(interactionId: string): FakeMessage | undefined {
    const id = this.#interactions.get(interactionId)?.originalMessageId;
    return id ? this.#messages.get(id) : undefined;
  }

  followUps(interactionId: string): FakeMessage[] {
    const state = this.#interactions.get(interactionId);
    if (!state) return [];
    return state.followUpIds.flatMap((id) => {
      const message = this.#messages.get(id);
      return message ? [message] : [];
    });
  }

  message(id: string): FakeMessage | undefined {
    return this.#messages.get(id);
  }

  registeredCommands(guildId?: string): RawObject[] {
    return [...(this.#commands.get(guildId ?? 'global') ?? [])];
  }

  serveAttachment(filename: string, data: Buffer | string, serving: AttachmentServing = {}): RawObject {
    const id = snowflake();
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.#attachments.set(id, { data: bytes, serving });
    const url = `${this.cdnBase}/attachments/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: serving.claimedSize ?? bytes.length,
      url,
      proxy_url: url,
      ...(serving.contentType ? { content_type: serving.contentType } : {}),
    };
  }

  /** Serves an attachment as a CDN would: the bytes with their length, or a stall partway through. */
  #serveAttachmentRequest(id: string, response: ServerResponse): void {
    const served = this.#attachments.get(id);
    const record = { id, at: performance.now(), aborted: false };
    this.downloads.push(record);
    this.#notify();
    if (!served) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.on('close', () => {
      if (!response.writableFinished) record.aborted = true;
    });
    const { data, serving } = served;
    const type = serving.contentType ?? 'application/octet-stream';
    if (serving.stallAfterBytes !== undefined) {
      response.writeHead(200, { 'Content-Type': type, 'Content-Length': String(data.length) });
      response.write(data.subarray(0, serving.stallAfterBytes));
      return; // never ends; the client's timeout must
    }
    response.writeHead(200, { 'Content-Type': type, 'Content-Length': String(data.length) });
    response.end(data);
  }

  failNext(matcher: FaultMatcher, responses: FaultResponse[]): void {
    this.#faults.push({ matcher, responses: [...responses] });
  }

  #takeFault(method: string, path: string): FaultResponse | undefined {
    for (const fault of this.#faults) {
      if (fault.responses.length === 0) continue;
      if (fault.matcher.method !== undefined && fault.matcher.method.toUpperCase() !== method) continue;
      if (fault.matcher.pathIncludes !== undefined && !path.includes(fault.matcher.pathIncludes)) continue;
      return fault.responses.shift();
    }
    return undefined;
  }

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    const connection: GatewayConnection = { socket, session: null, live: false };
    this.#connections.add(connection);
    socket.on('close', () => this.#detach(connection));
    socket.on('error', () => this.#detach(connection));
    socket.on('message', (data: RawData, isBinary: boolean) => this.#onGatewayMessage(connection, data, isBinary));

    const query = new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams;
    const version = query.get('v');
    const encoding = query.get('encoding');
    if (version !== null && version !== GATEWAY_VERSION) {
      socket.close(4012, 'Invalid API version');
      return;
    }
    if (encoding !== null && encoding !== 'json') {
      socket.close(4002, 'Only encoding=json is supported');
      return;
    }
    const heartbeatInterval = this.#options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS;
    this.#send(connection, { op: 10, d: { heartbeat_interval: heartbeatInterval } });
  }

  #detach(connection: GatewayConnection): void {
    connection.live = false;
    if (connection.session?.connection === connection) connection.session.connection = null;
    this.#connections.delete(connection);
  }

  #send(connection: GatewayConnection, payload: { op: number; d: unknown }): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(JSON.stringify({ s: null, t: null, ...payload }));
  }

  #sendDispatch(session: GatewaySession, event: string, data: unknown): void {
    const connection = session.connection;
    if (!connection || connection.socket.readyState !== WebSocket.OPEN) return;
    session.seq += 1;
    connection.socket.send(JSON.stringify({ op: 0, t: event, s: session.seq, d: data }));
  }

  #onGatewayMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      payload = isBinary || !Buffer.isBuffer(data) ? undefined : JSON.parse(data.toString('utf8'));
    } catch {
      payload = undefined;
    }
    if (!isObject(payload) || typeof payload['op'] !== 'number') {
      connection.socket.close(4002, 'Decode error');
      return;
    }
    const d = payload['d'];
    switch (payload['op']) {
      case 1:
        this.heartbeats += 1;
        this.#send(connection, { op: 11, d: null });
        this.#notify();
        return;
      case 2:
        this.#identify(connection, isObject(d) ? d : {});
        return;
      case 6:
        this.#resume(connection, isObject(d) ? d : {});
        return;
      case 3: // presence update
      case 4: // voice state update
      case 8: // request guild members
        if (!connection.session) connection.socket.close(4003, 'Not authenticated');
        return;
      default:
        connection.socket.close(4001, 'Unknown opcode');
    }
  }

  #guildsFor(shard: [number, number] | undefined): FakeGuild[] {
    if (!this.#options.shardAware || !shard) return this.guilds;
    return this.guilds.filter((guild) => shardOwnsGuild(guild.id, shard));
  }

  #identify(connection: GatewayConnection, d: RawObject): void {
    const shard = parseShard(d['shard']);
    const token = typeof d['token'] === 'string' ? d['token'] : '';
    const intents = typeof d['intents'] === 'number' ? d['intents'] : 0;
    this.identifies.push(shard ? { shard, token, intents } : { token, intents });

    if (connection.session) {
      connection.socket.close(4005, 'Already authenticated');
      return;
    }
    const refusal = this.#options.refuseIdentify;
    if (refusal !== undefined) {
      connection.socket.close(refusal, FATAL_CLOSE_REASONS[refusal] ?? 'Refused by fake');
      return;
    }
    if (this.#options.token !== undefined && token !== this.#options.token) {
      connection.socket.close(4004, 'Authentication failed');
      return;
    }
    if (shard && (shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1])) {
      connection.socket.close(4010, 'Invalid shard');
      return;
    }

    const guilds = this.#guildsFor(shard);
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      token,
      seq: 0,
      shard,
      guildIds: guilds.map((guild) => guild.id),
      connection,
    };
    this.#sessions.set(session.id, session);
    connection.session = session;

    const ready: RawObject = {
      v: Number(GATEWAY_VERSION),
      user: { ...this.botUser, verified: true, mfa_enabled: false, email: null },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      application: { id: this.applicationId, flags: 0 },
      _trace: ['["fake-discord",{"micros":0}]'],
    };
    if (shard) ready['shard'] = shard;
    this.#sendDispatch(session, 'READY', ready);
    // Discord only sends GUILD_CREATE to connections with the Guilds intent (bit 0).
    if ((intents & 1) === 1) {
      for (const guild of guilds) this.#sendDispatch(session, 'GUILD_CREATE', this.#guildPayload(guild));
    }
    connection.live = true;
    this.#readyCount += 1;
    this.#flushPending(session);
    this.#notify();
  }

  #resume(connection: GatewayConnection, d: RawObject): void {
    const sessionId = typeof d['session_id'] === 'string' ? d['session_id'] : '';
    const seq = typeof d['seq'] === 'number' ? d['seq'] : null;
    const token = typeof d['token'] === 'string' ? d['token'] : '';
    const session = this.#sessions.get(sessionId);
    const accepted = session !== undefined && session.token === token;
    this.resumes.push({ sessionId, seq, accepted });
    if (!session || !accepted) {
      this.#send(connection, { op: 9, d: false });
      this.#notify();
      return;
    }
    const previous = session.connection;
    if (previous && previous !== connection) {
      previous.live = false;
      previous.socket.close(4000, 'Session resumed elsewhere');
    }
    session.connection = connection;
    connection.session = session;
    this.#sendDispatch(session, 'RESUMED', {});
    connection.live = true;
    this.#acceptedResumes += 1;
    this.#flushPending(session);
    this.#notify();
  }

  async closeGateway(code: number, reason = FATAL_CLOSE_REASONS[code] ?? 'Closed by fake'): Promise<void> {
    const keepSessions = RESUMABLE_CLOSE_CODES.has(code);
    const closing = [...this.#connections].map((connection) => {
      connection.live = false;
      const session = connection.session;
      if (session) {
        if (session.connection === connection) session.connection = null;
        if (!keepSessions) this.#sessions.delete(session.id);
      }
      const { socket } = connection;
      if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise<void>((resolve) => {
        // The peer should answer the close frame promptly; don't let a stuck one hold a test up.
        const timer = setTimeout(() => socket.terminate(), 1000);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.close(code, reason);
      });
    });
    await Promise.all(closing);
  }

  #sessionFor(guildId: string | undefined): GatewaySession | undefined {
    for (const session of this.#sessions.values()) {
      if (!session.connection?.live) continue;
      if (this.#routes(session, guildId)) return session;
    }
    return undefined;
  }

  #routes(session: GatewaySession, guildId: string | undefined): boolean {
    if (!this.#options.shardAware || guildId === undefined || !session.shard) return true;
    return shardOwnsGuild(guildId, session.shard);
  }

  #flushPending(session: GatewaySession): void {
    for (let index = 0; index < this.#pending.length;) {
      const pending = this.#pending[index];
      if (pending && this.#routes(session, pending.guildId)) {
        this.#pending.splice(index, 1);
        this.#sendDispatch(session, pending.event, pending.data);
      } else {
        index += 1;
      }
    }
  }

  dispatch(event: string, data: RawObject, options: { guildId?: string } = {}): void {
    if (this.#closed) return;
    if (event === 'MESSAGE_CREATE' || event === 'MESSAGE_UPDATE') this.#storeMessage(data);
    const session = this.#sessionFor(options.guildId);
    if (session) this.#sendDispatch(session, event, data);
    else this.#pending.push({ event, data, guildId: options.guildId });
  }

  #channelPayload(guild: FakeGuild): RawObject {
    return {
      id: guild.channelId,
      type: 0,
      guild_id: guild.id,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0,
    };
  }

  #guildPayload(guild: FakeGuild): RawObject {
    const joinedAt = new Date().toISOString();
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: this.#ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      application_id: null,
      system_channel_id: guild.channelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      preferred_locale: 'en-US',
      max_presences: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      features: [],
      emojis: [],
      stickers: [],
      roles: [
        {
          id: guild.id,
          name: '@everyone',
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          hoist: false,
          icon: null,
          unicode_emoji: null,
          position: 0,
          permissions: DEFAULT_PERMISSIONS,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      joined_at: joinedAt,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: 2,
      members: [
        {
          user: this.botUser,
          nick: null,
          avatar: null,
          roles: [],
          joined_at: joinedAt,
          premium_since: null,
          deaf: false,
          mute: false,
          pending: false,
          flags: 0,
          communication_disabled_until: null,
        },
      ],
      channels: [this.#channelPayload(guild)],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      incidents_data: null,
      embedded_activities: [],
    };
  }

  #completeMessage(partial: RawObject, channelId: string): FakeMessage {
    const message: FakeMessage = {
      type: 0,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      author: makeUser(undefined, 'someone'),
      ...partial,
      id: typeof partial['id'] === 'string' ? partial['id'] : snowflake(),
      channel_id: typeof partial['channel_id'] === 'string' && partial['channel_id'] !== '' ? partial['channel_id'] : channelId,
    };
    return message;
  }

  #storeMessage(data: RawObject): void {
    if (typeof data['id'] === 'string' && typeof data['channel_id'] === 'string') {
      this.#messages.set(data['id'], this.#completeMessage(data, data['channel_id']));
    }
  }

  #attachmentsFrom(body: RawObject, files: readonly RecordedFile[], channelId: string, existing: RawObject[]): RawObject[] | undefined {
    const rawAttachments: unknown = body['attachments'];
    const described = Array.isArray(rawAttachments) ? rawAttachments.filter(isObject) : undefined;
    if (files.length === 0 && described === undefined) return undefined;
    const kept = existing.filter((attachment) => described?.some((d) => String(d['id']) === attachment['id']));
    const uploaded = files.map((file, index) => {
      const id = snowflake();
      const description = described?.find((d) => String(d['id']) === String(index));
      const filename = typeof description?.['filename'] === 'string' ? description['filename'] : file.filename;
      const url = `https://cdn.fake-discord.invalid/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      const attachment: RawObject = { id, filename, size: file.data.length, url, proxy_url: url };
      if (file.contentType) attachment['content_type'] = file.contentType;
      if (typeof description?.['description'] === 'string') attachment['description'] = description['description'];
      return attachment;
    });
    return [...kept, ...uploaded];
  }

  #newBotMessage(body: unknown, files: readonly RecordedFile[], channelId: string, extra: RawObject): FakeMessage {
    const data = isObject(body) ? body : {};
    const message = this.#completeMessage(
      {
        author: this.botUser,
        content: typeof data['content'] === 'string' ? data['content'] : '',
        embeds: Array.isArray(data['embeds']) ? data['embeds'] : [],
        components: Array.isArray(data['components']) ? data['components'] : [],
        attachments: this.#attachmentsFrom(data, files, channelId, []) ?? [],
        tts: data['tts'] === true,
        flags: typeof data['flags'] === 'number' ? data['flags'] : 0,
        application_id: this.applicationId,
        ...(data['poll'] !== undefined ? { poll: data['poll'] } : {}),
        ...extra,
      },
      channelId,
    );
    this.#messages.set(message.id, message);
    return message;
  }

  #editMessage(message: FakeMessage, body: unknown, files: readonly RecordedFile[]): FakeMessage {
    const data = isObject(body) ? body : {};
    const edited: FakeMessage = { ...message, edited_timestamp: new Date().toISOString() };
    if ('content' in data) edited.content = typeof data['content'] === 'string' ? data['content'] : '';
    if (Array.isArray(data['embeds'])) edited.embeds = data['embeds'];
    if (Array.isArray(data['components'])) edited.components = data['components'];
    if (typeof data['flags'] === 'number') edited.flags = data['flags'];
    const attachments = this.#attachmentsFrom(data, files, message.channel_id, message.attachments);
    if (attachments) edited.attachments = attachments;
    // Editing a deferred response is what turns the "thinking…" placeholder into the real message.
    edited.flags &= ~FLAG_LOADING;
    this.#messages.set(edited.id, edited);
    return edited;
  }

  /** Completes a builder's partial interaction and sends it as INTERACTION_CREATE. */
  dispatchInteraction(init: InteractionInit, options: DispatchOptions = {}): FakeInteraction {
    const { asUser, guild_id: initGuildId, type, data: initData, message: initMessage, ...rawOverrides } = init;
    const user = options.user || asUser ? makeUser(options.user ?? asUser, 'tester') : this.defaultUser;
    let guildId: string | null = this.guilds[0]?.id ?? null;
    if (options.guildId !== undefined) guildId = options.guildId;
    else if (initGuildId !== undefined) guildId = initGuildId;
    const guild = guildId === null ? undefined : this.guilds.find((g) => g.id === guildId);
    const channelId = options.channelId ?? guild?.channelId ?? snowflake();
    const id = snowflake(Date.now() - (options.createdAgoMs ?? options.ageMs ?? 0));
    const token = `fake-interaction-token.${id}.${randomBytes(12).toString('hex')}`;

    const data: RawObject = { ...initData };
    if ((type === 2 || type === 4) && typeof data['id'] !== 'string') {
      data['id'] = this.#commandIdFor(typeof data['name'] === 'string' ? data['name'] : '', guildId) ?? snowflake();
    }
    if (isObject(data['resolved']) && isObject(data['resolved']['messages'])) {
      const messages: Record<string, FakeMessage> = {};
      for (const [messageId, raw] of Object.entries(data['resolved']['messages'])) {
        if (!isObject(raw)) continue;
        const complete = this.#completeMessage({ ...raw, id: messageId }, channelId);
        messages[messageId] = complete;
        this.#messages.set(messageId, complete);
      }
      data['resolved'] = { ...data['resolved'], messages };
    }

    const channel: RawObject =
      guildId === null
        ? { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] }
        : {
            ...this.#channelPayload(guild ?? { id: guildId, name: 'Unknown guild', channelId }),
            id: channelId,
            permissions: DEFAULT_PERMISSIONS,
          };

    const interaction: FakeInteraction = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      channel_id: channelId,
      channel,
      app_permissions: DEFAULT_PERMISSIONS,
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: {},
      context: guildId !== null ? 0 : 1,
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
      data,
    };
    if (guildId !== null) {
      interaction.guild_id = guildId;
      interaction['guild'] = { id: guildId, locale: 'en-US', features: [] };
      interaction['guild_locale'] = 'en-US';
      interaction['member'] = {
        user,
        nick: options.nick ?? null,
        avatar: null,
        roles: [],
        permissions: options.permissions ?? DEFAULT_PERMISSIONS,
        joined_at: new Date().toISOString(),
        premium_since: null,
        deaf: false,
        mute: false,
        pending: false,
        flags: 0,
        communication_disabled_until: null,
      };
    } else {
      interaction['user'] = user;
    }
    if (initMessage !== undefined) {
      const message = this.#completeMessage(initMessage, channelId);
      this.#messages.set(message.id, message);
      interaction.message = message;
    }
    Object.assign(interaction, rawOverrides);

    const state: InteractionState = {
      interaction,
      dispatchedAt: Date.now(),
      callbackType: null,
      originalMessageId: null,
      followUpIds: [],
    };
    this.#interactions.set(id, state);
    this.#interactionsByToken.set(token, state);
    this.dispatch('INTERACTION_CREATE', interaction, guildId !== null ? { guildId } : {});
    return interaction;
  }

  recordHttpResponse(interactionId: string, response: unknown): number {
    const state = this.#interactions.get(interactionId);
    if (!state) return 404;
    const reply = this.#interactionCallback(interactionId, state.interaction.token, response, [], {});
    this.#notify();
    return reply.status;
  }

  #commandIdFor(name: string, guildId: string | null): string | undefined {
    const scopes = guildId !== null ? [guildId, 'global'] : ['global'];
    for (const scope of scopes) {
      const found = this.#commands.get(scope)?.find((command) => command['name'] === name);
      if (found && typeof found['id'] === 'string') return found['id'];
    }
    return undefined;
  }

  async #handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now();
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const attachment = /^\/attachments\/(\d+)\/[^/]+$/.exec(url.pathname);
    if (attachment && method === 'GET') return this.#serveAttachmentRequest(attachment[1] ?? '', response);
    const rawSegments = url.pathname.split('/').filter((segment) => segment.length > 0);
    const segments = rawSegments.map(safeDecode);
    const path = `/${segments.join('/')}`;
    let routeSegments = segments[0] === 'api' ? segments.slice(1) : segments;
    if (/^v\d+$/.test(routeSegments[0] ?? '')) routeSegments = routeSegments.slice(1);
    const { body, files } = await readBody(request);
    const authHeader = request.headers.authorization;

    const record: RecordedRequest = {
      method,
      path,
      route: `/${routeSegments.join('/')}`,
      query: Object.fromEntries(url.searchParams),
      body,
      files,
      auth: authHeader ?? null,
      status: 0,
      injected: false,
      unknownRoute: false,
      interactionId: this.#interactionIdFor(routeSegments),
      at,
    };

    let reply: Reply;
    const fault = this.#takeFault(method, path);
    if (fault) {
      record.injected = true;
      const defaultBody = fault.status === 429 ? rateLimited().body : { message: 'Injected failure', code: 0 };
      reply = { status: fault.status, body: fault.body ?? (fault.status === 204 ? undefined : defaultBody) };
      if (fault.headers) reply.headers = fault.headers;
    } else if (files.some((file) => file.data.length > ATTACHMENT_SIZE_LIMIT) || files.length > 10) {
      // Discord refuses an upload over the server's limit (or more than ten files) before routing it.
      reply = error(413, 40005, 'Request entity too large');
    } else {
      const refused = refusedEmbedLink(body);
      const routed = refused ?? this.#route(method, routeSegments, record);
      if (routed) reply = routed;
      else {
        record.unknownRoute = true;
        reply = error(404, 0, 'Unknown route');
      }
    }

    record.status = reply.status;
    this.requests.push(record);
    this.#notify();

    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body === undefined) {
      response.writeHead(reply.status, headers);
      response.end();
    } else {
      const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
      if (!hasContentType) headers['Content-Type'] = 'application/json';
      response.writeHead(reply.status, headers);
      response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    }
  }

  #interactionIdFor(segments: readonly string[]): string | null {
    if (segments[0] === 'interactions' && segments[1] !== undefined) {
      return this.#interactions.has(segments[1]) ? segments[1] : null;
    }
    if (segments[0] === 'webhooks' && segments[2] !== undefined) {
      return this.#interactionsByToken.get(segments[2])?.interaction.id ?? null;
    }
    return null;
  }

  #route(method: string, segments: readonly string[], request: RecordedRequest): Reply | undefined {
    const { body, files } = request;
    let params: Record<string, string> | null;

    if (method === 'GET' && match(segments, '/gateway')) return json({ url: this.gatewayUrl });
    if (method === 'GET' && match(segments, '/gateway/bot')) {
      return json({
        url: this.gatewayUrl,
        shards: this.#options.recommendedShards ?? 1,
        session_start_limit: {
          total: 1000,
          remaining: 1000,
          reset_after: 0,
          max_concurrency: this.#options.maxConcurrency ?? 1,
        },
      });
    }
    if (method === 'GET' && match(segments, '/users/@me')) return json(this.botUser);
    if (method === 'GET' && match(segments, '/applications/@me')) {
      return json({
        id: this.applicationId,
        name: this.botUser.username,
        icon: null,
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        flags: 0,
        verify_key: '0'.repeat(64),
        owner: makeUser({ id: this.#ownerId, username: 'owner' }, 'owner'),
        bot: this.botUser,
      });
    }

    if ((params = match(segments, '/interactions/:id/:token/callback')) && method === 'POST') {
      return this.#interactionCallback(params['id'] ?? '', params['token'] ?? '', body, files, request.query);
    }

    if ((params = match(segments, '/webhooks/:app/:token'))) {
      const state = this.#webhookState(params);
      if (!state) return error(404, 10015, 'Unknown Webhook');
      if (method !== 'POST') return undefined;
      const message = this.#newBotMessage(body, files, state.interaction.channel_id, this.#webhookFields(state));
      state.followUpIds.push(message.id);
      return json(message);
    }

    if ((params = match(segments, '/webhooks/:app/:token/messages/:message'))) {
      const state = this.#webhookState(params);
      if (!state) return error(404, 10015, 'Unknown Webhook');
      const requested = params['message'] ?? '';
      const messageId = requested === '@original' ? state.originalMessageId : requested;
      const owned = messageId !== null && (messageId === state.originalMessageId || state.followUpIds.includes(messageId));
      const message = owned ? this.#messages.get(messageId) : undefined;
      if (!message) return error(404, 10008, 'Unknown Message');
      if (method === 'GET') return json(message);
      if (method === 'PATCH') return json(this.#editMessage(message, body, files));
      if (method === 'DELETE') {
        this.#messages.delete(message.id);
        return noContent;
      }
      return undefined;
    }

    params = match(segments, '/applications/:app/commands') ?? match(segments, '/applications/:app/guilds/:guild/commands');
    if (params) return this.#commandsCollection(method, params, body);
    params =
      match(segments, '/applications/:app/commands/:command') ?? match(segments, '/applications/:app/guilds/:guild/commands/:command');
    if (params) return this.#commandItem(method, params, body);

    if ((params = match(segments, '/channels/:channel/messages')) && method === 'POST') {
      return json(this.#newBotMessage(body, files, params['channel'] ?? '', {}));
    }
    if ((params = match(segments, '/channels/:channel/messages/:message'))) {
      const message = this.#messages.get(params['message'] ?? '');
      if (!message || message.channel_id !== params['channel']) return error(404, 10008, 'Unknown Message');
      if (method === 'GET') return json(message);
      if (method === 'PATCH') return json(this.#editMessage(message, body, files));
      if (method === 'DELETE') {
        this.#messages.delete(message.id);
        return noContent;
      }
    }
    return undefined;
  }

  #webhookState(params: Record<string, string>): InteractionState | undefined {
    if (params['app'] !== this.applicationId) return undefined;
    return this.#interactionsByToken.get(params['token'] ?? '');
  }

  /** Fields Discord sets on messages created through an interaction's webhook. */
  #webhookFields(state: InteractionState): RawObject {
    const { interaction } = state;
    const member = interaction['member'];
    const user = isObject(member) ? member['user'] : interaction['user'];
    const metadata: RawObject = {
      id: interaction.id,
      type: interaction.type,
      user,
      authorizing_integration_owners: {},
    };
    if (state.originalMessageId) metadata['original_response_message_id'] = state.originalMessageId;
    return { webhook_id: this.applicationId, interaction_metadata: metadata };
  }

  #interactionCallback(id: string, token: string, body: unknown, files: readonly RecordedFile[], query: Record<string, string>): Reply {
    const state = this.#interactions.get(id);
    if (!state || state.interaction.token !== token) return error(404, 10062, 'Unknown interaction');
    const deadline = this.#options.callbackDeadlineMs;
    if (deadline !== undefined && Date.now() - state.dispatchedAt > deadline) {
      return error(404, 10062, 'Unknown interaction');
    }
    if (state.callbackType !== null) return error(400, 40060, 'Interaction has already been acknowledged.');
    if (!isObject(body) || typeof body['type'] !== 'number') return error(400, 50035, 'Invalid Form Body');

    const callbackType = body['type'];
    const data = isObject(body['data']) ? body['data'] : {};
    const { interaction } = state;
    let message: FakeMessage | undefined;
    switch (callbackType) {
      case 4:
        message = this.#newBotMessage(data, files, interaction.channel_id, this.#webhookFields(state));
        state.originalMessageId = message.id;
        break;
      case 5: {
        const flags = (typeof data['flags'] === 'number' ? data['flags'] : 0) | FLAG_LOADING;
        const placeholder = this.#newBotMessage({ flags }, [], interaction.channel_id, this.#webhookFields(state));
        state.originalMessageId = placeholder.id;
        break;
      }
      case 6:
      case 7: {
        if (!interaction.message) return error(400, 40043, 'Interaction has no message to update');
        const current = this.#messages.get(interaction.message.id) ?? interaction.message;
        state.originalMessageId = current.id;
        if (callbackType === 7) message = this.#editMessage(current, data, files);
        else this.#messages.set(current.id, current);
        break;
      }
      case 8:
      case 9:
      case 10:
      case 12:
        break;
      default:
        return error(400, 50035, `Invalid Form Body: unknown callback type ${callbackType}`);
    }
    state.callbackType = callbackType;

    if (query['with_response'] !== 'true') return noContent;
    const original = state.originalMessageId ? this.#messages.get(state.originalMessageId) : undefined;
    const callback: RawObject = { id: interaction.id, type: interaction.type };
    if (original) {
      callback['response_message_id'] = original.id;
      callback['response_message_loading'] = (original.flags & FLAG_LOADING) !== 0;
      callback['response_message_ephemeral'] = (original.flags & 64) !== 0;
    }
    const resource: RawObject = { type: callbackType };
    if (message) resource['message'] = message;
    return json({ interaction: callback, resource });
  }

  #commandsCollection(method: string, params: Record<string, string>, body: unknown): Reply | undefined {
    if (params['app'] !== this.applicationId) return error(403, 50001, 'Missing Access');
    const scope = params['guild'] ?? 'global';
    const existing = this.#commands.get(scope) ?? [];
    if (method === 'GET') return json(existing);
    if (method === 'PUT') {
      if (!Array.isArray(body)) return error(400, 50035, 'Invalid Form Body');
      const stored = body.filter(isObject).map((command) => {
        const previous = existing.find((c) => sameCommand(c, command));
        return this.#buildCommand(command, params['guild'], idOf(previous));
      });
      this.#commands.set(scope, stored);
      return json(stored);
    }
    if (method === 'POST') {
      if (!isObject(body)) return error(400, 50035, 'Invalid Form Body');
      const previous = existing.find((c) => sameCommand(c, body));
      const command = this.#buildCommand(body, params['guild'], idOf(previous));
      this.#commands.set(scope, [...existing.filter((c) => c !== previous), command]);
      return json(command, previous ? 200 : 201);
    }
    return undefined;
  }

  #commandItem(method: string, params: Record<string, string>, body: unknown): Reply | undefined {
    if (params['app'] !== this.applicationId) return error(403, 50001, 'Missing Access');
    const scope = params['guild'] ?? 'global';
    const existing = this.#commands.get(scope) ?? [];
    const current = existing.find((c) => c['id'] === params['command']);
    if (!current) return error(404, 10063, 'Unknown application command');
    if (method === 'GET') return json(current);
    if (method === 'DELETE') {
      this.#commands.set(
        scope,
        existing.filter((c) => c !== current),
      );
      return noContent;
    }
    if (method === 'PATCH') {
      const merged = { ...current, ...(isObject(body) ? body : {}) };
      const updated = this.#buildCommand(merged, params['guild'], idOf(current));
      this.#commands.set(
        scope,
        existing.map((c) => (c === current ? updated : c)),
      );
      return json(updated);
    }
    return undefined;
  }

  #buildCommand(body: RawObject, guildId: string | undefined, id: string | undefined): RawObject {
    const command: RawObject = {
      type: 1,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      name_localizations: null,
      description_localizations: null,
      integration_types: [0],
      contexts: null,
      ...body,
      id: id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
    };
    if (guildId !== undefined) command['guild_id'] = guildId;
    return command;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.reject(new Error('FakeDiscord was closed while waiting'));
    for (const connection of this.#connections) connection.socket.terminate();
    this.#connections.clear();
    this.#sessions.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
