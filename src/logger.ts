import { pino, type Logger } from 'pino';

/** Options of the one root logger an entry point builds. */
export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines (pino-pretty) for a person at a terminal; JSON otherwise. */
  readonly pretty: boolean;
  /** 1 = stdout (the bot), 2 = stderr (CLIs and the console, whose stdout is for answers). */
  readonly destination?: 1 | 2;
}

/** The root logger; modules take `logger.child({ module })`. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 1;
  if (options.pretty) {
    return pino({
      level: options.level,
      transport: {
        target: 'pino-pretty',
        options: { destination, colorize: true, singleLine: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({ level: options.level }, pino.destination({ dest: destination, sync: destination === 2 }));
}

/**
 * Exits once every line the logger holds is written. pino's `flush()` without a callback returns
 * before an asynchronous destination has written its buffer, so `flush(); process.exit()` can drop
 * the last lines — often the ones that say why the process stopped. A flush that never completes
 * (a broken destination) does not keep the process alive past `timeoutMs`.
 */
export function flushAndExit(logger: Logger, code: number, timeoutMs = 2000): void {
  setTimeout(() => process.exit(code), timeoutMs).unref();
  logger.flush(() => process.exit(code));
}
