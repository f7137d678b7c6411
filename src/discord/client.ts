import {
  ApplicationCommandOptionType,
  Client,
  MessageFlags,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ClientOptions,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { CommandRequest, ComponentRequest, OptionValue } from '../bot/types.js';
import type { Router } from '../bot/router.js';
import { APOLOGY } from '../bot/router.js';
import { notice } from '../reply/build.js';
import { logInteraction } from '../bot/log.js';
import { buttonKind } from '../reply/buttons.js';
import type { Response } from '../reply/types.js';
import { deferPrivately, finishDeferred, settleSoon, shouldDefer } from './deferral.js';
import { toDiscordJs } from './payload.js';

/** Discord's error code for an interaction whose 3-second window (or 15-minute token) has passed. */
export const UNKNOWN_INTERACTION = 10062;

/** Client options a caller may add; the intents are fixed. */
export type ExtraClientOptions = Omit<ClientOptions, 'intents'>;

/**
 * A discord.js client with only the Guilds intent: slash commands need no privileged intents.
 * `extra` is for tests (e.g. a `ws.buildIdentifyThrottler` that does not wait 5 s between
 * IDENTIFYs); production passes none.
 */
export function createClient(apiUrl?: string, extra: ExtraClientOptions = {}): Client {
  return new Client({
    ...extra,
    intents: [GatewayIntentBits.Guilds],
    ...(apiUrl === undefined ? {} : { rest: { ...extra.rest, api: apiUrl } }),
  });
}

function optionValues(options: readonly CommandInteractionOption[]): Map<string, OptionValue> {
  const values = new Map<string, OptionValue>();
  for (const option of options) {
    if (option.user) values.set(option.name, { id: option.user.id, name: option.user.username });
    else if (option.attachment) {
      const file = option.attachment;
      values.set(option.name, {
        kind: 'attachment',
        id: file.id,
        filename: file.name,
        size: file.size,
        url: file.url,
        contentType: file.contentType ?? null,
      });
    } else if (option.value !== undefined) values.set(option.name, option.value);
  }
  return values;
}

/** The subcommand used, if any, and the options given to it. */
function subcommandOf(options: readonly CommandInteractionOption[]): { subcommand?: string; options: readonly CommandInteractionOption[] } {
  let level = options;
  let subcommand: string | undefined;
  for (const option of level.slice(0, 1)) {
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) level = option.options ?? [];
  }
  const first = level[0];
  if (first?.type === ApplicationCommandOptionType.Subcommand) {
    subcommand = first.name;
    level = first.options ?? [];
  }
  return subcommand === undefined ? { options: level } : { subcommand, options: level };
}

/** The name a server shows for the member: nickname, else global display name, else username. */
function displayNameOf(interaction: Interaction): string {
  const member: unknown = interaction.member;
  if (member && typeof member === 'object') {
    if ('displayName' in member && typeof member.displayName === 'string' && member.displayName !== '') return member.displayName;
    if ('nick' in member && typeof member.nick === 'string' && member.nick !== '') return member.nick;
  }
  return interaction.user.displayName;
}

function userOf(interaction: Interaction) {
  return { id: interaction.user.id, name: interaction.user.username, displayName: displayNameOf(interaction) };
}

function commandRequest(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction | AutocompleteInteraction,
): CommandRequest {
  const { subcommand, options } = subcommandOf(interaction.options.data);
  const base = {
    commandName: interaction.commandName,
    user: userOf(interaction),
    guildId: interaction.guildId,
    options: optionValues(options),
    memberPermissions: interaction.memberPermissions?.bitfield.toString() ?? null,
    ...(subcommand === undefined ? {} : { subcommand }),
  };
  if (interaction.isMessageContextMenuCommand()) {
    const target = interaction.targetMessage;
    return { ...base, targetMessage: { id: target.id, content: target.content, authorId: target.author.id } };
  }
  return base;
}

/**
 * Sends a response. `deferral` is set when the interaction was already deferred (privately or not),
 * so the answer edits the deferred reply; a deferred response acknowledges first and delivers its
 * result after. A private answer after a public deferral replaces the placeholder with a private
 * follow-up rather than landing in the channel.
 */
async function deliver(interaction: RepliableInteraction, response: Response, deferral: { privately: boolean } | null): Promise<void> {
  if (response.kind === 'defer') {
    let privately = deferral?.privately ?? response.ephemeral;
    if (deferral === null) {
      if (response.update && interaction.isMessageComponent()) {
        await interaction.deferUpdate();
        privately = false;
      } else await interaction.deferReply(response.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    }
    await deliver(interaction, await response.result(), { privately });
    return;
  }
  if (deferral === null) return send(interaction, response);
  if (response.kind === 'reply' && finishDeferred(deferral.privately, response.payload) === 'replace-privately') {
    await interaction.deleteReply();
    await interaction.followUp(toDiscordJs(response.payload));
  } else if (response.kind === 'reply' || response.kind === 'update') {
    const { flags: _fixedAtDeferral, ...edit } = toDiscordJs(response.payload);
    await interaction.editReply(edit);
    if (response.kind === 'update' && response.followUp) await interaction.followUp(toDiscordJs(response.followUp));
  } else if (response.kind === 'modal') {
    // A form can only be the first response; this one was deferred because it waited too long.
    const { flags: _fixed, ...edit } = toDiscordJs(notice('That took too long to open the form; please run the command again.'));
    await interaction.editReply(edit);
  } else if (response.kind === 'delete') {
    await interaction.deleteReply();
  }
}

async function send(interaction: RepliableInteraction, response: Response): Promise<void> {
  if (response.kind === 'defer') {
    await deliver(interaction, response, null);
  } else if (response.kind === 'modal') {
    if (interaction.isModalSubmit()) throw new Error('a form cannot answer a form');
    await interaction.showModal(response.modal);
  } else if (response.kind === 'reply') {
    await interaction.reply(toDiscordJs(response.payload));
  } else if (response.kind === 'update' && interaction.isMessageComponent()) {
    // An update edits the message in place; ephemerality is fixed when the message is first sent.
    const { flags: _ignored, ...update } = toDiscordJs(response.payload);
    await interaction.update(update);
    if (response.followUp) await interaction.followUp(toDiscordJs(response.followUp));
  } else if (response.kind === 'delete' && interaction.isMessageComponent()) {
    await interaction.deferUpdate();
    await interaction.deleteReply();
  }
}

function isExpired(err: unknown): boolean {
  return err instanceof DiscordAPIError && err.code === UNKNOWN_INTERACTION;
}

/**
 * Connects the router to a discord.js client: one structured log line per interaction, expired
 * interactions logged and dropped, any other failure answered with an apology where still possible.
 */
export function attachRouter(
  client: Client,
  router: Router,
  logger: Logger,
  accepting: () => boolean = () => true,
  routerReady?: Promise<unknown>,
): void {
  let ready = routerReady === undefined;
  void routerReady?.then(
    () => (ready = true),
    () => undefined,
  );
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (!accepting()) return;
    void handle(interaction, router, logger, ready ? undefined : routerReady);
  });
}

async function handle(interaction: Interaction, router: Router, logger: Logger, pending?: Promise<unknown>): Promise<void> {
  const started = performance.now();
  const fields: Record<string, unknown> = { interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId };
  try {
    if (pending !== undefined) {
      // Still opening the library: acknowledge now (the 3-second window runs), answer once it is open.
      if (interaction.isAutocomplete()) return await interaction.respond([]);
      if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
        const hide = interaction.isChatInputCommand() && interaction.options.getBoolean('hide') === true;
        await interaction.deferReply(hide ? { flags: MessageFlags.Ephemeral } : {});
      }
      // A button is not deferred: an update after deferUpdate() would need another path, and the
      // library opens well within the window (see npm run bench).
      await pending;
    }
    // The first interaction from a server loads its readings; later ones find them loaded.
    const loading = router.prepare(interaction.guildId);
    if (loading) await loading;
    if (interaction.isAutocomplete()) {
      const focused = interaction.options.getFocused(true);
      const choices = router.autocomplete(commandRequest(interaction), { name: focused.name, value: String(focused.value) });
      await interaction.respond([...choices]);
      logger.debug(
        {
          ...fields,
          command: interaction.commandName,
          kind: 'autocomplete',
          choices: choices.length,
          latencyMs: Math.round(performance.now() - started),
        },
        'autocomplete',
      );
      return;
    }
    if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
      const request = commandRequest(interaction);
      const deferred = interaction.deferred || shouldDefer(interaction.createdTimestamp);
      const privately = deferPrivately(request) || router.commands.get(request.commandName)?.ephemeral === true;
      if (deferred && !interaction.deferred) await interaction.deferReply(privately ? { flags: MessageFlags.Ephemeral } : {});
      // A deferral made while the library opened is public unless `hide` was set.
      const deferral = deferred ? { privately: interaction.ephemeral === true || privately } : null;
      const routed = router.command(request);
      // Work expected in milliseconds is waited for, and answered directly if it comes in time.
      const response = deferral === null ? await settleSoon(routed) : routed;
      await deliver(interaction, response, deferral);
      logInteraction(logger, {
        transport: 'gateway',
        interactionId: interaction.id,
        kind: 'command',
        command: interaction.commandName,
        userId: interaction.user.id,
        guildId: interaction.guildId,
        startedAt: started,
        response,
        deferred,
      });
      return;
    }
    if (interaction.isButton() || interaction.isModalSubmit()) {
      const response = router.component(componentRequest(interaction));
      await send(interaction, response);
      logInteraction(logger, {
        transport: 'gateway',
        interactionId: interaction.id,
        kind: 'button',
        command: buttonKind(interaction.customId) ?? 'unknown',
        userId: interaction.user.id,
        guildId: interaction.guildId,
        startedAt: started,
        response,
      });
    }
  } catch (err) {
    if (isExpired(err)) {
      logger.warn(
        { ...fields, latencyMs: Math.round(performance.now() - started) },
        'interaction expired before the reply (Unknown interaction)',
      );
      return;
    }
    logger.error({ ...fields, err }, 'answering an interaction failed');
    if (interaction.isRepliable()) await apologise(interaction, logger);
  }
}

function componentRequest(interaction: ButtonInteraction | ModalSubmitInteraction): ComponentRequest {
  const message = interaction.message;
  return {
    customId: interaction.customId,
    user: userOf(interaction),
    guildId: interaction.guildId,
    memberPermissions: interaction.memberPermissions?.bitfield.toString() ?? null,
    message: message ? { content: message.content, embeds: message.embeds.map((embed) => embed.toJSON()) } : { content: '', embeds: [] },
    ...(interaction.isModalSubmit()
      ? {
          fields: new Map<string, string>(
            [...interaction.fields.fields.values()].flatMap((field) =>
              'value' in field && typeof field.value === 'string' ? [[field.customId, field.value] as const] : [],
            ),
          ),
        }
      : {}),
  };
}

async function apologise(interaction: RepliableInteraction, logger: Logger): Promise<void> {
  try {
    const payload = toDiscordJs(APOLOGY);
    if (interaction.replied || interaction.deferred) await interaction.followUp(payload);
    else await interaction.reply(payload);
  } catch (err) {
    if (!isExpired(err)) logger.warn({ err, interactionId: interaction.id }, 'could not send the apology either');
  }
}
