import type { APIEmbed, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import type { Library } from '../library.js';
import type { ButtonId, ButtonKind } from '../reply/buttons.js';
import type { Choice, Response } from '../reply/types.js';

/** A user as handlers see them. */
export interface UserRef {
  readonly id: string;
  readonly name: string;
}

/** An option value as Discord delivers it; user options arrive as the user. */
export type OptionValue = string | number | boolean | UserRef;

/** A slash or context-menu command invocation, stripped of transport: gateway, HTTP and console all make one. */
export interface CommandRequest {
  readonly commandName: string;
  readonly user: UserRef;
  readonly guildId: string | null;
  readonly options: ReadonlyMap<string, OptionValue>;
  /** The message a message context-menu command was used on. */
  readonly targetMessage?: { readonly id: string; readonly content: string; readonly authorId: string };
}

/** A button press on one of the bot's messages. */
export interface ComponentRequest {
  readonly customId: string;
  readonly user: UserRef;
  /** The message the button is on, as Discord sent it with the press. */
  readonly message: { readonly content: string; readonly embeds: readonly APIEmbed[] };
}

/** What every handler may use: the corpus as it is now, and a logger. */
export interface BotContext {
  /** The current library; a reload swaps it, so read it once per interaction. */
  library(): Library;
  readonly logger: Logger;
}

/** One command: its registration data and its behaviour. One module per command in `commands/`. */
export interface Command {
  readonly data: RESTPostAPIApplicationCommandsJSONBody;
  execute(request: CommandRequest, context: BotContext): Response;
  autocomplete?(
    focused: { readonly name: string; readonly value: string },
    request: CommandRequest,
    context: BotContext,
  ): readonly Choice[];
}

/** Buttons of kind K are routed to `handle`, with their custom id already read (src/reply/buttons.ts). */
export interface ComponentHandlerOf<K extends ButtonKind> {
  readonly kind: K;
  handle(id: Extract<ButtonId, { kind: K }>, request: ComponentRequest, context: BotContext): Response;
}

/** A handler for one kind of button. */
export type ComponentHandler = { [K in ButtonKind]: ComponentHandlerOf<K> }[ButtonKind];

/** A string option, or undefined when absent or of another type. */
export function stringOption(request: CommandRequest, name: string): string | undefined {
  const value = request.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** A number option (integers arrive as numbers; typed-in text is parsed). */
export function numberOption(request: CommandRequest, name: string): number | undefined {
  const value = request.options.get(name);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** A boolean option. */
export function booleanOption(request: CommandRequest, name: string): boolean | undefined {
  const value = request.options.get(name);
  return typeof value === 'boolean' ? value : undefined;
}

/** A user option. */
export function userOption(request: CommandRequest, name: string): UserRef | undefined {
  const value = request.options.get(name);
  return typeof value === 'object' ? value : undefined;
}
