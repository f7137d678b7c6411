import type { Logger } from 'pino';
import { COLORS, notice } from '../reply/build.js';
import { decodeButtonId, type ButtonId } from '../reply/buttons.js';
import type { Choice, Response } from '../reply/types.js';
import { Cooldown } from './cooldown.js';
import type { BotContext, Command, CommandRequest, ComponentHandler, ComponentRequest } from './types.js';

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
    const id = decodeButtonId(request.customId);
    const handler = id === null ? undefined : this.components.find((candidate) => candidate.kind === id.kind);
    if (id === null || !handler) return { kind: 'reply', payload: notice('That button no longer works. Ask again with `/ask`.') };
    // The handler was found by the id's kind, so it takes this id.
    const matched = handler as { handle(id: ButtonId, request: ComponentRequest, context: BotContext): Response };
    return this.guarded(request.user.id, { customId: request.customId }, () => matched.handle(id, request, this.context));
  }

  /** The cooldown, then the handler; an error is logged once with its stack and answered with an apology. */
  private guarded(userId: string, about: Record<string, string>, run: () => Response): Response {
    const limited = this.limited(userId);
    if (limited) return limited;
    try {
      return run();
    } catch (err) {
      this.logger.error({ err, ...about, userId }, 'handler failed');
      return { kind: 'reply', payload: APOLOGY };
    }
  }
}
