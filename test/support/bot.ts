import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { loadCommands } from '../../commands/index.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Router } from '../../src/bot/router.js';
import type { Command } from '../../src/bot/types.js';
import { startGatewayBot, type GatewayBot } from '../../src/discord/bot.js';
import { openLibrary, type CorpusLibrary } from '../../src/library.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { FileReadingStore } from '../../src/readings/file-store.js';
import { ServerReadings, type ReadingLimits } from '../../src/readings/servers.js';
import { FIXTURE_CORPUS } from './fixtures.js';

/** A logger whose JSON lines tests can read. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

let cached: Promise<CorpusLibrary> | undefined;
/** The fixture corpus's library (the seed article), built once per test file. */
export function corpusLibrary(): Promise<CorpusLibrary> {
  cached ??= openLibrary(FIXTURE_CORPUS);
  return cached;
}

/** A router over the real commands (plus any extra), with a cooldown generous enough for tests. */
export async function testRouter(logger: Logger, extra: readonly Command[] = [], cooldown = new Cooldown(1000, 10_000)): Promise<Router> {
  const library = await corpusLibrary();
  const commands = new Map(loadCommands());
  for (const command of extra) commands.set(command.data.name, command);
  return new Router(commands, COMPONENTS, { library: () => library, logger }, cooldown);
}

/** Starts the real bot (real discord.js Client) against a fake Discord at `apiBase`. */
export function startTestBot(apiBase: string, router: Router, logger: Logger): Promise<GatewayBot> {
  return startGatewayBot({ token: 'fake-token-for-tests-0123456789', router, logger, apiUrl: apiBase });
}

/** Options of {@link readingsRouter}. */
export interface ReadingsRouterOptions {
  readonly readingsDir: string;
  /** The bot's own corpus; the two-article fixture by default. */
  readonly corpusDir?: string;
  readonly cdnBase?: string;
  readonly limits?: Partial<ReadingLimits>;
  readonly sharedInServers?: boolean;
}

/** A router over the real commands with servers' readings kept under `readingsDir`, as `npm start` wires it. */
export async function readingsRouter(
  logger: Logger,
  options: ReadingsRouterOptions,
): Promise<{ router: Router; readings: ServerReadings }> {
  const shared = await openLibrary(options.corpusDir ?? 'test/fixtures/corpus-two');
  const readings = new ServerReadings({
    store: new FileReadingStore(options.readingsDir),
    shared: () => shared,
    sharedInServers: options.sharedInServers ?? true,
    limits: {
      maxBytes: 1024 * 1024,
      perServer: 50,
      downloadTimeoutMs: 10_000,
      origins: options.cdnBase === undefined ? [] : [new URL(options.cdnBase).origin],
      ...options.limits,
    },
    logger,
  });
  const context = { library: (guildId: string | null) => readings.library(guildId), readings, logger };
  return { router: new Router(loadCommands(), COMPONENTS, context, new Cooldown(1000, 10_000)), readings };
}
