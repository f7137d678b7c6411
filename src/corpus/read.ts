import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { CorpusError, MAX_ARTICLE_BYTES } from './parse.js';

/*
 * Every corpus file is read through here. A corpus folder is the operator's, and anything can land
 * in it: a FIFO (an open for reading waits until something writes, holding the thread for good), a
 * symlink to /dev/zero (a read that never ends), a device, a folder named like an article. Each is
 * refused by name before a byte is read: stat first (the target of a symlink), then open without
 * blocking and check the opened file again (it may have been swapped in between), and never read
 * more than the size limit.
 */

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** What kind of thing a non-regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Refuses anything that is not a regular file of at most `limit` bytes. */
function checkStats(file: string, stats: Stats, limit: number): void {
  if (!stats.isFile()) throw new CorpusError(file, `is ${kindOf(stats)}, not a regular file; remove it from the corpus folder`);
  if (stats.size > limit) throw new CorpusError(file, `is ${stats.size} bytes; an article may be at most ${limit} bytes`);
}

function readProblem(file: string, err: unknown): CorpusError {
  if (err instanceof CorpusError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return Object.assign(new CorpusError(file, 'was removed while being read'), { code });
  return new CorpusError(file, `cannot be read (${code ?? String(err)})`);
}

/** Whether a read failed because the file is not there (a missing aliases.yaml is allowed). */
export function isMissing(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ENOENT';
}

/**
 * The bytes of one corpus file; a {@link CorpusError} naming it when it is not a regular file, is
 * larger than `limit`, or cannot be read. Never blocks on a FIFO.
 */
export async function readCorpusFile(file: string, limit = MAX_ARTICLE_BYTES): Promise<Buffer> {
  try {
    checkStats(file, await stat(file), limit);
    const handle = await open(file, OPEN_FLAGS);
    try {
      const stats = await handle.stat();
      checkStats(file, stats, limit);
      const buffer = Buffer.alloc(Math.min(stats.size, limit) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) throw new CorpusError(file, `grew while being read; an article may be at most ${limit} bytes`);
      }
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw readProblem(file, err);
  }
}

/** {@link readCorpusFile} without the thread pool, for hashing many small files in one go. */
export function readCorpusFileSync(file: string, limit = MAX_ARTICLE_BYTES): Buffer {
  try {
    checkStats(file, statSync(file), limit);
    const fd = openSync(file, OPEN_FLAGS);
    try {
      const stats = fstatSync(fd);
      checkStats(file, stats, limit);
      const buffer = Buffer.alloc(Math.min(stats.size, limit) + 1);
      let length = 0;
      for (;;) {
        const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) throw new CorpusError(file, `grew while being read; an article may be at most ${limit} bytes`);
      }
      return buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw readProblem(file, err);
  }
}
