import { statSync, watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { CorpusLibrary } from './library.js';

/** Options of {@link LiveLibrary}. */
export interface LiveLibraryOptions {
  readonly corpusDir: string;
  /** Builds a library from the corpus folder as it is now; throws on a broken corpus. */
  readonly open: (corpusDir: string) => Promise<CorpusLibrary>;
  readonly logger: Logger;
  /** Quiet time after the last file event before re-indexing (editors write in bursts). */
  readonly debounceMs?: number;
  /**
   * How often the folder itself is checked: a folder deleted and created again (a deploy by folder
   * swap) is a new folder that a watcher on the old one never hears about.
   */
  readonly folderCheckMs?: number;
}

/**
 * Every LiveLibrary not yet closed, held from this module's scope, whatever its caller holds it by.
 * A library reachable only through a pending promise chain (in `bench/reload.ts`, the reload being
 * awaited) is not found by V8's incremental marker until the atomic pause of a major collection: at
 * 10,000 articles that pause marked the whole ~180 MB library at once, 105–260 ms, in about half of
 * the reloads. Held from here, the marker works through it in steps of a few milliseconds.
 */
const serving = new Set<LiveLibrary>();

/**
 * The library the bot answers from, rebuilt in the background when corpus files change and swapped
 * in whole once built. Questions asked meanwhile are answered from the old library; a corpus that
 * fails to load leaves the old one serving and is reported in the log.
 */
export class LiveLibrary {
  private library: CorpusLibrary;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private building: Promise<void> | null = null;
  private again = false;
  /** Completed reloads, successful or not; tests wait on it. */
  generation = 0;

  constructor(
    initial: CorpusLibrary,
    private readonly options: LiveLibraryOptions,
  ) {
    this.library = initial;
    serving.add(this);
  }

  /** The library to answer from now. */
  current(): CorpusLibrary {
    return this.library;
  }

  /** Starts watching the corpus folder, and follows it when it is replaced by a new one. */
  watch(): this {
    this.arm();
    this.folderCheck = setInterval(() => this.checkFolder(), this.options.folderCheckMs ?? 2000);
    this.folderCheck.unref();
    return this;
  }

  private folderCheck: NodeJS.Timeout | null = null;
  /** The watched folder's identity (device and inode), or null while there is none. */
  private watched: string | null = null;

  private identity(): string | null {
    try {
      const stats = statSync(this.options.corpusDir);
      // A folder made again at once may get the inode number back; its birth time differs.
      return stats.isDirectory() ? `${stats.dev}:${stats.ino}:${stats.birthtimeMs}` : null;
    } catch {
      return null;
    }
  }

  /** Watches the folder now at the corpus path; false when there is none to watch. */
  private arm(): boolean {
    this.watcher?.close();
    this.watcher = null;
    try {
      this.watcher = watch(this.options.corpusDir, () => this.schedule());
    } catch (err) {
      this.options.logger.warn({ err, dir: this.options.corpusDir }, 'cannot watch the corpus folder; trying again');
      return false;
    }
    this.watcher.on('error', (err) => {
      this.options.logger.warn({ err, dir: this.options.corpusDir }, 'corpus watcher failed; re-arming it');
      this.watcher?.close();
      this.watcher = null;
      this.watched = null;
    });
    this.watched = this.identity();
    return true;
  }

  /** Re-arms on a folder that replaced the watched one (or appeared after it went), and reloads from it. */
  private checkFolder(): void {
    const now = this.identity();
    if (now === null) {
      // Gone for now: whatever folder appears at this path next is a new one to watch.
      this.watched = null;
      return;
    }
    if (now === this.watched) return;
    this.options.logger.info({ dir: this.options.corpusDir }, 'corpus folder was replaced; watching the new one');
    if (this.arm()) this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reload();
    }, this.options.debounceMs ?? 300);
  }

  /** Rebuilds now; a change arriving during a build triggers one more build after it. */
  async reload(): Promise<void> {
    if (this.building) {
      this.again = true;
      return this.building;
    }
    this.building = (async () => {
      const started = performance.now();
      try {
        const next = await this.options.open(this.options.corpusDir);
        this.library = next;
        this.options.logger.info(
          { articles: next.articles.length, paragraphs: next.engine.index.documentCount, ms: Math.round(performance.now() - started) },
          'corpus reloaded',
        );
      } catch (err) {
        this.options.logger.error(
          { err, corpus: this.options.corpusDir },
          'corpus reload failed; still answering from the previous version',
        );
      } finally {
        this.generation += 1;
        this.building = null;
      }
    })();
    await this.building;
    if (this.again) {
      this.again = false;
      await this.reload();
    }
  }

  /** Stops watching; the library is then held only by whoever still holds this. */
  close(): void {
    serving.delete(this);
    if (this.timer) clearTimeout(this.timer);
    if (this.folderCheck) clearInterval(this.folderCheck);
    this.watcher?.close();
  }
}
