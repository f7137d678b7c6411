import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { buildDirectory } from '../../src/entities/index.js';
import { brief } from '../../src/study/brief.js';
import { buildGraph } from '../../src/study/graph.js';
import { overlaps } from '../../src/study/layout.js';
import { drawMap, renderMap } from '../../src/study/picture.js';
import { readSquad } from '../../src/eval/squad.js';

const readings = async () => [
  ...(await loadCorpus('test/fixtures/corpus-two')).articles,
  ...(await readSquad('test/fixtures/squad-two-articles.json')).articles,
];

describe('in brief', () => {
  it('gives three to five distinct sentences of the article, in reading order, each with its paragraph', async () => {
    for (const article of await readings()) {
      const sentences = brief(article);
      expect(sentences.length, article.title).toBeGreaterThanOrEqual(3);
      expect(sentences.length, article.title).toBeLessThanOrEqual(5);
      expect(new Set(sentences.map((s) => s.text)).size).toBe(sentences.length);
      for (const s of sentences) expect(article.paragraphs[s.paragraph - 1]?.sentences[s.sentenceIndex]?.text).toBe(s.text);
      const order = sentences.map((s) => s.paragraph * 1000 + s.sentenceIndex);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('prefers the sentences most like the rest of the article', async () => {
    const article = (await readings())[0]!;
    const chosen = new Set(brief(article).map((s) => s.text));
    const all = article.paragraphs.flatMap((p) => p.sentences.map((s) => s.text)).filter((t) => t.split(/\s+/).length >= 6);
    const words = (t: string) => new Set(t.toLowerCase().match(/[a-z]{4,}/g) ?? []);
    const shared = (t: string) => all.filter((o) => o !== t && [...words(t)].some((w) => words(o).has(w))).length;
    const mean = (list: string[]) => list.reduce((sum, t) => sum + shared(t), 0) / list.length;
    expect(mean([...chosen])).toBeGreaterThan(mean(all.filter((t) => !chosen.has(t))));
  });
});

describe('map', () => {
  it('draws the same picture for the same article, every label clear of every other label and node, inside the picture', async () => {
    const all = await readings();
    for (const article of all) {
      const directory = buildDirectory([article]);
      const first = drawMap(article, directory);
      expect(drawMap(article, directory).svg).toBe(first.svg);
      const { layout } = first;
      const boxes = layout.nodes.flatMap((p) => [
        { x: p.x - p.radius, y: p.y - p.radius, width: 2 * p.radius, height: 2 * p.radius },
        p.label,
      ]);
      for (const [i, a] of boxes.entries()) {
        expect(a.x, article.title).toBeGreaterThanOrEqual(0);
        expect(a.y).toBeGreaterThanOrEqual(layout.header - 1);
        expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
        expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
        // A node and its own label touch by design; every other pair must be apart.
        for (const [j, b] of boxes.entries())
          if (j > i && Math.floor(i / 2) !== Math.floor(j / 2)) expect(overlaps(a, b), article.title).toBe(false);
      }
    }
  });

  it('sizes nodes by mentions and joins entries named in the same paragraph', async () => {
    const corpus = (await loadCorpus('test/fixtures/corpus-two')).articles;
    const graph = buildGraph(corpus[0]!, buildDirectory(corpus));
    const mentions = graph.nodes.map((n) => n.mentions);
    expect(mentions).toEqual([...mentions].sort((a, b) => b - a));
    expect(graph.edges.length).toBeGreaterThan(0);
    const { layout } = drawMap(corpus[0]!, buildDirectory(corpus));
    const radius = new Map(layout.nodes.map((p) => [p.node.id, p.radius]));
    const most = graph.nodes[0]!;
    const least = graph.nodes.at(-1)!;
    if (most.mentions > least.mentions) expect(radius.get(most.id)).toBeGreaterThan(radius.get(least.id)!);
  });

  it('rasterises to a PNG at the layout size', async () => {
    const corpus = (await loadCorpus('test/fixtures/corpus-two')).articles;
    const picture = await renderMap(corpus[1]!, buildDirectory(corpus));
    expect(picture.png.subarray(1, 4).toString()).toBe('PNG');
    expect(picture.png.readUInt32BE(16)).toBe(picture.layout.width);
    expect(picture.png.readUInt32BE(20)).toBe(picture.layout.height);
  });
});
