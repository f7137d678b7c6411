import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

// Quiet: dotenv 17 otherwise prints a banner on stdout, which would corrupt `ask --json` output.
loadDotenv({ quiet: true });

/** A missing or malformed setting, named so a person can fix it in `.env`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const blankAsUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);
/** A `true`/`false` setting; blank means the default. */
const booleanSetting = (fallback: boolean) =>
  z.preprocess(
    blankAsUndefined,
    z
      .enum(['true', 'false'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true'),
  );

const schema = z.object({
  CORPUS_DIR: z.preprocess(blankAsUndefined, z.string().default('corpus')),
  CACHE_DIR: z.preprocess(blankAsUndefined, z.string().default('.cache')),
  /** Unset means each entry point's own default: see {@link logLevel}. */
  LOG_LEVEL: z.preprocess(blankAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  DISCORD_TOKEN: z.preprocess(blankAsUndefined, z.string().min(20, 'looks too short to be a bot token').optional()),
  DISCORD_CLIENT_ID: z.preprocess(blankAsUndefined, snowflake.optional()),
  DISCORD_GUILD_ID: z.preprocess(blankAsUndefined, snowflake.optional()),
  DISCORD_API_URL: z.preprocess(blankAsUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  DISCORD_PUBLIC_KEY: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters')
      .optional(),
  ),
  INTERACTIONS_MODE: z.preprocess(blankAsUndefined, z.enum(['gateway', 'http']).default('gateway')),
  HOST: z.preprocess(blankAsUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  TOTAL_SHARDS: z.preprocess(blankAsUndefined, z.union([z.literal('auto'), z.coerce.number().int().min(1).max(10000)]).default('auto')),
  LOG_PRETTY: booleanSetting(false),
  /** Shard ids this host runs, e.g. '0-3' or '4,5,6,7', when shards are spread over several hosts. */
  SHARD_IDS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, "must be shard ids like '0-3' or '0,2,4'")
      .transform((text) =>
        text.split(',').flatMap((part) => {
          const [from, to] = part.split('-').map(Number) as [number, number | undefined];
          return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
        }),
      )
      .optional(),
  ),
  /** Set by discord.js's ShardingManager in each shard process: the shard ids it runs. */
  SHARDS: z.preprocess(blankAsUndefined, z.string().optional()),
  /** Where each server's readings are kept, one folder per server id. */
  READINGS_DIR: z.preprocess(blankAsUndefined, z.string().default('readings')),
  /** Whether servers see the bot's own corpus beside their readings (DMs always do). */
  SHARED_CORPUS: booleanSetting(true),
  /** Largest reading file accepted, in bytes; at most the corpus's own 2 MB file limit. */
  READING_MAX_BYTES: z.preprocess(
    blankAsUndefined,
    z.coerce
      .number()
      .int()
      .min(1)
      .max(2 * 1024 * 1024)
      .default(1024 * 1024),
  ),
  /** Most readings one server may keep. */
  READINGS_PER_SERVER: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(1000).default(50)),
  /** How long downloading an attachment may take in all, in milliseconds. */
  READING_DOWNLOAD_TIMEOUT_MS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(100).max(120_000).default(10_000)),
  /**
   * The only origin attachments are downloaded from, replacing Discord's own attachment hosts
   * (cdn.discordapp.com, media.discordapp.net); the tests point it at the fake server.
   */
  DISCORD_CDN_URL: z.preprocess(blankAsUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  /** Keep readings in this PostgreSQL database instead of READINGS_DIR, shared by every host. */
  DATABASE_URL: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  WATCH_CORPUS: booleanSetting(true),
  /**
   * `on`: answers are re-ranked by meaning with a sentence encoder (its own thread, ~130 MB);
   * `off`: the lexical ranker alone.
   */
  SEMANTIC: z.preprocess(
    blankAsUndefined,
    z
      .enum(['on', 'off'])
      .default('on')
      .transform((v) => v === 'on'),
  ),
});

/** The validated settings of every entry point. */
export type Config = z.infer<typeof schema>;

/**
 * Reads the environment (after `.env`) once and validates it. Throws a {@link ConfigError}
 * naming the key that is wrong; entry points print it and exit.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSet these in .env (see .env.example) or in the environment.`);
}

/**
 * The log level an entry point runs at: LOG_LEVEL when set; otherwise `info` for the bot (its logs
 * are its record) and `warn` for a person at a terminal (the console, the CLIs), who wants answers.
 */
export function logLevel(config: Config, audience: 'service' | 'person'): NonNullable<Config['LOG_LEVEL']> {
  return config.LOG_LEVEL ?? (audience === 'service' ? 'info' : 'warn');
}

/** Checks that settings a particular entry point cannot do without are present. */
export function requireKeys<K extends keyof Config>(
  config: Config,
  keys: readonly K[],
  purpose: string,
): Config & { [P in K]-?: NonNullable<Config[P]> } {
  const missing = keys.filter((key) => config[key] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required ${purpose}.\nSet ${missing.length === 1 ? 'it' : 'them'} in .env (see .env.example) or in the environment.`,
    );
  }
  return config as Config & { [P in K]-?: NonNullable<Config[P]> };
}

/** Whether this process is being shown to a person (stdout and stdin are terminals). */
export function isInteractiveTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}
