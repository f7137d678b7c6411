import { watch, type FSWatcher } from 'node:fs';
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
}

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
  }

  /** The library to answer from now. */
  current(): CorpusLibrary {
    return this.library;
  }

  /** Starts watching the corpus folder. */
  watch(): this {
    this.watcher = watch(this.options.corpusDir, () => this.schedule());
    this.watcher.on('error', (err) =>
      this.options.logger.error({ err, dir: this.options.corpusDir }, 'corpus watcher failed; live reload is off'),
    );
    return this;
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

  /** Stops watching. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
  }
}
