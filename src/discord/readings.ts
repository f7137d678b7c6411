import { Events, type Client } from 'discord.js';
import type { ServerReadings } from '../readings/servers.js';

/**
 * Loads the readings of the servers this connection serves in the background, one server at a time,
 * once the bot is connected: start-up never waits for them, and a server's first question usually
 * finds them loaded (if not, it waits for that one server's alone).
 */
export function warmServerReadings(client: Client, readings: ServerReadings): void {
  const queue: string[] = [];
  let running = false;
  const next = async (): Promise<void> => {
    if (running) return;
    running = true;
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await readings.prepare(id);
    running = false;
  };
  const warm = (id: string): void => {
    queue.push(id);
    void next();
  };
  client.on(Events.GuildCreate, (guild) => warm(guild.id));
  for (const id of client.guilds.cache.keys()) warm(id);
}
