import type { Pool, PoolClient } from 'pg';

/**
 * The readings schema, one step per version, applied in order and never edited once released: a
 * change is a new step. Each runs in its own transaction with its version recorded, under an
 * advisory lock, so hosts starting together apply each step once.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  {
    version: 1,
    name: 'readings',
    sql: `
      CREATE TABLE readings (
        guild_id   text        NOT NULL,
        id         text        NOT NULL,
        title      text        NOT NULL,
        source     text,
        url        text,
        published  text,
        markdown   text        NOT NULL,
        added_by   text        NOT NULL,
        added_at   timestamptz NOT NULL,
        PRIMARY KEY (guild_id, id)
      );`,
  },
];

/** Any number; the same on every host, so they share the lock. */
const MIGRATION_LOCK = 727_001;

/** Applies every migration the database lacks; returns the versions applied now. */
export async function migrate(pool: Pool): Promise<number[]> {
  const client: PoolClient = await pool.connect();
  // A checked-out connection that breaks emits 'error'; unheard it would crash the process instead
  // of failing the migration (the failed query already says why).
  const broke = (): void => undefined;
  client.on('error', broke);
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(migration.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.off('error', broke);
    client.release();
  }
  return applied;
}
