import path from 'node:path';
import type { Logger } from 'pino';
import type { Article } from '../../corpus/types.js';
import type { Answer } from '../engine.js';
import { WorkerEmbedder, type Embedder } from './embedder.js';
import { encoderText, entryText, rerank, sentencePool } from './rerank.js';
import { cosine, SentenceVectors, type StoredVector } from './vectors.js';
import { Turns } from '../../slices.js';

/** Dimensions of the Universal Sentence Encoder lite's vectors. */
export const DIMENSIONS = 512;

/** The file sentence vectors are saved in, beside the index caches. */
export function vectorsFile(cacheDir: string): string {
  return path.join(cacheDir, 'sentence-vectors.bin');
}

/** Limits that keep the semantic stage from ever costing a user the answer. */
export const BUDGET = {
  /** Past this the lexical order is given: the encoder is busy or stuck (it goes on, for next time). */
  deadlineMs: 1500,
  /**
   * Texts already queued for the encoder past which a question gets the lexical order at once: at
   * 12–28 ms a text here, 64 of them is 0.8–1.8 s of encoder work, so under a flood the wait would
   * end at the deadline anyway, and answering at once keeps every interaction inside Discord's 3 s.
   */
  backlogTexts: 64,
  /** Corpus sentences embedded ahead of questions, at start-up and reload; past it, as questions need them. */
  warmSentences: 20_000,
  /** Sentences per batch while warming, so a question waits behind at most one batch. */
  warmBatch: 16,
  /** Questions whose vectors are kept, for the same question asked again (or its "More passages"). */
  questions: 256,
  /** How long after new vectors they are saved (at most this often, while warming). */
  saveAfterMs: 30_000,
} as const;

/** Options of {@link SemanticRanker}. */
export interface SemanticRankerOptions {
  readonly vectors?: SentenceVectors;
  /** Where vectors are saved; unset, they are kept in memory only. */
  readonly file?: string;
  readonly logger?: Logger;
  readonly deadlineMs?: number;
  /** {@link BUDGET.backlogTexts} unless set (a measurement that must never shed sets Infinity). */
  readonly backlogTexts?: number;
}

/**
 * The semantic stage: re-ranks the lexical ranker's best sentences by their similarity in meaning
 * to the question (docs/DESIGN.md). Sentence vectors are computed once each, in the encoder's thread,
 * and kept; anything that goes wrong or takes too long leaves the lexical answer as it was.
 */
export class SemanticRanker {
  readonly vectors: SentenceVectors;
  private readonly questions = new Map<string, Float32Array>();
  private readonly deadlineMs: number;
  private readonly backlogTexts: number;
  private saveTimer: NodeJS.Timeout | undefined;
  private warming: Promise<void> = Promise.resolve();
  /** The saved vectors read in: nothing is saved before, or the file would lose them. */
  private loaded: Promise<void> = Promise.resolve();
  private closed = false;
  private warned = false;
  /** Holds on warming ({@link holdWarming}) not yet released, and the warm-ups waiting for none. */
  private holds = 0;
  private readonly unheld: (() => void)[] = [];

  constructor(
    private readonly embedder: Embedder,
    private readonly options: SemanticRankerOptions = {},
  ) {
    this.vectors = options.vectors ?? new SentenceVectors(DIMENSIONS);
    this.deadlineMs = options.deadlineMs ?? BUDGET.deadlineMs;
    this.backlogTexts = options.backlogTexts ?? BUDGET.backlogTexts;
  }

  /**
   * Starts the encoder (the model loads in its own thread meanwhile) and reads the vectors saved in
   * `cacheDir` (or `options.file`) in the background: nothing waits for them, a question before they
   * are read embeds its sentences, and {@link warm} starts once they are in.
   */
  static open(
    cacheDir: string,
    logger?: Logger,
    options: { readonly file?: string; readonly limit?: number; readonly deadlineMs?: number; readonly backlogTexts?: number } = {},
  ): SemanticRanker {
    const file = options.file ?? vectorsFile(cacheDir);
    const ranker = new SemanticRanker(new WorkerEmbedder(), {
      file,
      vectors: new SentenceVectors(DIMENSIONS, options.limit),
      ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
      ...(options.backlogTexts === undefined ? {} : { backlogTexts: options.backlogTexts }),
      ...(logger ? { logger } : {}),
    });
    ranker.loaded = SentenceVectors.load(file, DIMENSIONS, ranker.vectors.limit).then(
      ({ vectors, ignored }) => {
        if (ignored !== null) logger?.warn({ file }, `sentence vectors not loaded (${ignored}); they will be computed again`);
        ranker.vectors.absorb(vectors);
      },
      (err: unknown) => logger?.warn({ err, file }, 'sentence vectors not loaded; they will be computed again'),
    );
    ranker.warming = ranker.loaded;
    return ranker;
  }

  /** The answer with its passages re-ranked, at most `top`; the lexical order when the encoder fails or is late. */
  async rerank(question: string, answer: Answer, top: number): Promise<Answer> {
    const lexical = (): Answer => ({ ...answer, passages: answer.passages.slice(0, top) });
    if (answer.abstained || answer.passages.length < 2 || this.closed) return lexical();
    if (this.embedder.pending > this.backlogTexts) {
      this.options.logger?.debug({ pending: this.embedder.pending }, 'the sentence encoder is backed up; answering by words alone');
      return lexical();
    }
    const pool = sentencePool(answer);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.deadlineMs);
    });
    try {
      const vectors = await Promise.race([
        this.vectorsFor(
          question,
          pool.map((entry) => entryText(answer, entry)),
        ),
        late,
      ]);
      if (vectors === null) {
        this.options.logger?.debug({ deadlineMs: this.deadlineMs }, 'the sentence encoder was late; answering by words alone');
        return lexical();
      }
      const [q, sentences] = vectors;
      return rerank(answer, top, (entry) => {
        const vector = sentences.get(entryText(answer, entry));
        return vector === undefined ? 0 : cosine(q, vector);
      });
    } catch (err) {
      if (!this.warned) this.options.logger?.warn({ err }, 'the sentence encoder failed; answering by words alone');
      this.warned = true;
      return lexical();
    } finally {
      clearTimeout(timer);
    }
  }

  /** The question's vector and the sentences' (as {@link encoderText}), embedding in one batch what is not known yet. */
  private async vectorsFor(
    question: string,
    sentences: readonly string[],
  ): Promise<[Float32Array, Map<string, Float32Array | StoredVector>]> {
    const known = new Map<string, Float32Array | StoredVector>();
    const missing = new Set<string>();
    for (const text of sentences) {
      const vector = this.vectors.get(text);
      if (vector === undefined) missing.add(text);
      else known.set(text, vector);
    }
    let q = this.questions.get(question);
    const texts = [...(q === undefined ? [question] : []), ...missing];
    if (texts.length > 0) {
      const rows = await this.embedder.embed(texts);
      if (q === undefined) {
        q = rows.shift();
        if (q === undefined) throw new Error('the sentence encoder returned no vector');
        this.questions.set(question, Float32Array.from(q));
        if (this.questions.size > BUDGET.questions) this.questions.delete(this.questions.keys().next().value ?? '');
      }
      [...missing].forEach((text, i) => {
        const row = rows[i];
        if (row === undefined) return;
        this.vectors.set(text, row);
        known.set(text, row);
      });
      if (missing.size > 0) this.saveSoon();
    }
    if (q === undefined) throw new Error('no question vector');
    return [q, known];
  }

  /**
   * Embeds the articles' sentences ahead of questions, a small batch at a time so questions are
   * served in between; up to {@link BUDGET.warmSentences}, the rest as questions need them. A new
   * call (a reload) waits for the one before to finish, then adds only what is new.
   */
  warm(articles: Iterable<Article>): Promise<void> {
    this.warming = this.warming.then(async () => {
      // Which sentences are new takes a digest of each (20,000 of them: ~40 ms): a slice per turn.
      const turns = new Turns();
      const missing: string[] = [];
      const seen = new Set<string>();
      collect: for (const article of articles) {
        for (const paragraph of article.paragraphs) {
          for (const sentence of paragraph.sentences) {
            if (seen.size >= BUDGET.warmSentences) break collect;
            const text = encoderText(article.title, sentence.text);
            if (seen.has(text)) continue;
            seen.add(text);
            if (!this.vectors.has(text)) missing.push(text);
          }
          if (turns.spent()) await turns.next();
        }
      }
      for (let at = 0; at < missing.length && !this.closed; at += BUDGET.warmBatch) {
        await this.whileHeld();
        if (this.closed) break;
        const batch = missing.slice(at, at + BUDGET.warmBatch);
        const rows = await this.embedder.embed(batch);
        batch.forEach((text, i) => {
          const row = rows[i];
          if (row !== undefined) this.vectors.set(text, row);
        });
        // A long warm-up cut short by a restart keeps what it did.
        this.saveSoon();
      }
      if (missing.length > 0) await this.save();
    });
    this.warming = this.warming.catch((err: unknown) => {
      this.options.logger?.warn({ err }, 'could not embed the corpus sentences ahead of questions');
    });
    return this.warming;
  }

  /**
   * Stops warming between batches until the returned function is called (once; later calls do
   * nothing); questions are served meanwhile. A reload holds it while its worker thread indexes: on
   * two cores, warming beside the worker and the thread answering Discord slowed replies past 100 ms.
   */
  holdWarming(): () => void {
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0) for (const resume of this.unheld.splice(0)) resume();
    };
  }

  private async whileHeld(): Promise<void> {
    if (this.holds > 0) await new Promise<void>((resolve) => this.unheld.push(resolve));
  }

  private saveSoon(): void {
    if (this.saveTimer !== undefined || this.options.file === undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, BUDGET.saveAfterMs);
    this.saveTimer.unref();
  }

  /** Saves new vectors now (a failure is logged: they are computed again next time). */
  async save(): Promise<void> {
    const file = this.options.file;
    if (file === undefined) return;
    await this.loaded;
    try {
      await this.vectors.save(file);
    } catch (err) {
      this.options.logger?.warn({ err, file }, 'could not save the sentence vectors');
    }
  }

  /** Saves what is new and stops the encoder. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.save();
    await this.embedder.close();
  }
}
