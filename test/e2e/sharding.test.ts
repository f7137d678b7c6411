import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOwnsGuild, slashCommand, snowflakeForShard, startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';
import { FIXTURE_CORPUS_RELATIVE } from '../support/fixtures.js';

describe('the sharded entry (npm run start:sharded)', () => {
  let fake: FakeDiscord;
  let manager: ChildProcess;
  let cacheDir: string;
  let readingsDir: string;
  const logs: Record<string, unknown>[] = [];
  const guilds = [snowflakeForShard(0, 2, 1), snowflakeForShard(1, 2, 2)];

  beforeAll(async () => {
    fake = await startFakeDiscord({ shardAware: true, guilds: guilds.map((id) => ({ id })) });
    cacheDir = await mkdtemp(path.join(tmpdir(), 'shard-cache-'));
    readingsDir = await mkdtemp(path.join(tmpdir(), 'shard-readings-'));
    // Each server has a reading; a shard must load only its own servers'.
    for (const [n, guildId] of guilds.entries()) {
      await mkdir(path.join(readingsDir, guildId));
      await writeFile(path.join(readingsDir, guildId, `r${n}.md`), `---\ntitle: Reading ${n}\nid: r${n}\n---\n\nText of reading ${n}.\n`);
    }
    manager = spawn(process.execPath, ['--import', 'tsx', 'src/cli/sharded.ts'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        DISCORD_TOKEN: 'fake-token-for-the-sharding-test-0123',
        DISCORD_API_URL: fake.apiBase,
        TOTAL_SHARDS: '2',
        CORPUS_DIR: FIXTURE_CORPUS_RELATIVE,
        CACHE_DIR: cacheDir,
        READINGS_DIR: readingsDir,
        WATCH_CORPUS: 'false',
        LOG_LEVEL: 'info',
        LOG_PRETTY: 'false',
        INTERACTIONS_MODE: 'gateway',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    manager.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
    });
    await fake.waitForReady(2, 40_000);
  }, 60_000);

  afterAll(async () => {
    if (manager && manager.exitCode === null) {
      const exited = new Promise((resolve) => manager.once('exit', resolve));
      manager.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
    await rm(cacheDir, { recursive: true, force: true });
    await rm(readingsDir, { recursive: true, force: true });
  });

  it('identifies each shard with its own [shard_id, shard_count]', () => {
    expect(fake.identifies.map((identify) => identify.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('loads the index from the cache in every shard instead of rebuilding it', async () => {
    await expect
      .poll(
        () =>
          logs
            .filter((line) => line['msg'] === 'corpus loaded' && line['fromCache'] === true)
            .map((line) => line['shards'])
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['0', '1']);
  });

  it('answers interactions in each shard’s guilds, from the shard that owns the guild', async () => {
    for (const [shard, guildId] of guilds.entries()) {
      expect(shardOwnsGuild(guildId, [shard, 2])).toBe(true);
      const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: 'What is juche?' }]), { guildId });
      const callback = await fake.waitForCallback(interaction.id, 10_000);
      expect((callback.body as { type: number }).type).toBe(4);
      await expect
        .poll(() => logs.find((line) => line['interactionId'] === interaction.id), { timeout: 5000 })
        .toMatchObject({ guildId, shards: String(shard) });
    }
  });

  it('loads in each shard the readings of its own servers only, after connecting', async () => {
    await expect
      .poll(
        () =>
          logs
            .filter((line) => line['msg'] === 'server readings loaded')
            .map((line) => `${String(line['shards'])}:${String(line['guildId'])}:${String(line['readings'])}`)
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual([`0:${guilds[0]}:1`, `1:${guilds[1]}:1`]);
  });
});

describe('the sharded entry when Discord refuses a shard for good (4014)', () => {
  it('exits 78 without respawning the refused shard', async () => {
    const fake = await startFakeDiscord({ refuseIdentify: 4014 });
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'shard-cache-'));
    try {
      const manager = spawn(process.execPath, ['--import', 'tsx', 'src/cli/sharded.ts'], {
        env: {
          PATH: process.env['PATH'] ?? '',
          DISCORD_TOKEN: 'fake-token-for-the-sharding-test-0123',
          DISCORD_API_URL: fake.apiBase,
          TOTAL_SHARDS: '1',
          CORPUS_DIR: 'corpus',
          CACHE_DIR: cacheDir,
          WATCH_CORPUS: 'false',
          LOG_LEVEL: 'info',
          LOG_PRETTY: 'false',
          INTERACTIONS_MODE: 'gateway',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      manager.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      manager.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          manager.kill('SIGKILL');
          resolve(null);
        }, 45_000);
        manager.once('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      expect(code, output).toBe(78);
      expect(output).toMatch(/"code":4014.*Privileged Gateway Intents/);
      expect(output).toMatch(/not respawning/);
      expect(fake.identifies).toHaveLength(1);
    } finally {
      await fake.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  }, 60_000);
});
