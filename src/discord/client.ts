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
import { logInteraction } from '../bot/log.js';
import { buttonKind } from '../reply/buttons.js';
import type { Response } from '../reply/types.js';
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

function commandRequest(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction | AutocompleteInteraction,
): CommandRequest {
  const base = {
    commandName: interaction.commandName,
    user: { id: interaction.user.id, name: interaction.user.username },
    guildId: interaction.guildId,
    options: optionValues(interaction.options.data),
  };
  if (interaction.isMessageContextMenuCommand()) {
    const target = interaction.targetMessage;
    return { ...base, targetMessage: { id: target.id, content: target.content, authorId: target.author.id } };
  }
  return base;
}

async function send(interaction: RepliableInteraction, response: Response): Promise<void> {
  if (response.kind === 'reply') {
    await interaction.reply(toDiscordJs(response.payload));
  } else if (response.kind === 'update' && interaction.isMessageComponent()) {
    // An update edits the message in place; ephemerality is fixed when the message is first sent.
    const { flags: _ignored, ...update } = toDiscordJs(response.payload);
    await interaction.update(update);
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
      const deferred = interaction.deferred || Date.now() - interaction.createdTimestamp > DEFER_AFTER_MS;
      if (deferred && !interaction.deferred)
        await interaction.deferReply(request.options.get('hide') === true ? { flags: MessageFlags.Ephemeral } : {});
      const response = router.command(request);
      if (deferred && response.kind === 'reply') {
        const { flags: _fixedAtDeferral, ...edit } = toDiscordJs(response.payload);
        await interaction.editReply(edit);
      } else await send(interaction, response);
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
    if (interaction.isButton()) {
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

function componentRequest(interaction: ButtonInteraction) {
  return {
    customId: interaction.customId,
    user: { id: interaction.user.id, name: interaction.user.username },
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
