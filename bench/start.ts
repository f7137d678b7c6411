import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { slashCommand, startFakeDiscord, type FakeDiscord } from '../test/support/fakeDiscord.js';

/** The bot token the fake Discord server accepts in the benchmark's runs of `npm start`. */
export const TOKEN = 'bench-token-0123456789-abcdefghijklmnop';

/**
 * The environment of a benchmark's `npm start`: the gateway bot against `fake`, on this corpus and
 * cache, with nothing inherited from the caller's environment but PATH and HOME.
 */
export function botEnvironment(fake: FakeDiscord, corpusDir: string, cacheDir: string, settings: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: fake.apiBase,
    CORPUS_DIR: corpusDir,
    CACHE_DIR: cacheDir,
    INTERACTIONS_MODE: 'gateway',
    ...settings,
  };
}

/** One `npm start`, timed from spawn: when the gateway IDENTIFY arrived, when the first /ask was answered. */
export interface StartRun {
  readonly identifyMs: number;
  readonly answerMs: number;
  /** The answer's first embed title, so a run that "answers" with an apology does not count. */
  readonly answered: boolean;
}

function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const poll = (): void => {
      if (condition()) resolve();
      else if (performance.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 2);
    };
    poll();
  });
}

/** The /ask answer's message body: the callback's, or the edit's after a deferral. */
async function answerOf(fake: FakeDiscord, interactionId: string): Promise<{ embeds?: { title?: string }[] }> {
  const callback = await fake.waitForCallback(interactionId, 30_000);
  const body = callback.body as { type: number; data?: { embeds?: { title?: string }[] } };
  if (body.type === 4) return body.data ?? {};
  const edit = await fake.waitForRequest((r) => r.interactionId === interactionId && r.method === 'PATCH', 30_000);
  return edit.body as { embeds?: { title?: string }[] };
}

/**
 * Spawns `npm start` exactly as a person runs it (the compiled bot, `dist/`), against the fake
 * Discord server on 127.0.0.1, and times from the spawn to the gateway IDENTIFY and to the
 * answer of one /ask sent as soon as the bot is ready. The process is stopped with SIGTERM after.
 */
export async function timeNpmStart(root: string, corpusDir: string, cacheDir: string, question: string): Promise<StartRun> {
  const fake = await startFakeDiscord({ token: TOKEN });
  const env = botEnvironment(fake, corpusDir, cacheDir, { WATCH_CORPUS: 'false', LOG_LEVEL: 'warn' });
  const started = performance.now();
  // Its own process group, so the SIGTERM reaches npm's child (the bot) too.
  const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const failed = exited.then((code) => Promise.reject(new Error(`npm start exited with ${code}:\n${stderr}`)));
  try {
    await Promise.race([waitFor(() => fake.identifies.length > 0, 60_000, 'IDENTIFY'), failed]);
    const identifyMs = performance.now() - started;
    await Promise.race([fake.waitForReady(1, 30_000), failed]);
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: question }]));
    const answer = await Promise.race([answerOf(fake, interaction.id), failed]);
    const answerMs = performance.now() - started;
    return { identifyMs, answerMs, answered: typeof answer.embeds?.[0]?.title === 'string' };
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
    await fake.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `node --import tsx bench/start.ts CORPUS_DIR CACHE_DIR RUNS QUESTION OUT.json`: one untimed run
  // (it writes the caches for the compiled code), then RUNS timed ones, written to OUT.json.
  const [corpusDir, cacheDir, runs, question, out] = process.argv.slice(2);
  if (!corpusDir || !cacheDir || !runs || !question || !out)
    throw new Error('usage: bench/start.ts CORPUS_DIR CACHE_DIR RUNS QUESTION OUT.json');
  const root = fileURLToPath(new URL('..', import.meta.url));
  await timeNpmStart(root, corpusDir, cacheDir, question);
  const timed: StartRun[] = [];
  for (let i = 0; i < Number(runs); i += 1) timed.push(await timeNpmStart(root, corpusDir, cacheDir, question));
  await writeFile(out, `${JSON.stringify(timed)}\n`);
}
