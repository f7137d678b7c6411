/**
 * `npx tsx bench/readings.ts`: what server readings cost. Adds 50 generated readings to one server
 * (the most a server keeps by default) and a 1 MB one, and measures each add (checks, atomic write,
 * rebuild of the server's engine), a server's first load, heap, and /ask latency in that server
 * (its engine and the corpus's, merged) against the corpus alone, over the same questions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { openLibrary } from '../src/library.js';
import { FileReadingStore } from '../src/readings/file-store.js';
import { ServerReadings } from '../src/readings/servers.js';
import { generateArticle, Rng, WordSampler } from './generate.js';

const GUILD = '123456789012345678';
const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const summary = (ms: number[]): string => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p99 ${quantile(sorted, 0.99).toFixed(2)} ms (${ms.length})`;
};

const shared = await openLibrary('corpus');
const dir = mkdtempSync(path.join(tmpdir(), 'bench-readings-'));
const options = {
  shared: () => shared,
  sharedInServers: true,
  limits: { maxBytes: 2 * 1024 * 1024, perServer: 60, downloadTimeoutMs: 10_000, origins: [] },
  logger: pino({ level: 'silent' }),
};
const readings = new ServerReadings({ ...options, store: new FileReadingStore(dir) });
const rng = new Rng(20261201);
const words = new WordSampler();

const adds: number[] = [];
const texts: string[] = [];
for (let i = 0; i < 50; i += 1) {
  const text = generateArticle(rng, words);
  texts.push(text);
  const started = performance.now();
  await readings.add(GUILD, { kind: 'file', filename: `r${i}.md`, text }, '1');
  adds.push(performance.now() - started);
}
console.log(`add, server growing to 50 readings (~${Math.round(texts[0]!.length / 1024)} KB each): ${summary(adds)}`);

const big = [generateArticle(rng, words)];
while (big.join('\n').length < 1024 * 1024 - 8192) big.push(generateArticle(rng, words).replace(/^---[\s\S]*?---\n/, ''));
const bigText = big.join('\n');
let started = performance.now();
await readings.add(GUILD, { kind: 'file', filename: 'big.md', text: bigText }, '1');
console.log(
  `add a ${(Buffer.byteLength(bigText) / 1024 / 1024).toFixed(2)} MB reading as the 51st: ${(performance.now() - started).toFixed(0)} ms`,
);

const questions = [
  'What does Russia want from North Korea?',
  'What is juche?',
  'Who is Shoigu?',
  ...texts.slice(0, 20).map((text) => /\n\n([^\n#][^.]{20,80})/.exec(text)?.[1]?.split(' ').slice(0, 6).join(' ') ?? 'time people'),
];
const time = (ask: (q: string) => unknown): number[] => {
  const out: number[] = [];
  for (let round = 0; round < 10; round += 1)
    for (const q of questions) {
      const t = performance.now();
      ask(q);
      out.push(performance.now() - t);
    }
  return out;
};
const server = readings.library(GUILD);
time((q) => server.engine.ask(q)); // warm
console.log(`ask in the server (51 readings + corpus, merged): ${summary(time((q) => server.engine.ask(q)))}`);
console.log(`ask in DMs (the corpus alone):                     ${summary(time((q) => shared.engine.ask(q)))}`);

global.gc?.();
const before = process.memoryUsage().heapUsed;
const fresh = new ServerReadings({ ...options, store: new FileReadingStore(dir) });
started = performance.now();
await fresh.prepare(GUILD);
const loadMs = performance.now() - started;
global.gc?.();
console.log(
  `first load of that server after a restart: ${loadMs.toFixed(0)} ms; heap for it ≈ ${((process.memoryUsage().heapUsed - before) / 1024 / 1024).toFixed(1)} MB (run with --expose-gc for a steadier figure)`,
);
await readings.close();
await fresh.close();
rmSync(dir, { recursive: true, force: true });
