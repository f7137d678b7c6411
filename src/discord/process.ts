import type { Logger } from 'pino';

/**
 * Makes an unhandled promise rejection a logged error rather than the end of the process (Node's
 * default since v15 is to crash): one forgotten `await` in a handler must not take the bot offline
 * for every server. Returns a function that removes the handler again.
 */
export function installProcessHandlers(logger: Logger, target: NodeJS.Process = process): () => void {
  const onRejection = (reason: unknown): void => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  };
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('unhandledRejection', onRejection);
  };
}
