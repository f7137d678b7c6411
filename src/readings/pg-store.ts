import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError } from '../config.js';
import { parseArticle } from '../corpus/parse.js';
import { migrate } from './migrations.js';
import {
  ChangeListeners,
  isGuildId,
  isReadingId,
  ReadingExistsError,
  type ReadingChange,
  type ReadingStore,
  type StoredReading,
} from './store.js';

/** The channel every host listens on; a notification carries the server and reading ids, and an added reading itself when it fits. */
const CHANNEL = 'readings';
const UNIQUE_VIOLATION = '23505';
/** NOTIFY payloads must stay under 8,000 bytes: a larger added reading is announced by its ids and read back. */
const INLINE_BYTES = 7500;

interface Row {
  guild_id: string;
  id: string;
  markdown: string;
  added_by: string;
  added_at: Date;
}

const fromRow = (row: Row): StoredReading => ({
  guildId: row.guild_id,
  id: row.id,
  markdown: row.markdown,
  addedBy: row.added_by,
  addedAt: row.added_at.toISOString(),
});

/** The database could not be reached at start: the message names the setting to check. */
export class DatabaseUnavailableError extends ConfigError {}

/**
 * Readings in PostgreSQL, one row each, shared by every host. A change is written in a transaction
 * that also sends `NOTIFY readings` (delivered on commit, never for a rolled-back write); each store
 * LISTENs on its own connection and announces what it hears, its own changes too. When that
 * connection drops it reconnects by itself and then announces a resync, so a host that missed a
 * notification reloads what it holds rather than stay stale.
 */
export class PgReadingStore implements ReadingStore {
  private readonly listeners = new ChangeListeners();
  private listener: pg.Client | null = null;
  private closed = false;
  private retryMs = 250;
  private reconnecting: NodeJS.Timeout | null = null;
  /** Notifications are announced one at a time, in the order they came, so a removal never overtakes its add. */
  private hearing: Promise<void> = Promise.resolve();

  private constructor(
    readonly pool: pg.Pool,
    private readonly url: string,
    private readonly log?: Logger,
  ) {
    // An idle client's error (the server restarting) must not crash the process; the next query reconnects.
    pool.on('error', (err) => log?.warn({ err }, 'a database connection failed; it will be replaced'));
  }

  /** Connects, applies migrations and starts listening. Throws a {@link DatabaseUnavailableError} if the database cannot be reached. */
  static async open(url: string, log?: Logger): Promise<PgReadingStore> {
    const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 5000 });
    const store = new PgReadingStore(pool, url, log);
    try {
      const applied = await migrate(pool);
      if (applied.length > 0) log?.info({ applied }, 'database migrated');
      await store.listen();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(
        `Cannot use the readings database at DATABASE_URL (${redact(url)}): ${err instanceof Error ? err.message : String(err)}.\nCheck DATABASE_URL in .env (see .env.example) and that the server is running.`,
      );
    }
    return store;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    client.on('notification', (message) => {
      const payload = message.payload;
      if (message.channel === CHANNEL && payload) this.hearing = this.hearing.then(() => this.heard(payload));
    });
    const lost = (err?: Error): void => {
      if (this.listener !== client) return;
      this.listener = null;
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.log?.warn({ err }, 'lost the database notification connection; reconnecting');
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
    this.retryMs = 250;
  }

  private reconnect(): void {
    if (this.reconnecting || this.closed) return;
    this.reconnecting = setTimeout(() => {
      this.reconnecting = null;
      this.listen().then(
        () => {
          this.log?.info({}, 'database notifications back; resyncing the readings held');
          this.emit({ kind: 'resync' });
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 5000);
          this.reconnect();
        },
      );
    }, this.retryMs);
  }

  private async heard(payload: string): Promise<void> {
    try {
      const note = JSON.parse(payload) as { kind: string; guildId: string; id: string; reading?: StoredReading };
      if (note.kind === 'removed') return this.emit({ kind: 'removed', guildId: note.guildId, id: note.id });
      if (note.reading) return this.emit({ kind: 'added', guildId: note.guildId, reading: note.reading });
      // Too large to travel in the notification. No row: removed again since, and its removal is the next notification.
      const { rows } = await this.pool.query<Row>(
        'SELECT guild_id, id, markdown, added_by, added_at FROM readings WHERE guild_id = $1 AND id = $2',
        [note.guildId, note.id],
      );
      const row = rows[0];
      if (row) this.emit({ kind: 'added', guildId: row.guild_id, reading: fromRow(row) });
    } catch (err) {
      this.log?.error({ err, payload }, 'could not apply a database notification; resyncing');
      this.emit({ kind: 'resync' });
    }
  }

  async servers(): Promise<string[]> {
    const { rows } = await this.pool.query<{ guild_id: string }>('SELECT DISTINCT guild_id FROM readings ORDER BY guild_id');
    return rows.map((row) => row.guild_id);
  }

  async list(guildId: string): Promise<StoredReading[]> {
    if (!isGuildId(guildId)) throw new Error(`not a server id: '${guildId}'`);
    const { rows } = await this.pool.query<Row>(
      'SELECT guild_id, id, markdown, added_by, added_at FROM readings WHERE guild_id = $1 ORDER BY id COLLATE "C"',
      [guildId],
    );
    return rows.map(fromRow);
  }

  async add(reading: StoredReading): Promise<void> {
    if (!isGuildId(reading.guildId)) throw new Error(`not a server id: '${reading.guildId}'`);
    if (!isReadingId(reading.id)) throw new Error(`not a reading id: '${reading.id}'`);
    const article = parseArticle(`${reading.id}.md`, reading.markdown);
    // As the database will give it back, so the announced reading equals the listed one.
    const stored: StoredReading = { ...reading, addedAt: new Date(reading.addedAt).toISOString() };
    const whole = { kind: 'added', guildId: reading.guildId, id: reading.id, reading: stored };
    const notice = Buffer.byteLength(JSON.stringify(whole)) <= INLINE_BYTES ? whole : { ...whole, reading: undefined };
    try {
      await this.transaction(async (client) => {
        await client.query(
          'INSERT INTO readings (guild_id, id, title, source, url, published, markdown, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
          [
            reading.guildId,
            reading.id,
            article.title,
            article.source,
            article.url,
            article.published,
            reading.markdown,
            reading.addedBy,
            stored.addedAt,
          ],
        );
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(notice)]);
      });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ReadingExistsError(reading.guildId, reading.id);
      throw err;
    }
  }

  async remove(guildId: string, id: string): Promise<boolean> {
    if (!isReadingId(id)) return false;
    if (!isGuildId(guildId)) throw new Error(`not a server id: '${guildId}'`);
    return this.transaction(async (client) => {
      const { rowCount } = await client.query('DELETE FROM readings WHERE guild_id = $1 AND id = $2', [guildId, id]);
      if (rowCount) await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ kind: 'removed', guildId, id })]);
      return Boolean(rowCount);
    });
  }

  /**
   * Runs `work` in one transaction on one pooled connection. pg emits 'error' on a checked-out
   * connection that breaks (the server stopping mid-write), and unheard that crashes the process;
   * here it only fails the work. The pool drops a broken connection when it is released.
   */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const broke = (err: Error): void => this.log?.warn({ err }, 'a database connection broke during a write');
    client.on('error', broke);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', broke);
      client.release();
    }
  }

  subscribe(listener: (change: ReadingChange) => void): () => void {
    return this.listeners.add(listener);
  }

  private emit(change: ReadingChange): void {
    this.listeners.emit(change);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.reconnecting) clearTimeout(this.reconnecting);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.hearing;
    await this.pool.end().catch(() => undefined);
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unreadable URL';
  }
}
