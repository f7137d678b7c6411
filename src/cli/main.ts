import type { Logger } from 'pino';
import { ConfigError, isInteractiveTerminal, loadConfig, logLevel, requireKeys, type Config } from '../config.js';
import { runMain } from './entry.js';
import { startHttpInteractions } from '../discord/http.js';
import { loadCommands } from '../../commands/index.js';
import { Router } from '../bot/router.js';
import { COMPONENTS } from '../bot/components.js';
import type { BotContext } from '../bot/types.js';
import { runConsole } from './console.js';
import { startGatewayBot } from '../discord/bot.js';
import { installProcessHandlers } from '../discord/process.js';
import { openLibraryLogged, type Library } from '../library.js';
import { createLogger, flushAndExit } from '../logger.js';
import { LiveLibrary } from '../reload.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const consoleMode = config.DISCORD_TOKEN === undefined && config.INTERACTIONS_MODE === 'gateway';
  if (consoleMode && !isInteractiveTerminal()) {
    throw new ConfigError(
      'DISCORD_TOKEN is not set and this is not an interactive terminal, so there is nothing to do.\nSet DISCORD_TOKEN in .env (see .env.example) to run the bot, or run `npm start` in a terminal for the local console.',
    );
  }
  const root = createLogger({
    // At the console a person reads answers: log lines only when LOG_LEVEL asks for them.
    level: logLevel(config, consoleMode ? 'person' : 'service'),
    pretty: consoleMode || config.LOG_PRETTY,
    destination: consoleMode ? 2 : 1,
  });
  // In a shard process every line says which shard wrote it.
  const logger = config.SHARDS === undefined ? root : root.child({ shards: config.SHARDS });

  const corpusLogger = logger.child({ module: 'corpus' });
  // The cache makes a restart (and every shard process) load the index instead of rebuilding it.
  const open = (dir: string): Promise<Library> => openLibraryLogged(dir, config.CACHE_DIR, corpusLogger);
  let live: LiveLibrary | undefined;
  const opened = open(config.CORPUS_DIR).then((library) => {
    live = new LiveLibrary(library, { corpusDir: config.CORPUS_DIR, open, logger: corpusLogger });
    if (config.WATCH_CORPUS) live.watch();
  });
  const current = (): Library => {
    if (live === undefined) throw new Error('the library is not open yet');
    return live.current();
  };
  const context: BotContext = { library: current, logger: logger.child({ module: 'bot' }) };
  const router = new Router(loadCommands(), COMPONENTS, context);

  installProcessHandlers(logger);

  if (config.INTERACTIONS_MODE === 'gateway' && !consoleMode) return runGateway(config, router, logger, opened);
  await opened;

  if (consoleMode) {
    const rl = runConsole(router, process.stdin, process.stdout, Boolean(process.stdout.isTTY));
    rl.on('close', () => {
      process.stdout.write('\n');
      flushAndExit(logger, 0);
    });
    return;
  }

  if (config.INTERACTIONS_MODE === 'http') {
    const { DISCORD_PUBLIC_KEY } = requireKeys(config, ['DISCORD_PUBLIC_KEY'], 'when INTERACTIONS_MODE=http');
    const server = await startHttpInteractions({
      router,
      logger: logger.child({ module: 'http' }),
      publicKey: DISCORD_PUBLIC_KEY,
      port: config.PORT,
      host: config.HOST,
      token: config.DISCORD_TOKEN,
      apiUrl: config.DISCORD_API_URL,
    });
    logger.info({ address: server.address() }, 'serving Discord interactions over HTTP at POST /interactions');
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      server.close(() => {
        flushAndExit(logger, 0);
      });
      server.closeIdleConnections();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  }
}

/**
 * The gateway bot. It logs in while the library opens, so the handshake overlaps the load; a command
 * that arrives first is deferred and answered once the library is open.
 */
async function runGateway(config: Config, router: Router, logger: Logger, opened: Promise<void>): Promise<void> {
  const { DISCORD_TOKEN: token } = requireKeys(config, ['DISCORD_TOKEN'], 'to connect to Discord');
  // Signals are handled from before login: a stop during the handshake must still exit cleanly.
  let stopping: Promise<void> | undefined;
  const bot = startGatewayBot({
    token,
    router,
    logger: logger.child({ module: 'discord' }),
    apiUrl: config.DISCORD_API_URL,
    routerReady: opened,
  });
  // A broken corpus is the failure to report, even when the login fails as well.
  bot.catch(() => undefined);
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    // A login that never completes must not keep the process from stopping.
    setTimeout(() => process.exit(0), 5000).unref();
    stopping ??= bot
      .then((running) => running.stop())
      .catch((err: unknown) => logger.warn({ err }, 'the connection did not close cleanly'))
      .finally(() => {
        flushAndExit(logger, 0);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await opened;
  await bot;
}

runMain(main);
