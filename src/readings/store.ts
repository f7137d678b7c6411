/** One reading as a store keeps it: a corpus file's text, and who added it when. */
export interface StoredReading {
  readonly guildId: string;
  /** The article id, unique within the server; also the corpus file's name. */
  readonly id: string;
  /** The reading as a corpus Markdown file: front matter (title, id, …), then the body. */
  readonly markdown: string;
  /** The Discord user id of the member who added it. */
  readonly addedBy: string;
  /** ISO 8601 time it was added. */
  readonly addedAt: string;
}

/** A change to one server's reading list, as every process serving that server must learn of it. */
export type ReadingChange =
  | { readonly kind: 'added'; readonly guildId: string; readonly reading: StoredReading }
  | { readonly kind: 'removed'; readonly guildId: string; readonly id: string }
  /** Changes may have been missed (a shared store's connection came back): reload every server held. */
  | { readonly kind: 'resync' };

/** Thrown by {@link ReadingStore.add} when the server already has a reading with that id: stores never overwrite. */
export class ReadingExistsError extends Error {
  override readonly name = 'ReadingExistsError';
  constructor(
    readonly guildId: string,
    readonly id: string,
  ) {
    super(`server ${guildId} already has a reading '${id}'`);
  }
}

/**
 * Where servers' readings live. The file store keeps them under `READINGS_DIR/<server id>/`; a
 * database store (issue 13) would be a second implementation of the same contract:
 * - `list` returns a server's readings in id order (an unknown server has none);
 * - `add` saves one atomically or not at all, and refuses an id the server already has;
 * - `remove` deletes one and says whether it was there;
 * - every successful `add` and `remove` is announced to subscribers, also changes made by other
 *   processes when the store can see them (possibly after the call returns, and more than once:
 *   subscribers apply changes idempotently); when it may have missed some, it announces a resync.
 */
export interface ReadingStore {
  /** Every server with at least one reading (for export and backups). */
  servers(): Promise<string[]>;
  list(guildId: string): Promise<StoredReading[]>;
  add(reading: StoredReading): Promise<void>;
  remove(guildId: string, id: string): Promise<boolean>;
  /** Calls `listener` after each change; returns a function that unsubscribes. */
  subscribe(listener: (change: ReadingChange) => void): () => void;
  close(): Promise<void>;
}

/** Server ids are Discord snowflakes; anything else could name a path outside the store. */
export function isGuildId(value: string): boolean {
  return /^\d{1,20}$/.test(value);
}

/** Reading ids are corpus ids: lower-case letters, digits and hyphens, safe as a file name. */
export function isReadingId(value: string): boolean {
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(value);
}

/** The subscribers of a store, told of each change in turn; both stores keep theirs in one. */
export class ChangeListeners {
  private readonly listeners = new Set<(change: ReadingChange) => void>();

  add(listener: (change: ReadingChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: ReadingChange): void {
    for (const listener of this.listeners) listener(change);
  }

  clear(): void {
    this.listeners.clear();
  }
}
