/**
 * `npm run who-is -- NAME` prints who or what the corpus says NAME is; `--json` prints the /who-is
 * JSON object on one line; `--json` without NAME reads names from stdin, one a line, and prints one
 * object a line in the same order. Only results go to stdout; problems go to stderr.
 * Exit codes: 0 answered (found or not), 1 config or corpus errors, 2 bad arguments.
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, logLevel, type Config } from '../config.js';
import { toWhoIsJson, type Entity, type WhoIsResult } from '../entities/index.js';
import { describeFailure } from './entry.js';
import { openLibraryLogged, type Library } from '../library.js';
import { createLogger } from '../logger.js';

const USAGE = 'usage: npm run who-is -- [--json] NAME   (--json with no NAME reads names from stdin, one a line)';
const EXCERPT_LENGTH = 90;

function quote(text: string): string {
  return `“${text}”`;
}

/** A window of the sentence around the first place it names the entity. */
function excerpt(sentence: string, entity: Entity, length = EXCERPT_LENGTH): string {
  if (sentence.length <= length) return sentence;
  const lower = sentence.toLowerCase();
  const at = [entity.name, ...entity.aliases]
    .map((name) => lower.indexOf(name.toLowerCase()))
    .filter((i) => i >= 0)
    .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const centre = Number.isFinite(at) ? at : 0;
  let start = Math.max(0, Math.min(centre - Math.floor(length / 3), sentence.length - length));
  let end = Math.min(sentence.length, start + length);
  // Cut at spaces so no word is split.
  if (start > 0) start = sentence.indexOf(' ', start) + 1 || start;
  if (end < sentence.length) end = sentence.lastIndexOf(' ', end) > start ? sentence.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '…' : ''}${sentence.slice(start, end).trim()}${end < sentence.length ? '…' : ''}`;
}

/** The readable card for one result. */
export function formatCard(result: WhoIsResult, manyArticles: boolean): string {
  const { entity } = result;
  if (entity === null) {
    if (result.ambiguous) {
      return `${quote(result.query)} could be: ${result.suggestions.join(', ')}.\nAsk again with the full name.`;
    }
    const closest = result.suggestions.length > 0 ? `\nClosest names it mentions: ${result.suggestions.join(', ')}` : '';
    return `${quote(result.query)} is not mentioned in the corpus.${closest}`;
  }
  const where = (article: string, paragraph: number): string => (manyArticles ? `${article} ¶${paragraph}` : `¶${paragraph}`);
  const lines = [`${entity.name} (${entity.kind})`];
  if (entity.role !== null) {
    const { text, article, paragraph, sentence } = entity.role;
    lines.push(
      paragraph > 0
        ? `Role: ${text} — ${where(article, paragraph)}: ${quote(excerpt(sentence, entity))}`
        : `Role: ${text} (front matter of ${article})`,
    );
  }
  if (entity.aliases.length > 0) lines.push(`Also: ${entity.aliases.join(', ')}`);
  const [first] = entity.mentions;
  if (first !== undefined) lines.push(`First mention, ${where(first.article, first.paragraph)}: ${quote(first.sentence)}`);
  lines.push(`Mentions (${entity.mentions.length}):`);
  for (const mention of entity.mentions)
    lines.push(`  ${where(mention.article, mention.paragraph).padEnd(manyArticles ? 0 : 4)} ${excerpt(mention.sentence, entity)}`);
  if (entity.appearsWith.length > 0)
    lines.push(`Appears with: ${entity.appearsWith.map((other) => `${other.name} (${other.count})`).join(', ')}`);
  return lines.join('\n');
}

/** Where the CLI reads and writes, and the environment it configures itself from (default: the process's). */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs the CLI on `argv` (without node and script) and returns its exit code. */
export async function runWhoIs(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const name = positionals.join(' ').trim();
  if (name === '' && values.json !== true) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }

  let config: Config;
  let library: Library;
  try {
    config = io.env === undefined ? loadConfig() : loadConfig(io.env);
    // As the bot opens it: the entity directory from the cache when the corpus has not changed.
    const logger = createLogger({ level: logLevel(config, 'person'), pretty: false, destination: 2 });
    library = await openLibraryLogged(config.CORPUS_DIR, config.CACHE_DIR, logger.child({ module: 'corpus' }));
  } catch (err) {
    io.stderr.write(`${describeFailure(err)}\n`);
    return 1;
  }
  const { directory, articles } = library;

  if (name !== '') {
    const result = directory.lookup(name);
    io.stdout.write(`${values.json === true ? JSON.stringify(toWhoIsJson(result)) : formatCard(result, articles.length > 1)}\n`);
    return 0;
  }
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    // Every line gets its object, a blank one too, so output line N always answers input line N.
    const query = line.trim();
    io.stdout.write(`${JSON.stringify(toWhoIsJson(directory.lookup(query)))}\n`);
  }
  return 0;
}

// Run only when executed (`tsx src/cli/whois-cli.ts`), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWhoIs(process.argv.slice(2), process).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
