// The core stays free of Discord: only src/discord/, the entry points and the deploy script may import discord.js.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ALLOWED = new Set(['src/discord', 'src/cli/main.ts', 'src/cli/sharded.ts', 'src/cli/deploy-commands.ts']);
// An allowance for a file that is gone would let a new file of that name in unchecked.
const stale = [...ALLOWED].filter((allowed) => !existsSync(allowed));
if (stale.length > 0) {
  console.error(`scripts/check-imports.mjs allows files that do not exist: ${stale.join(', ')}`);
  process.exit(1);
}
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if ([...ALLOWED].some((allowed) => file === allowed || file.startsWith(`${allowed}/`))) continue;
    if (statSync(file).isDirectory()) walk(file);
    else if (/\.ts$/.test(name) && /from ['"]discord\.js['"]/.test(readFileSync(file, 'utf8'))) offenders.push(file);
  }
}
walk('src');
walk('commands');
if (offenders.length > 0) {
  console.error(`These files import discord.js but are part of the Discord-free core:\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log('imports: the core does not import discord.js');
