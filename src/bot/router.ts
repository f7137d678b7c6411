import type { Logger } from 'pino';
import { COLORS, notice } from '../reply/build.js';
import { decodeButtonId, type ButtonId } from '../reply/buttons.js';
import type { Choice, Response } from '../reply/types.js';
import { Cooldown } from './cooldown.js';
import type { BotContext, Command, CommandRequest, ComponentHandler, ComponentRequest, PrefixedComponentHandler } from './types.js';

/** The short apology a user gets when a handler fails; the details go to the log. */
export const APOLOGY = notice('Sorry, something went wrong while answering. It has been logged; please try again.');

/** Routes transport-free requests to handlers, with cooldowns and the one place errors are caught. */
export class Router {
  constructor(
    readonly commands: ReadonlyMap<string, Command>,
    readonly components: readonly ComponentHandler[],
    readonly context: BotContext,
    private readonly cooldown = new Cooldown(),
  ) {}

  private get logger(): Logger {
    return this.context.logger;
  }

  private limited(userId: string): Response | null {
    const wait = this.cooldown.take(userId);
    if (wait === 0) return null;
    return { kind: 'reply', payload: notice(`You're asking quickly: try again in ${Math.ceil(wait / 1000)} s.`, COLORS.abstain) };
  }

  /** Runs a slash or context-menu command; never throws. */
  command(request: CommandRequest): Response {
    const command = this.commands.get(request.commandName);
    if (!command)
      return {
        kind: 'reply',
        payload: notice(`Unknown command “${request.commandName}”. The commands may be out of date; see \`/help\`.`),
      };
    return this.guarded(request.user.id, { command: request.commandName }, () => command.execute(request, this.context));
  }

  /** Autocomplete choices; never throws, and never rate-limited (Discord calls it per keystroke). */
  autocomplete(request: CommandRequest, focused: { name: string; value: string }): readonly Choice[] {
    try {
      return this.commands.get(request.commandName)?.autocomplete?.(focused, request, this.context) ?? [];
    } catch (err) {
      this.logger.error({ err, command: request.commandName }, 'autocomplete failed');
      return [];
    }
  }

  /** Runs the handler of a button; never throws. */
  component(request: ComponentRequest): Response {
    const about = { customId: request.customId };
    const id = decodeButtonId(request.customId);
    const typed = id === null ? undefined : this.components.find((candidate) => 'kind' in candidate && candidate.kind === id.kind);
    if (id !== null && typed !== undefined) {
      // The handler was found by the id's kind, so it takes this id.
      const matched = typed as { handle(id: ButtonId, request: ComponentRequest, context: BotContext): Response };
      return this.guarded(request.user.id, about, () => matched.handle(id, request, this.context));
    }
    const prefix = request.customId.split(':')[0];
    const prefixed = this.components.find(
      (candidate): candidate is PrefixedComponentHandler => 'prefix' in candidate && candidate.prefix === prefix,
    );
    if (prefixed === undefined) return { kind: 'reply', payload: notice('That button no longer works. Ask again with `/ask`.') };
    return this.guarded(request.user.id, about, () => prefixed.handle(request, this.context));
  }

  /**
   * What a transport awaits before routing an interaction from `guildId`: the server's readings
   * loading, the first time it is seen; undefined when there is nothing to wait for.
   */
  prepare(guildId: string | null): Promise<void> | undefined {
    return this.context.readings?.prepare(guildId);
  }

  /** The cooldown, then the handler; an error is logged once with its stack and answered with an apology. */
  private guarded(userId: string, about: Record<string, string>, run: () => Response): Response {
    const limited = this.limited(userId);
    if (limited) return limited;
    const failed = (err: unknown): Response => {
      this.logger.error({ err, ...about, userId }, 'handler failed');
      return { kind: 'reply', payload: APOLOGY };
    };
    try {
      const response = run();
      // A deferred answer fails later, in the same one place.
      return response.kind === 'defer' ? { ...response, result: async () => response.result().catch(failed) } : response;
    } catch (err) {
      return failed(err);
    }
  }
}
