/**
 * `npm run bench:study`: how long the study tools take on every article of the shared SQuAD files (or
 * the files given) and the seed corpus: the brief, a first quiz (facts found and checked), a quiz button
 * press as the bot handles it (the quiz made again from cached candidates), and the map (layout, SVG,
 * PNG). Writes bench/results/study.md. Targets (p99): a press under 50 ms and a first quiz under 1 s
 * (both answered without deferral, within Discord’s 3 s), the brief under 250 ms (once per article and
 * corpus version: it is cached), the map under 1 s
 * (it is deferred).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadCommands } from '../commands/index.js';
import { COMPONENTS } from '../src/bot/components.js';
import { Router } from '../src/bot/router.js';
import { Cooldown } from '../src/bot/cooldown.js';
import type { Article } from '../src/corpus/types.js';
import { buildDirectory } from '../src/entities/index.js';
import { libraryFrom } from '../src/library.js';
import { SearchEngine } from '../src/search/engine.js';
import { openCorpus } from '../src/search/open.js';
import { brief } from '../src/study/brief.js';
import { renderMap } from '../src/study/picture.js';
import { readSquad } from '../src/eval/squad.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_FILES = ['../shared/eval/squad/squad-v2.0-dev-12-articles.json', '../shared/eval/squad/squad-v1.1-train-44-articles.json'];

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function timed<T>(work: () => T | Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(argv: readonly string[]): Promise<void> {
  const files = argv.length > 0 ? argv : DEFAULT_FILES.filter((file) => existsSync(path.join(ROOT, file)));
  const seed = await openCorpus(path.join(ROOT, 'corpus'));
  const readings: (readonly Article[])[] = [seed.articles];
  for (const file of files) for (const article of (await readSquad(path.join(ROOT, file))).articles) readings.push([article]);
  const times = { brief: [] as number[], firstQuiz: [] as number[], press: [] as number[], map: [] as number[] };
  const logger = pino({ level: 'silent' });
  let kinds = new Map<string, number>();
  // The first round warms up the JIT and the font cache and is not counted.
  for (const [round, articles] of [readings[0] as readonly Article[], ...readings].entries()) {
    if (round === 1) {
      for (const list of Object.values(times)) list.length = 0;
      kinds = new Map();
    }
    const library = libraryFrom(SearchEngine.build(articles, seed.aliases), buildDirectory(articles));
    const router = new Router(loadCommands(), COMPONENTS, { library: () => library, logger }, new Cooldown(1_000_000, 1));
    const article = articles[0] as Article;
    times.brief.push(await timed(() => brief(article)));
    let ids: string[] = [];
    times.firstQuiz.push(
      await timed(() => {
        const response = router.command({
          commandName: 'quiz',
          user: { id: '1', name: 'host' },
          guildId: '2',
          options: new Map([['questions', 10]]),
        });
        if (response.kind === 'reply')
          ids = response.payload.components.flatMap((row) => row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id] : [])));
      }),
    );
    for (let i = 0; i < 20 && ids.length > 0; i++) {
      const customId = ids[i % 4] as string;
      times.press.push(
        await timed(() => {
          const response = router.component({
            customId,
            user: { id: String(100 + i), name: `p${i}` },
            message: { content: '', embeds: [] },
          });
          kinds.set(response.kind, (kinds.get(response.kind) ?? 0) + 1);
        }),
      );
    }
    times.map.push(await timed(() => renderMap(article, library.directory)));
  }
  const rows = Object.entries(times).map(([name, values]) => ({
    name,
    n: values.length,
    p50: percentile(values, 0.5),
    p99: percentile(values, 0.99),
    max: Math.max(...values),
  }));
  const limit: Record<string, number> = { brief: 250, firstQuiz: 1000, press: 50, map: 1000 };
  const lines = [
    `# Study tools benchmark`,
    '',
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0]?.model ?? 'cpu'} · ${os.cpus().length} cores · Node ${process.version} · ${readings.length} articles (the seed corpus and ${files.join(', ') || 'no SQuAD file'})`,
    '',
    '| step | runs | p50 ms | p99 ms | max ms | target | result |',
    '|---|---:|---:|---:|---:|---|---|',
    ...rows.map((row) => {
      const target = limit[row.name];
      return `| ${row.name} | ${row.n} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.max.toFixed(1)} | ${target ? `p99 < ${target} ms` : '—'} | ${target ? (row.p99 < target ? 'PASS' : 'FAIL') : ''} |`;
    }),
    '',
    `firstQuiz is \`/quiz questions: 10\` on an article no quiz has used yet (its facts found and checked); press is an option button, the quiz made again from the cached candidates (responses: ${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')}).`,
  ];
  await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(ROOT, 'bench', 'results', 'study.md'), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (rows.some((row) => limit[row.name] !== undefined && row.p99 >= (limit[row.name] as number))) process.exitCode = 1;
}

void main(process.argv.slice(2));
