import {
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
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { CommandRequest, OptionValue } from '../bot/types.js';
import type { Router } from '../bot/router.js';
import { APOLOGY } from '../bot/router.js';
import type { MessagePayload, Response } from '../reply/types.js';
import { toDiscordJs } from './payload.js';

/** Discord's error code for an interaction whose 3-second window (or 15-minute token) has passed. */
export const UNKNOWN_INTERACTION = 10062;

/**
 * An interaction older than this when its turn comes has waited behind others (a burst, a slow
 * moment): it is acknowledged with a deferral first and answered by an edit, so the 3-second
 * window to respond is never missed.
 */
export const DEFER_AFTER_MS = 1000;

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
    else if (option.value !== undefined) values.set(option.name, option.value);
  }
  return values;
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
  const base = {
    commandName: interaction.commandName,
    user: userOf(interaction),
    guildId: interaction.guildId,
    options: optionValues(interaction.options.data),
  };
  if (interaction.isMessageContextMenuCommand()) {
    const target = interaction.targetMessage;
    return { ...base, targetMessage: { id: target.id, content: target.content, authorId: target.author.id } };
  }
  return base;
}

/** An edit of a deferred reply: its visibility was fixed by the deferral. */
function editOf(payload: MessagePayload) {
  const { flags: _fixedAtDeferral, ...edit } = toDiscordJs(payload);
  return edit;
}

/** Finishes a deferred reply with what the slow work made, or the apology when it failed. */
async function finishDeferred(interaction: RepliableInteraction, response: Extract<Response, { kind: 'deferred' }>, logger: Logger) {
  let payload: MessagePayload;
  try {
    payload = await response.reply();
  } catch (err) {
    logger.error({ err, interactionId: interaction.id }, 'deferred work failed');
    payload = APOLOGY;
  }
  await interaction.editReply(editOf(payload));
}

async function send(interaction: RepliableInteraction, response: Response, logger: Logger): Promise<void> {
  if (response.kind === 'reply') {
    await interaction.reply(toDiscordJs(response.payload));
  } else if (response.kind === 'deferred') {
    await interaction.deferReply(response.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    await finishDeferred(interaction, response, logger);
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
export function attachRouter(client: Client, router: Router, logger: Logger, accepting: () => boolean = () => true): void {
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (!accepting()) return;
    void handle(interaction, router, logger);
  });
}

async function handle(interaction: Interaction, router: Router, logger: Logger): Promise<void> {
  const started = performance.now();
  const fields: Record<string, unknown> = { interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId };
  try {
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
      const deferred = Date.now() - interaction.createdTimestamp > DEFER_AFTER_MS;
      if (deferred) await interaction.deferReply(request.options.get('hide') === true ? { flags: MessageFlags.Ephemeral } : {});
      const response = router.command(request);
      if (deferred && response.kind === 'reply') await interaction.editReply(editOf(response.payload));
      else if (deferred && response.kind === 'deferred') await finishDeferred(interaction, response, logger);
      else await send(interaction, response, logger);
      fields['deferred'] = deferred;
      const outcome = response.kind === 'reply' || response.kind === 'deferred' ? response.outcome : undefined;
      logger.info(
        {
          ...fields,
          command: interaction.commandName,
          kind: 'command',
          latencyMs: Math.round(performance.now() - started),
          results: outcome?.results ?? null,
          abstained: outcome?.abstained ?? null,
        },
        'interaction',
      );
      return;
    }
    if (interaction.isButton()) {
      const response = router.component(componentRequest(interaction));
      await send(interaction, response, logger);
      logger.info(
        { ...fields, command: interaction.customId.split(':')[0], kind: 'button', latencyMs: Math.round(performance.now() - started) },
        'interaction',
      );
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

function componentRequest(interaction: ButtonInteraction) {
  return {
    customId: interaction.customId,
    user: userOf(interaction),
    message: { content: interaction.message.content, embeds: interaction.message.embeds.map((embed) => embed.toJSON()) },
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
