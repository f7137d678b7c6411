import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../worker.js';
import type { EmbedReply, EmbedRequest } from './embed-worker.js';

/** Turns texts into vectors of one fixed length; vectors of similar meaning point the same way. */
export interface Embedder {
  /** One vector per text, in order. Rejects when the encoder failed or was closed. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Texts waiting or being embedded now: what a new request would queue behind. */
  readonly pending: number;
  close(): Promise<void>;
}

/** Texts per message to the encoder's thread: a batch is faster per text, but holds the queue longer. */
const BATCH = 32;

/**
 * The Universal Sentence Encoder (lite, 512 dimensions) in a worker thread of its own, started at
 * once so the model loads while the rest of the bot starts. Requests queue in order.
 */
export class WorkerEmbedder implements Embedder {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (rows: Float32Array[]) => void; reject: (err: Error) => void; size: number }>();
  private failure: Error | undefined;
  pending = 0;

  constructor() {
    this.worker = startWorker(import.meta.url, './embed-worker', null);
    // An idle encoder must not keep a finished process (a CLI, a test) alive.
    this.worker.unref();
    this.worker.on('message', (reply: EmbedReply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the sentence encoder's thread exited with code ${code}`)));
  }

  private settle(reply: EmbedReply): void {
    const waiter = this.waiting.get(reply.id);
    if (waiter === undefined) return;
    this.waiting.delete(reply.id);
    this.pending -= waiter.size;
    if ('error' in reply) {
      waiter.reject(new Error(`the sentence encoder failed: ${reply.error}`));
      return;
    }
    const rows: Float32Array[] = [];
    for (let i = 0; i < waiter.size; i += 1) rows.push(reply.vectors.subarray(i * reply.dimensions, (i + 1) * reply.dimensions));
    waiter.resolve(rows);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
    this.pending = 0;
  }

  private request(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    this.pending += texts.length;
    // Held only while a request is out, so a waiting caller keeps the process alive, an idle one does not.
    this.worker.ref();
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, size: texts.length });
      const request: EmbedRequest = { id, texts };
      this.worker.postMessage(request);
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const batches: Promise<Float32Array[]>[] = [];
    for (let at = 0; at < texts.length; at += BATCH) batches.push(this.request(texts.slice(at, at + BATCH)));
    return (await Promise.all(batches)).flat();
  }

  async close(): Promise<void> {
    this.fail(new Error('the sentence encoder was closed'));
    await this.worker.terminate();
  }
}
