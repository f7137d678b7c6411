import { spawn } from 'node:child_process';
import { appendFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { slashCommand, startFakeDiscord, type FakeDiscord } from '../test/support/fakeDiscord.js';
import { botEnvironment, TOKEN } from './start.js';

/**
 * A reload as a user feels it: `npm start` (the compiled bot) against the fake Discord server on
 * 127.0.0.1, with WATCH_CORPUS on as it ships, a /help sent every {@link PROBE_EVERY_MS} and
 * timed from its dispatch to the bot's answer arriving at the fake server. First a quiet spell (the
 * baseline of the same run), then {@link EDITS} edits of one article, each followed by the bot's
 * 'corpus reloaded' log line and {@link AFTER_SWAP_MS} more, while the old library is collected.
 *
 * `node --import tsx bench/live-reload.ts CORPUS_DIR CACHE_DIR OUT.json` runs it alone (the cache
 * should already hold the corpus, as after `npm start`); `npm run bench` runs it at every size.
 * SEMANTIC=off, set for the benchmark, is passed on to the bot, to measure it without its semantic stage.
 */

const PROBE_EVERY_MS = 50;
const QUIET_MS = 5_000;
/** Start-up work the bot puts off (word lists at 5 s, sentence warming at 2 s) is over by then. */
const SETTLE_MS = 8_000;
const AFTER_SWAP_MS = 3_000;
const EDITS = 4;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Reply times of the probes sent in one spell, in milliseconds. */
export interface ProbeSpell {
  readonly probes: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Probes not answered within 10 s. */
  readonly lost: number;
  /**
   * The measuring process's own longest event-loop delay meanwhile: it times the replies, so on a
   * loaded machine its delays count against the bot too, and this says how much they could.
   */
  readonly benchLagMs: number;
}

/** What {@link timeLiveReload} measured. */
export interface LiveReloadResult {
  readonly quiet: ProbeSpell;
  readonly reloading: ProbeSpell;
  /** The slowest replies while reloading, with when each was sent relative to the nearest swap (negative: before it). */
  readonly slowest: readonly { readonly ms: number; readonly fromSwapMs: number }[];
  /** From each edit to the bot's 'corpus reloaded' line. */
  readonly reloadMs: readonly number[];
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function spell(probes: readonly Probe[], benchLagMs: number): ProbeSpell {
  const answered = probes.flatMap((p) => (p.ms === null ? [] : [p.ms])).sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    probes: probes.length,
    p50Ms: round(quantile(answered, 0.5)),
    p99Ms: round(quantile(answered, 0.99)),
    maxMs: round(answered.at(-1) ?? 0),
    lost: probes.length - answered.length,
    benchLagMs: round(benchLagMs),
  };
}

interface Probe {
  readonly sent: number;
  readonly ms: number | null;
}

/** Sends a /help every {@link PROBE_EVERY_MS} until stopped; resolves to each one's reply time (null: none). */
function probe(fake: FakeDiscord): { stop: () => Promise<{ probes: Probe[]; lagMs: number }> } {
  const pending: Promise<Probe>[] = [];
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const send = (): void => {
    const sent = performance.now();
    const interaction = fake.dispatchInteraction(slashCommand('help'));
    pending.push(
      fake.waitForCallback(interaction.id, 10_000).then(
        (callback) => ({ sent, ms: callback.at - sent }),
        () => ({ sent, ms: null }),
      ),
    );
  };
  const timer = setInterval(send, PROBE_EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      lag.disable();
      return { probes: await Promise.all(pending), lagMs: Math.max(0, lag.max / 1e6 - 5) };
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `npm start` on `corpusDir` and measures /help replies while it is quiet, then while it reloads. */
export async function timeLiveReload(root: string, corpusDir: string, cacheDir: string): Promise<LiveReloadResult> {
  const fake = await startFakeDiscord({ token: TOKEN });
  const env = botEnvironment(fake, corpusDir, cacheDir, {
    WATCH_CORPUS: 'true',
    LOG_LEVEL: 'info',
    ...(process.env['SEMANTIC'] === undefined ? {} : { SEMANTIC: process.env['SEMANTIC'] }),
  });
  // Its own process group, so the SIGTERM reaches npm's child (the bot) too.
  const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: { msg: string; at: number }[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      try {
        const { msg } = JSON.parse(line) as { msg?: unknown };
        if (typeof msg === 'string') lines.push({ msg, at: performance.now() });
      } catch {
        // Not a log line.
      }
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const failed = exited.then((code) => Promise.reject(new Error(`npm start exited with ${code}:\n${stderr}`)));
  const logged = async (msg: string, after: number, timeoutMs: number): Promise<number> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const line = lines.find((l) => l.msg === msg && l.at >= after);
      if (line !== undefined) return line.at;
      if (performance.now() > deadline) throw new Error(`timed out waiting for the log line '${msg}'`);
      await Promise.race([sleep(10), failed]);
    }
  };
  try {
    await Promise.race([fake.waitForReady(1, 120_000), failed]);
    await logged('corpus loaded', 0, 120_000);
    await sleep(SETTLE_MS);

    const quietProbe = probe(fake);
    await sleep(QUIET_MS);
    const quiet = await quietProbe.stop();

    const name = (await readdir(corpusDir)).filter((file) => file.endsWith('.md')).sort()[0] ?? '';
    const reloadProbe = probe(fake);
    const reloadMs: number[] = [];
    const swaps: number[] = [];
    for (let edit = 1; edit <= EDITS; edit += 1) {
      const edited = performance.now();
      await appendFile(path.join(corpusDir, name), `\n\nParagraph ${edit} added while the bot runs, so the reload must index again.\n`);
      const swapped = await logged('corpus reloaded', edited, 300_000);
      reloadMs.push(Math.round(swapped - edited));
      swaps.push(swapped);
      await sleep(AFTER_SWAP_MS);
    }
    const reloading = await reloadProbe.stop();
    const nearest = (at: number): number =>
      swaps.reduce((best, swap) => (Math.abs(at - swap) < Math.abs(best) ? at - swap : best), Number.POSITIVE_INFINITY);
    const slowest = reloading.probes
      .flatMap((p) => (p.ms === null ? [] : [{ ms: Math.round(p.ms), fromSwapMs: Math.round(nearest(p.sent)) }]))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    return {
      quiet: spell(quiet.probes, quiet.lagMs),
      reloading: spell(reloading.probes, reloading.lagMs),
      slowest,
      reloadMs,
    };
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
    await fake.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [corpusDir, cacheDir, out] = process.argv.slice(2);
  if (!corpusDir || !cacheDir || !out) throw new Error('usage: bench/live-reload.ts CORPUS_DIR CACHE_DIR OUT.json');
  const result = await timeLiveReload(ROOT, corpusDir, cacheDir);
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
