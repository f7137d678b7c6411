import { REST, Routes } from 'discord.js';
import { loadCommands } from '../../commands/index.js';
import { loadConfig, requireKeys } from '../config.js';
import { runMain } from './entry.js';

/**
 * Registers the commands with Discord: to DISCORD_GUILD_ID when set (shows at once; for
 * development), else globally. Run on change, never on start-up: Discord limits creations a day.
 */
async function main(): Promise<void> {
  const config = requireKeys(loadConfig(), ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID'], 'to register commands');
  const body = [...loadCommands().values()].map((command) => command.data);
  const rest = new REST(config.DISCORD_API_URL === undefined ? {} : { api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const route =
    config.DISCORD_GUILD_ID === undefined
      ? Routes.applicationCommands(config.DISCORD_CLIENT_ID)
      : Routes.applicationGuildCommands(config.DISCORD_CLIENT_ID, config.DISCORD_GUILD_ID);
  const saved = (await rest.put(route, { body })) as unknown[];
  process.stdout.write(
    `Registered ${saved.length} commands ${config.DISCORD_GUILD_ID === undefined ? 'globally (may take up to an hour to show)' : `in guild ${config.DISCORD_GUILD_ID}`}.\n`,
  );
}

runMain(main);
