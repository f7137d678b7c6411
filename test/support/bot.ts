import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { loadCommands } from '../../commands/index.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Router } from '../../src/bot/router.js';
import type { Command } from '../../src/bot/types.js';
import { startGatewayBot, type GatewayBot } from '../../src/discord/bot.js';
import { openLibrary, type Library } from '../../src/library.js';
import { Cooldown } from '../../src/bot/cooldown.js';
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

let cached: Promise<Library> | undefined;
/** The fixture corpus's library (the seed article), built once per test file. */
export function corpusLibrary(): Promise<Library> {
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
