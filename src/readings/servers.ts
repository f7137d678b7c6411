import type { Logger } from 'pino';
import type { Article } from '../corpus/types.js';
import type { Entity } from '../entities/index.js';
import { libraryFrom, type CorpusLibrary, type Library } from '../library.js';
import { buildEngineAsync, SearchEngine } from '../search/engine.js';
import { parseArticle } from '../corpus/parse.js';
import { articleOf, decodeText, draftOf, freeId, markdownOf, ReadingRefusal, type Draft, type ReadingInput } from './compose.js';
import { downloadAttachment, tooLarge } from './download.js';
import { exampleQuestion } from './example.js';
import { mergedLibrary } from './merged.js';
import { isGuildId, ReadingExistsError, type ReadingChange, type ReadingStore, type StoredReading } from './store.js';

/** Limits on what a server may add; each refusal names its setting. */
export interface ReadingLimits {
  readonly maxBytes: number;
  readonly perServer: number;
  readonly downloadTimeoutMs: number;
  /** Origins attachments may be downloaded from. */
  readonly origins: readonly string[];
}

/** Options of {@link ServerReadings}. */
export interface ServerReadingsOptions {
  readonly store: ReadingStore;
  /** The bot's own corpus as it is now (it reloads on its own). */
  readonly shared: () => CorpusLibrary;
  /** Whether servers see the corpus beside their readings. */
  readonly sharedInServers: boolean;
  readonly limits: ReadingLimits;
  readonly logger: Logger;
}

/** An attachment as the interaction describes it. */
export interface AttachmentRef {
  readonly kind: 'attachment';
  readonly id: string;
  readonly filename: string;
  readonly size: number;
  readonly url: string;
  readonly contentType: string | null;
}

/** What `add` made: the reading, its id if the one asked for was taken, and a question it answers. */
export interface AddedReading {
  readonly article: Article;
  /** The people and places found in the server's readings (the new one's among them). */
  readonly entities: readonly Entity[];
  readonly renamedFrom: string | null;
  readonly example: string | null;
  readonly bytes: number;
  /** The server's readings after it, and the limit. */
  readonly count: number;
  readonly limit: number;
}

interface Loaded {
  readonly stored: StoredReading;
  readonly article: Article;
}

/** One server's readings in this process. */
interface GuildState {
  readings: Map<string, Loaded>;
  /** The library over the readings alone; null while there are none. */
  own: CorpusLibrary | null;
  /** The view commands get, made from `own` and the corpus version it was made with. */
  view: { shared: CorpusLibrary; library: Library } | null;
  loading: Promise<void> | null;
  loaded: boolean;
  /** Changes to one server run one at a time, in order. */
  queue: Promise<unknown>;
}

const EMPTY = libraryFrom(SearchEngine.build([]));

/** How many ids taken by other hosts one add steps past before it gives up (a store that refuses every id). */
const MAX_TAKEN_ELSEWHERE = 10;

/** A stored reading parsed as the corpus file it is; its file name is its id. */
function parseStored(reading: StoredReading): Article {
  const article = parseArticle(`${reading.id}.md`, reading.markdown);
  if (article.id !== reading.id) throw new Error(`its front matter id '${article.id}' is not its stored id '${reading.id}'`);
  return article;
}

/**
 * Every server's readings that this process serves, loaded when a server is first seen (its first
 * interaction, or when the gateway announces it), never at start-up, and never another shard's. Each
 * server gets a small library of its own; adding or removing a reading rebuilds only that one, in the
 * background, and swaps it in when built, so questions asked meanwhile use the previous version.
 */
export class ServerReadings {
  private readonly guilds = new Map<string, GuildState>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ServerReadingsOptions) {
    this.unsubscribe = options.store.subscribe((change) => this.apply(change));
  }

  private get log(): Logger {
    return this.options.logger;
  }

  private state(guildId: string): GuildState {
    let state = this.guilds.get(guildId);
    if (!state) {
      state = { readings: new Map(), own: null, view: null, loading: null, loaded: false, queue: Promise.resolve() };
      this.guilds.set(guildId, state);
    }
    return state;
  }

  /** Servers whose readings this process holds. */
  get loadedServers(): readonly string[] {
    return [...this.guilds].filter(([, state]) => state.loaded).map(([id]) => id);
  }

  /**
   * Loads a server's readings if not yet loaded: undefined when there is nothing to wait for (DMs, a
   * server already loaded), else a promise that resolves once it is (a failure is logged, not thrown).
   */
  prepare(guildId: string | null): Promise<void> | undefined {
    if (guildId === null || !isGuildId(guildId)) return undefined;
    const state = this.state(guildId);
    if (state.loaded) return undefined;
    state.loading ??= this.enqueue(state, () => this.load(guildId, state)).finally(() => {
      state.loading = null;
    });
    return state.loading;
  }

  private async load(guildId: string, state: GuildState): Promise<void> {
    if (state.loaded) return;
    const started = performance.now();
    let stored: StoredReading[];
    try {
      stored = await this.options.store.list(guildId);
    } catch (err) {
      this.log.error({ err, guildId }, 'could not load the server’s readings; answering from the corpus alone for now');
      return;
    }
    state.readings = new Map();
    for (const reading of stored) this.admit(state, reading);
    await this.rebuild(state);
    state.loaded = true;
    this.log.info({ guildId, readings: state.readings.size, ms: Math.round(performance.now() - started) }, 'server readings loaded');
  }

  /** Parses a stored reading with the corpus parser; one that fails is logged and left out. */
  private admit(state: GuildState, reading: StoredReading): void {
    try {
      state.readings.set(reading.id, { stored: reading, article: parseStored(reading) });
    } catch (err) {
      this.log.error({ err, guildId: reading.guildId, readingId: reading.id }, 'a stored reading does not parse; left out');
    }
  }

  private async rebuild(state: GuildState): Promise<void> {
    const articles = [...state.readings.values()].map((loaded) => loaded.article);
    state.own = articles.length === 0 ? null : libraryFrom(await buildEngineAsync(articles, this.options.shared().engine.aliases));
    state.view = null;
  }

  private enqueue<T>(state: GuildState, job: () => Promise<T>): Promise<T> {
    const run = state.queue.then(job, job);
    state.queue = run.catch(() => undefined);
    return run;
  }

  /** A change announced by the store (made here or, with a shared store, elsewhere). */
  private apply(change: ReadingChange): void {
    if (change.kind === 'resync') {
      for (const [guildId, state] of this.guilds) if (state.loaded) void this.resync(guildId, state);
      return;
    }
    const state = this.guilds.get(change.guildId);
    if (!state?.loaded) return; // loaded fresh when the server is next seen
    void this.enqueue(state, async () => {
      if (change.kind === 'added') {
        if (state.readings.get(change.reading.id)?.stored.markdown === change.reading.markdown) return;
        this.admit(state, change.reading);
      } else {
        if (!state.readings.delete(change.id)) return;
      }
      await this.rebuild(state);
    }).catch((err: unknown) => this.log.error({ err, guildId: change.guildId }, 'applying a reading change failed'));
  }

  /** Reloads one server's readings from the store; until that succeeds the loaded ones keep serving. */
  private resync(guildId: string, state: GuildState): Promise<void> {
    return this.enqueue(state, async () => {
      const stored = await this.options.store.list(guildId);
      const kept = new Map<string, Loaded>();
      for (const reading of stored) {
        const known = state.readings.get(reading.id);
        if (known?.stored.markdown === reading.markdown) kept.set(reading.id, known);
      }
      const unchanged = kept.size === state.readings.size && kept.size === stored.length;
      if (unchanged) return;
      const previous = state.readings;
      state.readings = kept;
      for (const reading of stored) if (!kept.has(reading.id)) this.admit(state, reading);
      await this.rebuild(state);
      this.log.info({ guildId, before: previous.size, after: state.readings.size }, 'server readings resynced');
    }).catch((err: unknown) => this.log.warn({ err, guildId }, 'resyncing a server’s readings failed; still serving what was loaded'));
  }

  /** What a command in this conversation sees: a server's readings and (unless turned off) the corpus; in DMs the corpus. */
  library(guildId: string | null): Library {
    const shared = this.options.shared();
    if (guildId === null) return shared;
    const state = this.guilds.get(guildId);
    if (!state?.loaded) void this.prepare(guildId);
    const own = state?.own ?? null;
    if (!this.options.sharedInServers) return own ?? EMPTY;
    if (own === null) return shared;
    if (state && state.view?.shared !== shared) state.view = { shared, library: mergedLibrary(own, shared) };
    return state?.view?.library ?? shared;
  }

  /** The most readings a server may keep. */
  get limit(): number {
    return this.options.limits.perServer;
  }

  /** How many of the corpus's articles a server sees beside its readings. */
  get sharedCount(): number {
    return this.options.sharedInServers ? this.options.shared().articles.length : 0;
  }

  /** The server's own readings, by title. */
  readings(guildId: string): readonly Article[] {
    const state = this.guilds.get(guildId);
    return [...(state?.readings.values() ?? [])].map((loaded) => loaded.article).sort((a, b) => a.title.localeCompare(b.title));
  }

  /** Downloads an attachment and adds it; throws a {@link ReadingRefusal} for anything refused. */
  async addAttachment(guildId: string, attachment: AttachmentRef, addedBy: string): Promise<AddedReading> {
    const { limits } = this.options;
    if (!/\.(md|markdown|txt)$/i.test(attachment.filename))
      throw new ReadingRefusal('Only Markdown (.md) or plain text (.txt) files can be added as readings.', 'file type');
    if (attachment.size > limits.maxBytes) throw tooLarge(attachment.size, limits.maxBytes);
    await this.checkRoom(guildId);
    const bytes = await downloadAttachment(attachment.url, {
      origins: limits.origins,
      maxBytes: limits.maxBytes,
      timeoutMs: limits.downloadTimeoutMs,
    });
    return this.add(guildId, { kind: 'file', filename: attachment.filename, text: decodeText(bytes) }, addedBy);
  }

  private async checkRoom(guildId: string): Promise<void> {
    await this.prepare(guildId);
    const refusal = this.roomRefusal(this.state(guildId));
    if (refusal) throw refusal;
  }

  private roomRefusal(state: GuildState): ReadingRefusal | null {
    if (!state.loaded)
      return new ReadingRefusal(
        'This server’s readings cannot be read right now, so nothing can be added; try again in a moment.',
        'store',
      );
    const count = state.readings.size;
    const { perServer } = this.options.limits;
    if (count < perServer) return null;
    return new ReadingRefusal(
      `This server already has ${count} readings, the most it may keep (READINGS_PER_SERVER = ${perServer}). Remove one with \`/reading remove\` first.`,
      'readings per server',
    );
  }

  /**
   * Adds a reading: checked as a corpus file is, given a free id (never overwriting one), saved, and
   * live once this resolves. Throws a {@link ReadingRefusal} for anything refused; nothing is saved then.
   */
  async add(guildId: string, input: ReadingInput, addedBy: string): Promise<AddedReading> {
    if (!isGuildId(guildId)) throw new ReadingRefusal('Readings belong to a server: add them from one.', 'server only');
    await this.prepare(guildId);
    const state = this.state(guildId);
    const draft = draftOf(input);
    return this.enqueue(state, async () => {
      const { limits } = this.options;
      const refusal = this.roomRefusal(state);
      if (refusal) throw refusal;
      const { id, article, stored, bytes } = await this.save(guildId, state, draft, addedBy);
      state.readings.set(id, { stored, article });
      await this.rebuild(state);
      this.log.info({ change: 'added', userId: addedBy, guildId, readingId: id, title: article.title, bytes }, 'reading added');
      const entities = state.own?.directory.entries ?? [];
      return {
        article,
        entities,
        renamedFrom: id === draft.wantedId ? null : draft.wantedId,
        example: exampleQuestion(article, entities, this.library(guildId)),
        bytes,
        count: state.readings.size,
        limit: limits.perServer,
      };
    });
  }

  /**
   * Saves a draft under the first id free here. The store refuses an id another process or host
   * saved a moment ago (its announcement not yet heard): that id is taken too, and the next tried.
   */
  private async save(
    guildId: string,
    state: GuildState,
    draft: Draft,
    addedBy: string,
  ): Promise<{ id: string; article: Article; stored: StoredReading; bytes: number }> {
    const shared = this.options.sharedInServers ? this.options.shared() : null;
    const takenElsewhere = new Set<string>();
    const taken = (candidate: string): boolean =>
      state.readings.has(candidate) || takenElsewhere.has(candidate) || shared?.article(candidate) !== undefined;
    for (;;) {
      const id = freeId(draft.wantedId, taken);
      const addedAt = new Date().toISOString();
      const article = articleOf(draft, id, addedBy, addedAt);
      const stored: StoredReading = { guildId, id, markdown: markdownOf(draft, id, addedBy, addedAt), addedBy, addedAt };
      const bytes = Buffer.byteLength(stored.markdown);
      if (bytes > this.options.limits.maxBytes) throw tooLarge(bytes, this.options.limits.maxBytes);
      try {
        await this.options.store.add(stored);
        return { id, article, stored, bytes };
      } catch (err) {
        if (err instanceof ReadingExistsError && takenElsewhere.size < MAX_TAKEN_ELSEWHERE) {
          this.log.info({ guildId, readingId: id }, 'the reading id was taken elsewhere a moment ago; trying the next');
          takenElsewhere.add(id);
          continue;
        }
        this.log.error({ err, guildId, readingId: id }, 'saving a reading failed');
        throw new ReadingRefusal('The reading could not be saved right now; nothing was changed. Try again later.', 'store');
      }
    }
  }

  /**
   * Removes a reading; resolves with it, or null when the server has no reading with that id. Throws
   * a {@link ReadingRefusal} when the store cannot remove it now.
   */
  async remove(guildId: string, id: string, removedBy: string): Promise<Article | null> {
    if (!isGuildId(guildId)) return null;
    await this.prepare(guildId);
    const state = this.state(guildId);
    return this.enqueue(state, async () => {
      const loaded = state.readings.get(id);
      if (!loaded) return null;
      try {
        await this.options.store.remove(guildId, id);
      } catch (err) {
        this.log.error({ err, guildId, readingId: id }, 'removing a reading failed');
        throw new ReadingRefusal('The reading could not be removed right now; nothing was changed. Try again later.', 'store');
      }
      state.readings.delete(id);
      await this.rebuild(state);
      this.log.info(
        {
          change: 'removed',
          userId: removedBy,
          guildId,
          readingId: id,
          title: loaded.article.title,
          bytes: Buffer.byteLength(loaded.stored.markdown),
        },
        'reading removed',
      );
      return loaded.article;
    });
  }

  /** Waits for every server's pending changes (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.guilds.values()].map((state) => state.queue));
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.settled();
  }
}
