import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { parseDocument } from 'yaml';
import {
  ChangeListeners,
  isGuildId,
  isReadingId,
  ReadingExistsError,
  type ReadingChange,
  type ReadingStore,
  type StoredReading,
} from './store.js';

/** Who added a reading and when, read back from the front matter the reading was saved with. */
function addedFields(markdown: string): { addedBy: string; addedAt: string } {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  const close = lines[0]?.trim() === '---' ? lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line)) : -1;
  if (close === -1) return { addedBy: '', addedAt: '' };
  try {
    const data: unknown = parseDocument(lines.slice(1, close).join('\n')).toJS();
    const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
    return {
      addedBy: text(record['added_by']),
      addedAt: record['added_at'] instanceof Date ? record['added_at'].toISOString() : text(record['added_at']),
    };
  } catch {
    return { addedBy: '', addedAt: '' };
  }
}

/** Makes a directory entry durable: after a rename or unlink, the directory itself must reach the disk. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Readings as corpus files, `dir/<server id>/<reading id>.md`, each a valid corpus file (the same
 * parser and checks as `corpus/`; `npm run check:corpus readings/<server id>` reads them). A write
 * goes to a temporary file that is fsynced, then hard-linked to its name (refused if the id is
 * there) and the temporary name removed, so a crash leaves either the whole reading or none; the
 * temporary names start with a dot, which the corpus loader and `list` skip.
 * Changes are announced to this process's subscribers: a server is served by one shard, so no other
 * process writes its folder.
 */
export class FileReadingStore implements ReadingStore {
  private readonly listeners = new ChangeListeners();

  constructor(
    readonly dir: string,
    private readonly log?: Logger,
  ) {}

  private folder(guildId: string): string {
    if (!isGuildId(guildId)) throw new Error(`not a server id: '${guildId}'`);
    return path.join(this.dir, guildId);
  }

  private file(guildId: string, id: string): string {
    if (!isReadingId(id)) throw new Error(`not a reading id: '${id}'`);
    return path.join(this.folder(guildId), `${id}.md`);
  }

  async servers(): Promise<string[]> {
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    const found: string[] = [];
    for (const name of names.filter(isGuildId).sort()) if ((await this.list(name)).length > 0) found.push(name);
    return found;
  }

  async list(guildId: string): Promise<StoredReading[]> {
    const folder = this.folder(guildId);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const readings: StoredReading[] = [];
    // By id, not file name: 'a-2.md' sorts before 'a.md', but 'a' comes before 'a-2' (as in the database).
    const ids = names.flatMap((name) => (name.endsWith('.md') && isReadingId(name.slice(0, -3)) ? [name.slice(0, -3)] : [])).sort();
    for (const id of ids) {
      const file = path.join(folder, `${id}.md`);
      // Only regular files: a FIFO or a link to a device must not hang or flood the bot.
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) {
        this.log?.warn({ file }, 'skipped a reading that is not a regular file');
        continue;
      }
      const markdown = await readFile(file, 'utf8');
      readings.push({ guildId, id, markdown, ...addedFields(markdown) });
    }
    return readings;
  }

  async add(reading: StoredReading): Promise<void> {
    const target = this.file(reading.guildId, reading.id);
    const folder = path.dirname(target);
    await mkdir(folder, { recursive: true });
    if (
      await stat(target).then(
        () => true,
        () => false,
      )
    )
      throw new ReadingExistsError(reading.guildId, reading.id);
    const temp = path.join(folder, `.${reading.id}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(reading.markdown, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      // A link, not a rename: it fails when the target exists, so of two adds of one id at once
      // (two processes on one folder) one lands and the other is refused, never overwriting it.
      await link(temp, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ReadingExistsError(reading.guildId, reading.id);
      throw err;
    } finally {
      await rm(temp, { force: true });
    }
    await syncDirectory(folder);
    this.emit({ kind: 'added', guildId: reading.guildId, reading });
  }

  async remove(guildId: string, id: string): Promise<boolean> {
    if (!isReadingId(id)) return false;
    const target = this.file(guildId, id);
    try {
      await unlink(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    await syncDirectory(path.dirname(target));
    this.emit({ kind: 'removed', guildId, id });
    return true;
  }

  subscribe(listener: (change: ReadingChange) => void): () => void {
    return this.listeners.add(listener);
  }

  private emit(change: ReadingChange): void {
    this.listeners.emit(change);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
