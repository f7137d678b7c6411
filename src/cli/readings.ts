import { ConfigError, loadConfig, logLevel } from '../config.js';
import { runMain } from './entry.js';
import { createLogger } from '../logger.js';
import { parseArticle } from '../corpus/parse.js';
import { FileReadingStore } from '../readings/file-store.js';
import { openReadingStore } from '../readings/open.js';
import { ReadingExistsError, type ReadingStore } from '../readings/store.js';

const USAGE = `Usage:
  npm run readings -- export DIR   copy every server's readings from the store into DIR/<server id>/
  npm run readings -- import DIR   add the readings in DIR/<server id>/ to the store (existing ids are kept)
  npm run db:migrate               create or upgrade the database schema (DATABASE_URL)
The store is PostgreSQL when DATABASE_URL is set, else the files under READINGS_DIR.`;

/** Copies every reading from one store to another; a reading the target already has is kept, never overwritten. */
async function copy(from: ReadingStore, to: ReadingStore): Promise<{ copied: number; kept: number; servers: number }> {
  let copied = 0;
  let kept = 0;
  const servers = await from.servers();
  for (const guildId of servers) {
    for (const reading of await from.list(guildId)) {
      parseArticle(`${reading.id}.md`, reading.markdown); // refuse anything the bot could not load
      try {
        await to.add(reading);
        copied += 1;
      } catch (err) {
        if (!(err instanceof ReadingExistsError)) throw err;
        kept += 1;
      }
    }
  }
  return { copied, kept, servers: servers.length };
}

async function main(argv: readonly string[]): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ level: logLevel(config, 'person'), pretty: false, destination: 2 });
  const [command, dir] = argv;
  if (command === 'migrate') {
    if (config.DATABASE_URL === undefined)
      throw new ConfigError('DATABASE_URL is required to migrate the database.\nSet it in .env (see .env.example).');
    const store = await openReadingStore(config, logger);
    await store.close();
    process.stdout.write('database schema is up to date\n');
    return 0;
  }
  if ((command !== 'export' && command !== 'import') || dir === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const store = await openReadingStore(config, logger);
  const files = new FileReadingStore(dir, logger);
  try {
    const result = command === 'export' ? await copy(store, files) : await copy(files, store);
    process.stdout.write(
      `${command === 'export' ? 'exported' : 'imported'} ${result.copied} reading${result.copied === 1 ? '' : 's'} of ${result.servers} server${result.servers === 1 ? '' : 's'}${result.kept > 0 ? `; ${result.kept} already there, kept as they were` : ''}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

runMain(() => main(process.argv.slice(2)));
