import { ConfigError } from '../config.js';
import { CorpusError } from '../corpus/parse.js';
import { CorpusLoadError } from '../search/open.js';
import { GatewayRefusedError } from '../discord/fatal.js';

/**
 * What a person sees when an entry point fails: the message alone for a problem they can fix
 * (configuration, corpus files), the stack as well for anything else, which is a bug.
 */
export function describeFailure(err: unknown): string {
  if (err instanceof ConfigError || err instanceof CorpusLoadError || err instanceof CorpusError || err instanceof GatewayRefusedError)
    return err.message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * Runs an entry point's main function. A number it returns is the exit code; nothing means it
 * left something running (a bot, a console) that exits by itself. A failure prints
 * {@link describeFailure} on stderr and exits 1.
 */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`${describeFailure(err)}\n`);
      process.exit(1);
    },
  );
}
