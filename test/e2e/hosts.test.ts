/**
 * Two bot processes on one PostgreSQL database, as two hosts would run: a reading added through one
 * is answered by the other within 2 s, and the database going away and coming back loses nothing,
 * crashes nothing, and never stops the answers. Both serve HTTP interactions so each request goes to
 * the process the test chooses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders, signingKeys } from '../support/signing.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const GUILD = '555555555555555555';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Host {
  readonly child: ChildProcess;
  readonly port: number;
  readonly logs: Record<string, unknown>[];
  exitCode(): number | null;
}

describe('two hosts, one reading list in PostgreSQL', () => {
  const { privateKey, publicKeyHex } = signingKeys();
  let database: TestPostgres;
  let fake: FakeDiscord;
  let cacheDir: string;
  const hosts: Host[] = [];
  let sequence = 0;

  async function startHost(): Promise<Host> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        INTERACTIONS_MODE: 'http',
        HOST: '127.0.0.1',
        PORT: String(port),
        DISCORD_PUBLIC_KEY: publicKeyHex,
        DISCORD_API_URL: fake.apiBase,
        DATABASE_URL: database.url,
        CORPUS_DIR: 'test/fixtures/corpus-two',
        CACHE_DIR: cacheDir,
        WATCH_CORPUS: 'false',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: Record<string, unknown>[] = [];
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const host = { child, port, logs, exitCode: () => child.exitCode };
    hosts.push(host);
    // Ready once it says it serves; a host that exits first fails the run with what it printed.
    const deadline = Date.now() + 30_000;
    while (!logs.some((line) => String(line['msg']).startsWith('serving Discord interactions'))) {
      if (child.exitCode !== null) throw new Error(`the host exited with ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`the host did not start within 30 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return host;
  }

  async function post(host: Host, interaction: Record<string, unknown>): Promise<{ type: number; data?: unknown; token: string }> {
    sequence += 1;
    const token = `hosts-token-${sequence}`;
    const body = JSON.stringify({
      id: `7000000000000${String(sequence).padStart(5, '0')}`,
      application_id: fake.applicationId,
      token,
      guild_id: GUILD,
      // A different moderator each time: the polling below would otherwise meet the per-user cooldown.
      member: { user: { id: `6000000000000${String(sequence).padStart(5, '0')}`, username: 'mod' }, permissions: '32' },
      ...interaction,
    });
    const res = await fetch(`http://127.0.0.1:${host.port}/interactions`, {
      method: 'POST',
      body,
      headers: signatureHeaders(body, privateKey),
    });
    expect(res.status).toBe(200);
    return { ...((await res.json()) as { type: number; data?: unknown }), token };
  }

  /** The text of the interaction's answer: the reply itself, or, when it was deferred, the edit that followed. */
  async function answerText(answer: { type: number; data?: unknown; token: string }): Promise<string> {
    if (answer.type !== 5) return JSON.stringify(answer.data);
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${answer.token}/messages/@original`), 10_000);
    return JSON.stringify(edit.body);
  }

  // Under load the host defers (after 1 s) and edits the answer in; both count.
  const ask = async (host: Host, question: string): Promise<string> =>
    answerText(await post(host, { type: 2, data: { name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: question }] } }));

  /** Adds a reading through the form on `host`; resolves with the text of the deferred answer's edit. */
  async function add(host: Host, title: string, text: string): Promise<string> {
    const answer = await post(host, {
      type: 5,
      data: {
        custom_id: 'reading-form',
        components: [
          { type: 18, component: { type: 4, custom_id: 'title', value: title } },
          { type: 18, component: { type: 4, custom_id: 'text', value: text } },
        ],
      },
    });
    expect(answer.type).toBe(5);
    return answerText(answer);
  }

  beforeAll(async () => {
    database = await startPostgres();
    fake = await startFakeDiscord();
    cacheDir = await mkdtemp(path.join(tmpdir(), 'hosts-cache-'));
    await startHost();
    await startHost();
  }, 90_000);

  afterAll(async () => {
    for (const host of hosts) {
      if (host.exitCode() !== null) continue;
      const exited = new Promise((resolve) => host.child.once('exit', resolve));
      host.child.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
    await database?.destroy();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('a reading added through one host is answered by the other within 2 s', async () => {
    const [a, b] = hosts as [Host, Host];
    expect(await ask(b, 'How high did the spring tide rise at Saint-Malo?')).toMatch(/doesn't say/);
    expect(await add(a, 'Tide Tables', 'The spring tide at Saint-Malo rose fourteen metres, said harbour master Yann Le Goff.')).toMatch(
      /Added: Tide Tables/,
    );
    const added = performance.now();
    await expect
      .poll(() => ask(b, 'How high did the spring tide rise at Saint-Malo?'), { timeout: 2000, interval: 50 })
      .toMatch(/Tide Tables/);
    console.log(`answered by the other host ${(performance.now() - added).toFixed(0)} ms after the add`);
  });

  it('keeps answering while the database is down, saves nothing then, and loses nothing when it is back', async () => {
    const [a, b] = hosts as [Host, Host];
    await database.stop();
    try {
      expect(await ask(b, 'How high did the spring tide rise at Saint-Malo?')).toMatch(/Tide Tables/);
      expect(await ask(a, 'Who signed the lithium agreement in Oslo?')).toMatch(/Norway and Chile/);
      expect(await add(a, 'Harbour Log', 'The harbour master logged forty ferries in July.')).toMatch(/could not be saved right now/);
    } finally {
      await database.start();
    }
    await expect
      .poll(() => add(a, 'Harbour Log', 'The harbour master logged forty ferries in July.'), { timeout: 15_000, interval: 500 })
      .toMatch(/Added: Harbour Log/);
    await expect
      .poll(() => ask(b, 'How many ferries did the harbour master log in July?'), { timeout: 10_000, interval: 100 })
      .toMatch(/Harbour Log/);
    expect(await ask(b, 'How high did the spring tide rise at Saint-Malo?')).toMatch(/Tide Tables/);
    expect(hosts.map((host) => host.exitCode())).toEqual([null, null]);
  }, 60_000);
});
