import type { Logger } from 'pino';
import { ConfigError, isInteractiveTerminal, loadConfig, logLevel, requireKeys, type Config } from '../config.js';
import { runMain } from './entry.js';
import { closeHttpInteractions, startHttpInteractions, STOP_GRACE_MS } from '../discord/http.js';
import { loadCommands } from '../../commands/index.js';
import { Router } from '../bot/router.js';
import { COMPONENTS } from '../bot/components.js';
import type { BotContext } from '../bot/types.js';
import { runConsole } from './console.js';
import { startGatewayBot } from '../discord/bot.js';
import { FATAL_EXIT_CODE, FATAL_MESSAGE } from '../discord/fatal.js';
import { installProcessHandlers } from '../discord/process.js';
import { openLibraryLogged, openLibraryOffThread, type CorpusLibrary } from '../library.js';
import { prepareEnglish } from '../search/english.js';
import { createLogger, flushAndExit } from '../logger.js';
import { LiveLibrary } from '../reload.js';
import { SemanticRanker } from '../search/semantic/ranker.js';
import { openServerReadings } from '../readings/open.js';
import type { ServerReadings } from '../readings/servers.js';
import { warmServerReadings } from '../discord/readings.js';

/** How long after the corpus opens the word lists are loaded: past the first answers of a start-up. */
const ENGLISH_DELAY_MS = 5_000;
/** How long after a corpus opens its sentences start to be embedded ahead of questions. */
const WARM_DELAY_MS = 2_000;

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
  // The encoder's thread starts first: its model loads while the index does.
  const semantic = config.SEMANTIC ? SemanticRanker.open(config.CACHE_DIR, logger.child({ module: 'semantic' })) : undefined;
  // Sentences are embedded ahead of questions, in the background; a question never waits for all of
  // them. Warming starts a moment after the corpus opens, so the questions that waited for it do not
  // also wait behind a batch of warming.
  const warmed = (library: CorpusLibrary): CorpusLibrary => {
    if (semantic !== undefined) setTimeout(() => void semantic.warm(library.engine.articles.values()), WARM_DELAY_MS).unref();
    return library;
  };
  // The cache makes a restart (and every shard process) load the index instead of rebuilding it.
  const open = async (dir: string): Promise<CorpusLibrary> => warmed(await openLibraryLogged(dir, config.CACHE_DIR, corpusLogger));
  // A reload builds in a worker thread: the bot keeps answering meanwhile without a long pause.
  // Warming waits meanwhile: the reload's worker needs the second core (see SemanticRanker.holdWarming).
  const reopen = async (dir: string): Promise<CorpusLibrary> => {
    const release = semantic?.holdWarming();
    try {
      return warmed((await openLibraryOffThread(dir, config.CACHE_DIR, corpusLogger)).library);
    } finally {
      release?.();
    }
  };
  let live: LiveLibrary | undefined;
  let readings: ServerReadings | undefined;
  const opened = open(config.CORPUS_DIR).then(async (library) => {
    // The word lists behind abstention (~0.3 s) load once the start-up rush is over, rather than
    // inside the first question that needs them or ahead of the first answer.
    setTimeout(prepareEnglish, ENGLISH_DELAY_MS).unref();
    const loaded = new LiveLibrary(library, { corpusDir: config.CORPUS_DIR, open: reopen, logger: corpusLogger });
    live = loaded;
    if (config.WATCH_CORPUS) loaded.watch();
    readings = await openServerReadings(config, () => loaded.current(), logger.child({ module: 'readings' }));
  });
  const ready = (): ServerReadings => {
    if (readings === undefined) throw new Error('the library is not open yet');
    return readings;
  };
  const context: BotContext = {
    library: (guildId) => ready().library(guildId),
    get readings() {
      return readings;
    },
    logger: logger.child({ module: 'bot' }),
    semantic,
  };
  const router = new Router(loadCommands(), COMPONENTS, context);

  installProcessHandlers(logger);

  if (config.INTERACTIONS_MODE === 'gateway' && !consoleMode)
    return runGateway(config, router, logger, opened, () => live, ready, semantic);
  await opened;

  if (consoleMode) {
    // Input ended (Ctrl+D, or the end of piped questions): exit once the last answer is shown.
    runConsole(router, process.stdin, process.stdout, Boolean(process.stdout.isTTY), () => {
      process.stdout.write('\n');
      void semantic?.save().finally(() => flushAndExit(logger, 0));
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
      live?.close();
      // Within 10 s whatever a client holds open: requests in flight get the grace, then are cut.
      setTimeout(() => process.exit(0), STOP_GRACE_MS + 3000).unref();
      void closeHttpInteractions(server)
        .then(() => semantic?.close())
        .finally(() => flushAndExit(logger, 0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  }
}

/**
 * The gateway bot. It logs in while the library opens, so the handshake overlaps the load; a command
 * that arrives first is deferred and answered once the library is open.
 */
async function runGateway(
  config: Config,
  router: Router,
  logger: Logger,
  opened: Promise<void>,
  live: () => LiveLibrary | undefined,
  readings: () => ServerReadings,
  semantic: SemanticRanker | undefined,
): Promise<void> {
  const { DISCORD_TOKEN: token } = requireKeys(config, ['DISCORD_TOKEN'], 'to connect to Discord');
  // Signals are handled from before login: a stop during the handshake must still exit cleanly.
  let stopping: Promise<void> | undefined;
  const bot = startGatewayBot({
    token,
    router,
    logger: logger.child({ module: 'discord' }),
    apiUrl: config.DISCORD_API_URL,
    routerReady: opened,
    // discord.js will not reconnect: exit non-zero so a process manager notices (and its restarts show the line).
    onFatal: (close) => {
      live()?.close();
      // A shard process tells its manager first, so the manager stops rather than respawn it.
      process.send?.({ [FATAL_MESSAGE]: close.code });
      setTimeout(() => process.exit(FATAL_EXIT_CODE), 2000).unref();
      flushAndExit(logger, FATAL_EXIT_CODE);
    },
  });
  // A broken corpus is the failure to report, even when the login fails as well.
  bot.catch(() => undefined);
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    // A login that never completes must not keep the process from stopping.
    setTimeout(() => process.exit(0), 5000).unref();
    stopping ??= bot
      .then((running) => running.stop())
      .then(() => semantic?.close())
      .catch((err: unknown) => logger.warn({ err }, 'the connection did not close cleanly'))
      .finally(() => {
        flushAndExit(logger, 0);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await opened;
  warmServerReadings((await bot).client, readings());
}

runMain(main);
