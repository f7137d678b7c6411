/**
 * The real entry points as a person runs them: `src/cli/main.ts` and `src/cli/deploy-commands.ts` in a child
 * process, with an environment the test sets in full so a developer's `.env` cannot interfere
 * (dotenv never overrides a variable that is already set, even to an empty string).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FATAL_EXIT_CODE } from '../../src/discord/fatal.js';
import { slashCommand, startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/fakeDiscord.js';
import { FIXTURE_CORPUS, FIXTURE_CORPUS_RELATIVE } from '../support/fixtures.js';

const ROOT = process.cwd();
const TOKEN = 'fake-token-for-startup-tests-0123456789';
/** A line of a stack trace: expected start-up problems are reported without one. */
const STACK_LINE = /^\s+at /m;

let scratch: string;
/** Every key the bot's configuration reads, from `.env.example` and from the schema in src/config.ts. */
let configKeys: string[];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'bot-startup-'));
  const example = await readFile(path.join(ROOT, '.env.example'), 'utf8');
  const schema = await readFile(path.join(ROOT, 'src/config.ts'), 'utf8');
  configKeys = [
    ...new Set(
      [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm), ...schema.matchAll(/^\s+([A-Z][A-Z0-9_]*): z\./gm)].map((match) => match[1]!),
    ),
  ];
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/**
 * A complete environment: every configuration key set (blank unless given), plus PATH and HOME.
 * SHARDS is left out: it is not a setting but what discord.js's ShardingManager hands each shard
 * process, and discord.js parses it as JSON whenever it is present.
 */
function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: scratch };
  for (const key of configKeys) if (key !== 'SHARDS') env[key] = '';
  Object.assign(env, {
    CORPUS_DIR: FIXTURE_CORPUS_RELATIVE,
    CACHE_DIR: path.join(scratch, 'cache'),
    WATCH_CORPUS: 'false',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    INTERACTIONS_MODE: 'gateway',
    ...settings,
  });
  return env;
}

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

const running = new Set<Run>();

/** Starts `node --import tsx <script>` at the repository root with exactly `env`; stdin is a pipe, not a terminal. */
function start(script: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        running.delete(run);
        resolve(code);
      });
    }),
  };
  child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  running.add(run);
  return run;
}

/** Runs a script to its end (killing it after `timeoutMs`). */
async function runToEnd(
  script: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = start(script, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const code = await run.exited.finally(() => clearTimeout(timer));
  return { code, stdout: run.stdout, stderr: run.stderr };
}

afterEach(async () => {
  for (const run of [...running]) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
});

interface MessageBody {
  content?: string;
  embeds?: { title?: string; footer?: { text: string } }[];
  allowed_mentions?: { parse: string[]; users?: string[] };
}

/** The answer as the user sees it: the callback's message, or the edit after a deferral. */
async function answerTo(fake: FakeDiscord, interactionId: string): Promise<MessageBody> {
  const callback = await fake.waitForCallback(interactionId, 15_000);
  const body = callback.body as { type: number; data?: MessageBody };
  if (body.type === 4) return body.data ?? {};
  expect(body.type, 'a reply (4) or a deferral (5)').toBe(5);
  const edit: RecordedRequest = await fake.waitForRequest(
    (r) => r.interactionId === interactionId && r.method === 'PATCH' && r.status < 300,
    15_000,
  );
  return edit.body as MessageBody;
}

describe('npm start (src/cli/main.ts)', () => {
  describe('with a broken corpus file', () => {
    it('exits non-zero, naming the file and the problem, without a stack trace', async () => {
      const corpus = path.join(scratch, 'broken-corpus');
      await cp(FIXTURE_CORPUS, corpus, { recursive: true });
      await writeFile(path.join(corpus, 'broken-yaml.md'), '---\ntitle: [North Korea\n---\n\nA paragraph.\n');
      await writeFile(path.join(corpus, 'no-front-matter.md'), 'Just a paragraph, no front matter.\n');
      const { code, stderr } = await runToEnd(
        'src/cli/main.ts',
        environment({ CORPUS_DIR: corpus, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'http://127.0.0.1:9/api' }),
      );
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/broken-yaml\.md(:\d+)?: front matter is not valid YAML/);
      expect(stderr).toMatch(/no-front-matter\.md(:\d+)?: has no front matter/);
      expect(stderr).not.toMatch(STACK_LINE);
    });
  });

  describe('with DATABASE_URL pointing at no database', () => {
    it('exits non-zero naming DATABASE_URL, without a stack trace or the password', async () => {
      const { code, stderr } = await runToEnd(
        'src/cli/main.ts',
        environment({
          DISCORD_TOKEN: TOKEN,
          DISCORD_API_URL: 'http://127.0.0.1:9/api',
          DATABASE_URL: 'postgres://bot:hunter2@127.0.0.1:9/readings',
        }),
      );
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/Cannot use the readings database at DATABASE_URL \(postgres:\/\/bot:\*\*\*@127\.0\.0\.1:9\/readings\)/);
      expect(stderr).not.toMatch(/hunter2/);
      expect(stderr).not.toMatch(STACK_LINE);
    });
  });

  describe('with no DISCORD_TOKEN and no terminal', () => {
    it('exits non-zero with a message saying what to set', async () => {
      const { code, stderr } = await runToEnd('src/cli/main.ts', environment({ DISCORD_TOKEN: '' }));
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/DISCORD_TOKEN is not set and this is not an interactive terminal/);
      expect(stderr).not.toMatch(STACK_LINE);
    });
  });

  describe.each([
    ['PORT', 'abc'],
    ['DISCORD_API_URL', 'notaurl'],
    ['LOG_LEVEL', 'loud'],
    ['DISCORD_TOKEN', 'short'],
  ])('with a malformed %s', (key, value) => {
    it('exits non-zero naming the key', async () => {
      const { code, stderr } = await runToEnd('src/cli/main.ts', environment({ DISCORD_TOKEN: TOKEN, [key]: value }));
      expect(code).not.toBe(0);
      expect(stderr).toMatch(new RegExp(`^\\s*${key}: `, 'm'));
      expect(stderr).not.toMatch(STACK_LINE);
    });
  });

  describe('with a token and a Discord-compatible server', () => {
    let fake: FakeDiscord;
    beforeAll(async () => {
      fake = await startFakeDiscord({ token: TOKEN });
    });
    afterAll(async () => {
      await fake?.close();
    });

    it('connects, answers /ask, and exits 0 on SIGTERM', async () => {
      const run = start('src/cli/main.ts', environment({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiBase }));
      await Promise.race([
        fake.waitForReady(1, 30_000),
        run.exited.then((code) => Promise.reject(new Error(`exited with ${code}:\n${run.stderr}`))),
      ]);
      expect(fake.identifies[0]?.token).toBe(TOKEN);

      const interaction = fake.dispatchInteraction(
        slashCommand('ask', [{ name: 'question', value: 'What does Russia want from North Korea?' }]),
      );
      const answer = await answerTo(fake, interaction.id);
      expect(answer.content).toBe('**Question:** What does Russia want from North Korea?');
      expect(answer.embeds?.[0]?.title).toBe(
        "North Korea's Kim and Russia's Putin in Secret Talks · What Russia Wants from North Korea · ¶4",
      );
      expect(answer.allowed_mentions).toEqual({ parse: [], users: [] });
      await expect.poll(() => run.stdout).toMatch(/"msg":"interaction"/);

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.stdout).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(fake.openConnections).toBe(0);
    }, 60_000);

    // The setting was once SHARD_COUNT, a name discord.js's Client also reads from process.env:
    // 'auto' made `new Client()` throw. TOTAL_SHARDS=auto, as .env.example sets it, must start.
    it('starts with TOTAL_SHARDS=auto, as .env.example sets it', async () => {
      const run = start('src/cli/main.ts', environment({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiBase, TOTAL_SHARDS: 'auto' }));
      const readyBefore = fake.identifies.length;
      await Promise.race([
        fake.waitForReady(readyBefore + 1, 30_000),
        run.exited.then((code) => Promise.reject(new Error(`exited with ${code}:\n${run.stderr}`))),
      ]);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }, 60_000);
  });
});

describe('npm start when Discord closes the gateway for good', () => {
  /** Waits for the exit, failing after `ms`: a process manager must notice within seconds. */
  async function exitWithin(run: Run, ms: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running ${ms} ms after the close:\n${run.stdout}`)), ms);
    });
    return Promise.race([run.exited, late]).finally(() => clearTimeout(timer));
  }

  it('exits non-zero within seconds after 4004 (token reset), logging what to do', async () => {
    const fake = await startFakeDiscord({ token: TOKEN });
    try {
      const run = start('src/cli/main.ts', environment({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiBase }));
      await Promise.race([
        fake.waitForReady(1, 30_000),
        run.exited.then((code) => Promise.reject(new Error(`exited with ${code}:\n${run.stderr}`))),
      ]);
      await fake.closeGateway(4004);
      const code = await exitWithin(run, 5000);
      expect(code).toBe(FATAL_EXIT_CODE);
      const line = run.stdout.split('\n').find((l) => l.includes('"level":50'));
      expect(line).toMatch(/"code":4004/);
      expect(line).toMatch(/reset the token/);
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('exits non-zero within seconds when the IDENTIFY is refused (4014), without a stack trace', async () => {
    const fake = await startFakeDiscord({ refuseIdentify: 4014 });
    try {
      const run = start('src/cli/main.ts', environment({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiBase }));
      await fake.waitForRequest((r) => r.route === '/gateway/bot', 30_000);
      const code = await exitWithin(run, 10_000);
      expect(code).not.toBe(0);
      expect(run.stdout).toMatch(/"level":50.*"code":4014.*Privileged Gateway Intents/);
      expect(run.stderr).not.toMatch(STACK_LINE);
    } finally {
      await fake.close();
    }
  }, 60_000);
});

describe('npm run deploy-commands (src/cli/deploy-commands.ts)', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord({ token: TOKEN });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('registers the nine commands to the guild', async () => {
    const guildId = fake.guilds[0]!.id;
    const { code, stdout, stderr } = await runToEnd(
      'src/cli/deploy-commands.ts',
      environment({
        DISCORD_TOKEN: TOKEN,
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_GUILD_ID: guildId,
        DISCORD_API_URL: fake.apiBase,
      }),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Registered 9 commands in guild ${guildId}`);
    expect(
      fake
        .registeredCommands(guildId)
        .map((command) => command['name'])
        .sort(),
    ).toEqual(['Find in article', 'article', 'ask', 'help', 'map', 'passage', 'quiz', 'reading', 'who-is']);
    expect(fake.registeredCommands()).toEqual([]);
  });

  it('exits non-zero naming DISCORD_CLIENT_ID when it is missing, and calls nothing', async () => {
    const before = fake.requests.length;
    const { code, stderr } = await runToEnd(
      'src/cli/deploy-commands.ts',
      environment({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '', DISCORD_GUILD_ID: fake.guilds[0]!.id, DISCORD_API_URL: fake.apiBase }),
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/DISCORD_CLIENT_ID is required to register commands/);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(fake.requests.length).toBe(before);
  });
});
