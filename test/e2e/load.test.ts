/**
 * Floods, in one file so they never run at the same time (each needs the machine's CPU to itself as
 * far as a test can have it): 300 /ask at once over the gateway, and 2,000 concurrent signed /ask
 * against `npm start` in HTTP mode (INTERACTIONS_MODE=http, a child process, with the fake Discord
 * receiving the REST calls). Every one must be acknowledged within Discord's 3 seconds, deferring
 * the ones that waited, and every one answered. Also here: SIGTERM in HTTP mode ends the process
 * within 10 s even with a slow client holding a request open.
 */

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders, signingKeys } from '../support/signing.js';

import type { Router } from '../../src/bot/router.js';
import type { GatewayBot } from '../../src/discord/bot.js';
import { slashCommand, startFakeDiscord, type FakeDiscord, type FakeInteraction } from '../support/fakeDiscord.js';
import { captureLogger, startTestBot, testRouter } from '../support/bot.js';

const DEADLINE_MS = 3000;
const QUESTIONS = [
  'What does Russia want from North Korea?',
  'What is juche?',
  'hypersonic wepons',
  'Who is Shoigu?',
  'What is the capital of France?',
  'joint military exercises first time',
];

interface Embed {
  title: string | undefined;
  description: string | undefined;
}

describe('a burst of 300 /ask interactions at once', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  /** A second router over the same library: what each question's answer must be. */
  let expected: Router;

  beforeAll(async () => {
    fake = await startFakeDiscord({ callbackDeadlineMs: DEADLINE_MS });
    const { logger } = captureLogger();
    bot = await startTestBot(fake.apiBase, await testRouter(logger), logger);
    expected = await testRouter(logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('gives each one its first response within 3 s, and each ends as the answer to its question', async () => {
    const sent = Array.from({ length: 300 }, (_, i) => {
      const question = QUESTIONS[i % QUESTIONS.length]!;
      const at = performance.now();
      return { question, at, interaction: fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: question }])) };
    });
    // The first response each got, in time or not (a late one is refused with 404, as Discord does).
    const first = (id: string) => fake.interactionResponses(id).find((r) => r.method === 'POST');
    await expect.poll(() => sent.every(({ interaction }) => first(interaction.id) !== undefined), { timeout: 20_000 }).toBe(true);
    const waits = sent.map(({ interaction, at }) => first(interaction.id)!.at - at);
    const sorted = [...waits].sort((a, b) => a - b);
    const p = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    console.log(`300 interactions: first response p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms, max ${p(1).toFixed(0)} ms`);
    const late = waits.flatMap((ms, i) => (ms < DEADLINE_MS ? [] : [`#${i} after ${ms.toFixed(0)} ms`]));
    expect(late, 'first responses later than 3 s').toEqual([]);

    const wanted = new Map<string, Embed>();
    for (const question of QUESTIONS) {
      const response = expected.command({
        commandName: 'ask',
        user: { id: '9', name: 'expected' },
        guildId: null,
        options: new Map([['question', question]]),
      });
      if (response.kind !== 'reply') throw new Error('an /ask must reply');
      const { title, description } = response.payload.embeds[0] ?? {};
      wanted.set(question, { title, description });
    }
    // A reply's content is in its callback; a deferred one's arrives by editing the original message.
    for (const { question, interaction } of sent) {
      await expect
        .poll(() => {
          const embed = fake.originalResponse(interaction.id)?.embeds[0] as Embed | undefined;
          return embed === undefined ? undefined : { title: embed.title, description: embed.description };
        })
        .toEqual(wanted.get(question));
    }
  });
});

const FLOOD = 2000;

const { privateKey, publicKeyHex: PUBLIC_HEX } = signingKeys();

interface Bot {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly exited: Promise<number | null>;
  stdout(): string;
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'http-mode-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A port nothing listens on now (the kernel's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts src/cli/main.ts in http mode and resolves once /healthz answers. It logs at warn: a line per
 * interaction through a pipe would load both processes more than the flood itself.
 */
async function startBot(fake: FakeDiscord): Promise<Bot> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: scratch,
      INTERACTIONS_MODE: 'http',
      PORT: String(port),
      HOST: '127.0.0.1',
      DISCORD_PUBLIC_KEY: PUBLIC_HEX,
      DISCORD_API_URL: fake.apiBase,
      CORPUS_DIR: 'test/fixtures/corpus',
      CACHE_DIR: path.join(scratch, 'cache'),
      WATCH_CORPUS: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gone) throw new Error(`exited before serving:\n${stdout}`);
    if (Date.now() > deadline) throw new Error(`not serving within 30 s:\n${stdout}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, port, exited, stdout: () => stdout };
}

function signedHeaders(body: string): Record<string, string> {
  return { ...signatureHeaders(body, privateKey), 'Content-Length': String(Buffer.byteLength(body)) };
}

/**
 * Posts a signed body; `ms` is from the moment the request was on the wire to its response. The
 * client's own queueing before that (it shares a loaded machine with the bot) is not the bot's.
 */
function post(port: number, agent: Agent, body: string): Promise<{ status: number; body: unknown; ms: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request({ host: '127.0.0.1', port, path: '/interactions', method: 'POST', agent, headers: signedHeaders(body) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
          ms: performance.now() - sent,
        }),
      );
    });
    req.on('finish', () => (sent = performance.now()));
    req.on('error', reject);
    req.end(body);
  });
}

describe('npm start in HTTP mode', () => {
  let fake: FakeDiscord;
  let bot: Bot;
  beforeAll(async () => {
    fake = await startFakeDiscord();
    bot = await startBot(fake);
  }, 40_000);
  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    await bot?.exited;
    await fake?.close();
  });

  it(`acknowledges ${FLOOD} concurrent signed /ask within 3 s and answers every one`, async () => {
    // Discord reaches an endpoint over a pool of kept-alive connections, not one per interaction.
    const agent = new Agent({ keepAlive: true, maxSockets: 1000 });
    try {
      const interactions: FakeInteraction[] = [];
      const results = await Promise.all(
        Array.from({ length: FLOOD }, async (_, i) => {
          // Created as it is sent, as Discord does: the wait counts from here.
          // Each from its own user: one user's flood meets the cooldown, which is not what this measures.
          const interaction = fake.dispatchInteraction(
            slashCommand('ask', [{ name: 'question', value: QUESTIONS[i % QUESTIONS.length] ?? '' }]),
            { user: { id: String(800_000_000_000_000_000n + BigInt(i)) } },
          );
          interactions.push(interaction);
          const response = await post(bot.port, agent, JSON.stringify(interaction));
          expect(fake.recordHttpResponse(interaction.id, response.body)).toBe(204);
          return { ...response, waited: response.ms };
        }),
      );
      const waits = results.map((r) => r.waited).sort((a, b) => a - b);
      const late = waits.filter((ms) => ms > 3000).length;
      const deferred = results.filter((r) => (r.body as { type: number }).type === 5).length;
      console.log(
        `${FLOOD} HTTP interactions: first response p50 ${Math.round(waits[FLOOD / 2] ?? NaN)} ms, max ${Math.round(waits.at(-1) ?? NaN)} ms, ${deferred} deferred, ${late} late`,
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(late).toBe(0);
      // Every deferred one gets its answer by an edit of the placeholder.
      await expect
        .poll(() => interactions.filter((interaction) => (fake.originalResponse(interaction.id)?.embeds.length ?? 0) > 0).length, {
          timeout: 60_000,
          interval: 250,
        })
        .toBe(FLOOD);
    } finally {
      agent.destroy();
    }
  }, 120_000);

  it('stops within 10 s on SIGTERM while a slow client holds a request open', async () => {
    const slow = connect(bot.port, '127.0.0.1', () =>
      slow.write('POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"t'),
    );
    slow.on('error', () => undefined);
    slow.resume();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    bot.child.kill('SIGTERM');
    const code = await Promise.race([bot.exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 10_000))]);
    slow.destroy();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
