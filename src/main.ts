import { ConfigError, isInteractiveTerminal, loadConfig, requireKeys } from './config.js';
import { runMain } from './entry.js';
import { closeHttpInteractions, startHttpInteractions, STOP_GRACE_MS } from './discord/http.js';
import { loadCommands } from '../commands/index.js';
import { Router } from './bot/router.js';
import { COMPONENTS } from './bot/components.js';
import type { BotContext } from './bot/types.js';
import { runConsole } from './console.js';
import { startGatewayBot } from './discord/bot.js';
import { FATAL_EXIT_CODE, FATAL_MESSAGE } from './discord/fatal.js';
import { installProcessHandlers } from './discord/process.js';
import { openLibraryCached, openLibraryOffThread, type Library } from './library.js';
import { createLogger } from './logger.js';
import { LiveLibrary } from './reload.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const consoleMode = config.DISCORD_TOKEN === undefined && config.INTERACTIONS_MODE === 'gateway';
  if (consoleMode && !isInteractiveTerminal()) {
    throw new ConfigError(
      'DISCORD_TOKEN is not set and this is not an interactive terminal, so there is nothing to do.\nSet DISCORD_TOKEN in .env (see .env.example) to run the bot, or run `npm start` in a terminal for the local console.',
    );
  }
  const root = createLogger({ level: config.LOG_LEVEL, pretty: consoleMode || config.LOG_PRETTY, destination: consoleMode ? 2 : 1 });
  // In a shard process every line says which shard wrote it.
  const logger = config.SHARDS === undefined ? root : root.child({ shards: config.SHARDS });

  const corpusLogger = logger.child({ module: 'corpus' });
  // The cache makes a restart (and every shard process) load the index instead of rebuilding it.
  const open = async (dir: string): Promise<Library> => {
    const { library, fromCache, ms } = await openLibraryCached(dir, config.CACHE_DIR, corpusLogger);
    corpusLogger.info(
      {
        articles: library.articles.length,
        paragraphs: library.engine.index.documentCount,
        entities: library.directory.entries.length,
        fromCache,
        ms,
      },
      'corpus loaded',
    );
    return library;
  };
  // A reload builds in a worker thread: the bot keeps answering meanwhile without a long pause.
  const reopen = async (dir: string): Promise<Library> => (await openLibraryOffThread(dir, config.CACHE_DIR, corpusLogger)).library;
  const live = new LiveLibrary(await open(config.CORPUS_DIR), { corpusDir: config.CORPUS_DIR, open: reopen, logger: corpusLogger });
  if (config.WATCH_CORPUS) live.watch();
  const context: BotContext = { library: () => live.current(), logger: logger.child({ module: 'bot' }) };
  const router = new Router(loadCommands(), COMPONENTS, context);

  installProcessHandlers(logger);

  if (consoleMode) {
    const rl = runConsole(router, process.stdin, process.stdout, Boolean(process.stdout.isTTY));
    rl.on('close', () => {
      process.stdout.write('\n');
      logger.flush();
      process.exit(0);
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
      live.close();
      // Within 10 s whatever a client holds open: requests in flight get the grace, then are cut.
      setTimeout(() => process.exit(0), STOP_GRACE_MS + 3000).unref();
      void closeHttpInteractions(server).finally(() => logger.flush(() => process.exit(0)));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    return;
  }

  const { DISCORD_TOKEN: token } = requireKeys(config, ['DISCORD_TOKEN'], 'to connect to Discord');
  // Signals are handled from before login: a stop during the handshake must still exit cleanly.
  let stopping: Promise<void> | undefined;
  const bot = startGatewayBot({
    token,
    router,
    logger: logger.child({ module: 'discord' }),
    apiUrl: config.DISCORD_API_URL,
    // discord.js will not reconnect: exit non-zero so a process manager notices (and its restarts show the line).
    onFatal: (close) => {
      live.close();
      // A shard process tells its manager first, so the manager stops rather than respawn it.
      process.send?.({ [FATAL_MESSAGE]: close.code });
      setTimeout(() => process.exit(FATAL_EXIT_CODE), 2000).unref();
      logger.flush(() => process.exit(FATAL_EXIT_CODE));
    },
  });
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    // A login that never completes must not keep the process from stopping.
    setTimeout(() => process.exit(0), 5000).unref();
    stopping ??= bot
      .then((running) => running.stop())
      .catch((err: unknown) => logger.warn({ err }, 'the connection did not close cleanly'))
      .finally(() => {
        logger.flush();
        process.exit(0);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await bot;
}

runMain(main);
