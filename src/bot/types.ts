import type { APIEmbed, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { Logger } from 'pino';
import type { Library } from '../library.js';
import type { AttachmentRef, ServerReadings } from '../readings/servers.js';
import type { QuizBoard } from './quizzes.js';
import type { Reranker } from '../search/semantic/two-stage.js';
import type { ButtonId, ButtonKind } from '../reply/buttons.js';
import type { Choice, Response } from '../reply/types.js';

/** A user as handlers see them. */
export interface UserRef {
  readonly id: string;
  readonly name: string;
  /** The name the server shows (nickname, else global display name), where the transport knows it. */
  readonly displayName?: string;
}

/** An option value as Discord delivers it; user options arrive as the user, attachments as the file's description. */
export type OptionValue = string | number | boolean | UserRef | AttachmentRef;

/** A slash or context-menu command invocation, stripped of transport: gateway, HTTP and console all make one. */
export interface CommandRequest {
  readonly commandName: string;
  readonly user: UserRef;
  readonly guildId: string | null;
  readonly options: ReadonlyMap<string, OptionValue>;
  /** The subcommand used (`add` in `/reading add`), whose options `options` holds. */
  readonly subcommand?: string;
  /** The member's permissions in the channel as Discord computed them (a decimal bit set); absent in DMs. */
  readonly memberPermissions?: string | null;
  /** The message a message context-menu command was used on. */
  readonly targetMessage?: { readonly id: string; readonly content: string; readonly authorId: string };
}

/** A button press on one of the bot's messages, or a submitted form (modal). */
export interface ComponentRequest {
  readonly customId: string;
  readonly user: UserRef;
  /** The server it happened in; absent or null in DMs. */
  readonly guildId?: string | null;
  readonly memberPermissions?: string | null;
  /** A submitted form's fields by custom id. */
  readonly fields?: ReadonlyMap<string, string>;
  /** The message the button is on, as Discord sent it with the press. */
  readonly message: { readonly content: string; readonly embeds: readonly APIEmbed[] };
}

/** What every handler may use: the articles as they are now, the servers' readings, and a logger. */
export interface BotContext {
  /**
   * The articles this conversation sees: in a server its readings and the bot's corpus, in DMs
   * (null) the corpus. A reload or a change swaps it, so read it once per interaction.
   */
  library(guildId: string | null): Library;
  /** The servers' own readings; absent where the bot offers none (tests of other commands). */
  readonly readings?: ServerReadings | undefined;
  readonly logger: Logger;
  /** Who answered what in running quizzes; the quiz keeps one of its own when absent. */
  readonly quizzes?: QuizBoard;
  /** The semantic stage that re-ranks answers by meaning; absent when it is off (`SEMANTIC=off`). */
  readonly semantic?: Reranker | undefined;
}

/** One command: its registration data and its behaviour. One module per command in `commands/`. */
export interface Command {
  readonly data: RESTPostAPIApplicationCommandsJSONBody;
  /** Every reply is private (ephemeral), so a deferral made before the handler runs must be too. */
  readonly ephemeral?: boolean;
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

/**
 * A handler for components whose custom ids have a codec of their own (a quiz's options, a reading's
 * confirmation, a form), routed by the part before the first `:`.
 */
export interface PrefixedComponentHandler {
  readonly prefix: string;
  handle(request: ComponentRequest, context: BotContext): Response;
}

/** A handler for one kind of button. */
export type ComponentHandler = { [K in ButtonKind]: ComponentHandlerOf<K> }[ButtonKind] | PrefixedComponentHandler;

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
  return typeof value === 'object' && !('kind' in value) ? value : undefined;
}

/** An attachment option. */
export function attachmentOption(request: CommandRequest, name: string): AttachmentRef | undefined {
  const value = request.options.get(name);
  return typeof value === 'object' && 'kind' in value ? value : undefined;
}

/** Discord's permission bits for Administrator and Manage Server. */
export const PERMISSIONS = { administrator: 1n << 3n, manageGuild: 1n << 5n } as const;

/** Whether the member may manage the server (Manage Server, or Administrator which implies it). */
export function canManageServer(request: { readonly memberPermissions?: string | null }): boolean {
  const raw = request.memberPermissions;
  if (raw === undefined || raw === null || !/^\d+$/.test(raw)) return false;
  return (BigInt(raw) & (PERMISSIONS.administrator | PERMISSIONS.manageGuild)) !== 0n;
}
