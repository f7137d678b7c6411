/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on a free
 * 127.0.0.1 port, removed afterwards. It uses the Debian `postgresql` package's binaries (`.ci/run`
 * installs it when missing); as root it runs them as the `postgres` user, since initdb refuses root.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where initdb and pg_ctl are: on PATH, else the newest /usr/lib/postgresql/<version>/bin. */
function binary(name: string): string {
  for (const dir of (process.env['PATH'] ?? '').split(':')) if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(path.join(root, version, 'bin', name))) return path.join(root, version, 'bin', name);
  throw new Error(`${name} not found: install the Debian package 'postgresql' (apt-get install postgresql)`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A running throwaway server. */
export interface TestPostgres {
  readonly url: string;
  /** Stops the server (fast shutdown), keeping its data, as a crash or an outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes everything. */
  destroy(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(path.join(tmpdir(), 'pg-test-'));
  const asRoot = process.getuid?.() === 0;
  const exec = (file: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(root, 'data');
  const port = await freePort();
  await exec(binary('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`;
  const start = async (): Promise<void> => {
    await exec(binary('pg_ctl'), ['-D', data, '-o', options, '-l', path.join(root, 'log'), '-w', '-t', '30', 'start']);
  };
  const stop = async (): Promise<void> => {
    await exec(binary('pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  };
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
