import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { FileReadingStore } from '../../src/readings/file-store.js';
import { openLibrary, type CorpusLibrary } from '../../src/library.js';
import { MIGRATIONS, migrate } from '../../src/readings/migrations.js';
import { DatabaseUnavailableError, PgReadingStore } from '../../src/readings/pg-store.js';
import { ServerReadings } from '../../src/readings/servers.js';
import type { ReadingChange } from '../../src/readings/store.js';
import { captureLogger } from '../support/bot.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { reading as storedReading, storeContract } from '../support/storeContract.js';

const run = promisify(execFile);

let server: TestPostgres;
let databases = 0;

/** A fresh, empty database on the throwaway server. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  databases += 1;
  const name = `readings_test_${databases}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = server.url.replace(/\/postgres$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.destroy();
});

storeContract('PgReadingStore', async () => {
  const { url, drop } = await freshDatabase();
  return { store: await PgReadingStore.open(url), close: drop };
});

describe('PgReadingStore', () => {
  const { logger } = captureLogger();
  let shared: CorpusLibrary;
  beforeAll(async () => {
    shared = await openLibrary('test/fixtures/corpus-two');
  });
  const host = (store: PgReadingStore) =>
    new ServerReadings({
      store,
      shared: () => shared,
      sharedInServers: true,
      limits: { maxBytes: 1024 * 1024, perServer: 50, downloadTimeoutMs: 1000, origins: [] },
      logger,
    });
  const GUILD = '333333333333333333';
  const reading = (title: string, text: string) => ({ kind: 'form' as const, title, source: '', url: '', text });

  it('creates its schema by versioned migrations, once, however many hosts start', async () => {
    const { url, drop } = await freshDatabase();
    const pools = [new pg.Pool({ connectionString: url }), new pg.Pool({ connectionString: url })];
    const applied = await Promise.all(pools.map((pool) => migrate(pool)));
    expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
    const { rows } = await pools[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row: { version: number }) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await Promise.all(pools.map((pool) => pool.end()));
    await drop();
  });

  it('names DATABASE_URL when the database cannot be reached', async () => {
    await expect(PgReadingStore.open('postgres://postgres@127.0.0.1:1/none')).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(PgReadingStore.open('postgres://postgres:secret@127.0.0.1:1/none')).rejects.toThrow(
      /DATABASE_URL \(postgres:\/\/postgres:\*\*\*@/,
    );
  });

  it('a reading added through one host reaches another within 2 s, and so does its removal', async () => {
    const { url, drop } = await freshDatabase();
    const [storeA, storeB] = [await PgReadingStore.open(url), await PgReadingStore.open(url)];
    const [a, b] = [host(storeA), host(storeB)];
    await b.prepare(GUILD);
    const started = performance.now();
    await a.add(GUILD, reading('Tide Tables', 'The spring tide at Saint-Malo rose fourteen metres.'), '42');
    await expect.poll(() => b.readings(GUILD).map((r) => r.id), { timeout: 2000, interval: 20 }).toEqual(['tide-tables']);
    const ms = performance.now() - started;
    expect(b.library(GUILD).engine.ask('How high did the spring tide rise at Saint-Malo?').passages[0]?.article.id).toBe('tide-tables');
    await a.remove(GUILD, 'tide-tables', '42');
    await expect.poll(() => b.readings(GUILD), { timeout: 2000, interval: 20 }).toEqual([]);
    console.log(`a reading added on one host was live on the other after ${ms.toFixed(0)} ms`);
    await a.close();
    await b.close();
    await storeA.close();
    await storeB.close();
    await drop();
  });

  it('announces a reading too large for a notification whole, read back from the database', async () => {
    const { url, drop } = await freshDatabase();
    const [here, there] = [await PgReadingStore.open(url), await PgReadingStore.open(url)];
    const heard: ReadingChange[] = [];
    there.subscribe((change) => heard.push(change));
    const base = storedReading('long-read', GUILD);
    const long = { ...base, markdown: `${base.markdown}\n${'The tide tables run long. '.repeat(1000)}\n` };
    expect(Buffer.byteLength(long.markdown)).toBeGreaterThan(8000);
    await here.add(long);
    await expect.poll(() => heard, { timeout: 2000, interval: 10 }).toEqual([{ kind: 'added', guildId: GUILD, reading: long }]);
    await here.close();
    await there.close();
    await drop();
  });

  it('two hosts adding a reading of one title at once both save it, under two ids', async () => {
    const { url, drop } = await freshDatabase();
    const [storeA, storeB] = [await PgReadingStore.open(url), await PgReadingStore.open(url)];
    const [a, b] = [host(storeA), host(storeB)];
    await Promise.all([a.prepare(GUILD), b.prepare(GUILD)]);
    const tide = reading('Tide Tables', 'The spring tide at Saint-Malo rose fourteen metres.');
    // Neither has heard of the other's reading when it picks an id, so both ask for 'tide-tables'.
    const added = await Promise.all([a.add(GUILD, tide, '42'), b.add(GUILD, tide, '43')]);
    const pairs = added.map((one) => [one.article.id, one.renamedFrom]).sort();
    expect(pairs).toEqual([
      ['tide-tables', null],
      ['tide-tables-2', 'tide-tables'],
    ]);
    const { rows } = await storeA.pool.query<{ id: string; added_by: string }>('SELECT id, added_by FROM readings ORDER BY id');
    expect(rows.map((row) => row.added_by).sort()).toEqual(['42', '43']);
    await expect.poll(() => [a, b].map((one) => one.readings(GUILD).length), { timeout: 2000, interval: 20 }).toEqual([2, 2]);
    await a.close();
    await b.close();
    await storeA.close();
    await storeB.close();
    await drop();
  });

  it('keeps answering while the database is down, refuses to save then, and catches up when it is back', async () => {
    const { url, drop } = await freshDatabase();
    const [storeA, storeB] = [await PgReadingStore.open(url, logger), await PgReadingStore.open(url, logger)];
    const [a, b] = [host(storeA), host(storeB)];
    await a.add(GUILD, reading('Tide Tables', 'The spring tide at Saint-Malo rose fourteen metres.'), '42');
    await b.prepare(GUILD);
    expect(b.readings(GUILD)).toHaveLength(1);

    await server.stop();
    try {
      expect(b.library(GUILD).engine.ask('How high did the spring tide rise at Saint-Malo?').abstained).toBe(false);
      await expect(a.add(GUILD, reading('Lost', 'This one cannot be saved.'), '42')).rejects.toThrow(/could not be saved right now/);
      await expect(a.remove(GUILD, 'tide-tables', '42')).rejects.toThrow(/could not be removed right now/);
      expect(a.readings(GUILD).map((r) => r.id)).toEqual(['tide-tables']);
    } finally {
      await server.start();
    }
    // While B's notification connection is still down, A saves a reading; B must not stay without it.
    await expect
      .poll(
        async () =>
          a
            .add(GUILD, reading('Harbour Log', 'The harbour master logged forty ferries in July.'), '42')
            .then((added) => added.article.id)
            .catch(() => null),
        { timeout: 10_000, interval: 200 },
      )
      .toBe('harbour-log');
    await expect
      .poll(
        () =>
          b
            .readings(GUILD)
            .map((r) => r.id)
            .sort(),
        { timeout: 10_000, interval: 50 },
      )
      .toEqual(['harbour-log', 'tide-tables']);
    const { rows } = await storeA.pool.query('SELECT id FROM readings ORDER BY id');
    expect(rows.map((row: { id: string }) => row.id)).toEqual(['harbour-log', 'tide-tables']);
    await a.close();
    await b.close();
    await storeA.close();
    await storeB.close();
    await drop();
  }, 40_000);

  it('a write whose connection breaks mid-transaction is refused, and the process lives on', async () => {
    const { url, drop } = await freshDatabase();
    const store = await PgReadingStore.open(url, logger);
    const a = host(store);
    await a.prepare(GUILD);
    // pg emits 'error' on a checked-out client whose connection ends; with no listener that is an uncaught exception.
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => void uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    // A lock held elsewhere keeps the write's INSERT waiting, its pool client checked out, while the server stops.
    const blocker = new pg.Client({ connectionString: url });
    blocker.on('error', () => undefined);
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE readings IN ACCESS EXCLUSIVE MODE');
    const watcher = new pg.Client({ connectionString: server.url });
    watcher.on('error', () => undefined);
    await watcher.connect();
    try {
      const write = a.add(GUILD, reading('Held', 'This reading is mid-write when the server stops.'), '42').catch((err: unknown) => err);
      const waiting = async (): Promise<number> =>
        (await watcher.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).rows[0]?.n ??
        0;
      await expect.poll(waiting, { timeout: 5000, interval: 20 }).toBe(1);
      await server.stop();
      try {
        expect(String(await write)).toMatch(/could not be saved right now/);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(uncaught).toEqual([]);
      } finally {
        await server.start();
      }
      // The broken connection was not handed out again: the next write succeeds once the server is back.
      await expect
        .poll(
          () =>
            a
              .add(GUILD, reading('After', 'Saved once the server was back.'), '42')
              .then((added) => added.article.id)
              .catch(() => null),
          { timeout: 10_000, interval: 200 },
        )
        .toBe('after');
      expect((await store.list(GUILD)).map((r) => r.id)).toEqual(['after']);
    } finally {
      process.off('uncaughtException', onUncaught);
      await watcher.end().catch(() => undefined);
      await blocker.end().catch(() => undefined);
      await a.close();
      await store.close();
      await drop();
    }
  }, 40_000);

  it('npm run readings -- export and import move readings between files and the database', async () => {
    const { url, drop } = await freshDatabase();
    const source = await mkdtemp(path.join(tmpdir(), 'export-src-'));
    const back = await mkdtemp(path.join(tmpdir(), 'export-back-'));
    const files = new FileReadingStore(source);
    await files.add(storedReading('tide-tables', GUILD));
    await files.add(storedReading('harbour-log', '444444444444444444'));
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/readings.ts', ...args], {
        env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: url, LOG_LEVEL: 'warn' },
      });
    expect((await cli(['import', source])).stdout).toMatch(/imported 2 readings of 2 servers/);
    expect((await cli(['import', source])).stdout).toMatch(/imported 0 readings of 2 servers; 2 already there, kept as they were/);
    expect((await cli(['export', back])).stdout).toMatch(/exported 2 readings of 2 servers/);
    const exported = new FileReadingStore(back);
    expect(await exported.servers()).toEqual([GUILD, '444444444444444444']);
    expect(await exported.list(GUILD)).toEqual(await files.list(GUILD));
    await rm(source, { recursive: true, force: true });
    await rm(back, { recursive: true, force: true });
    await drop();
  }, 30_000);
});
