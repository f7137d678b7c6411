import { readFile } from 'node:fs/promises';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { parseArticle } from '../corpus/parse.js';
import type { Article } from '../corpus/types.js';
import type { Answer } from '../search/engine.js';

const squadSchema = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          // A file of paragraphs without questions (a test fixture) is still a set of articles.
          qas: z
            .array(
              z.object({
                id: z.string(),
                question: z.string(),
                answers: z.array(z.object({ text: z.string() })),
                is_impossible: z.boolean().optional(),
              }),
            )
            .default([]),
        }),
      ),
    }),
  ),
});

/** One SQuAD question, placed in the corpus made from its file. */
export interface SquadQuestion {
  readonly id: string;
  readonly question: string;
  readonly articleId: string;
  /** The paragraph the question was written on: ¶(its index + 1). */
  readonly paragraph: number;
  /** Gold answer texts, whitespace collapsed; empty when the question is unanswerable. */
  readonly answers: readonly string[];
}

/** A SQuAD file as corpus articles and the questions asked about them. */
export interface SquadSet {
  readonly articles: readonly Article[];
  readonly questions: readonly SquadQuestion[];
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Reads a SQuAD JSON file into articles the way the eval README defines: one corpus file per article,
 * front matter `title:` (underscores as spaces), then its paragraphs in order, whitespace collapsed.
 * The text goes through the corpus parser, so the articles are exactly what the bot would index.
 */
export async function readSquad(file: string): Promise<SquadSet> {
  const parsed = squadSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`${file}: not a SQuAD file (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  const articles: Article[] = [];
  const questions: SquadQuestion[] = [];
  for (const entry of parsed.data.data) {
    const title = entry.title.replace(/_/g, ' ');
    const name = `${
      title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'article'
    }.md`;
    const body = entry.paragraphs.map((p) => collapse(p.context)).join('\n\n');
    const article = parseArticle(name, `---\ntitle: ${JSON.stringify(title)}\n---\n\n${body}\n`);
    if (article.paragraphs.length !== entry.paragraphs.length) {
      throw new Error(`${file}: "${title}" parsed into ${article.paragraphs.length} paragraphs, not ${entry.paragraphs.length}`);
    }
    articles.push(article);
    entry.paragraphs.forEach((p, i) => {
      for (const qa of p.qas) {
        const impossible = qa.is_impossible === true || qa.answers.length === 0;
        questions.push({
          id: qa.id,
          question: qa.question,
          articleId: article.id,
          paragraph: i + 1,
          answers: impossible ? [] : [...new Set(qa.answers.map((a) => collapse(a.text)))],
        });
      }
    });
  }
  return { articles, questions };
}

/** What one answer scored, by the SQuAD README's rules. */
export interface SquadOutcome {
  readonly question: SquadQuestion;
  readonly passageAt1: boolean;
  readonly passageAt3: boolean;
  readonly sentenceAt1: boolean;
  readonly abstained: boolean;
  /** The first answer's place, or null when it abstained. */
  readonly got: { articleId: string; paragraph: number; sentence: string } | null;
}

/** Scores one answer: the first passage must be the question's own paragraph, its sentence must hold a gold text. */
export function scoreSquad(question: SquadQuestion, answer: Answer): SquadOutcome {
  const at = (i: number) => {
    const p = answer.passages[i];
    return p !== undefined && p.article.id === question.articleId && p.paragraph === question.paragraph;
  };
  const first = answer.passages[0];
  const passageAt1 = !answer.abstained && at(0);
  return {
    question,
    passageAt1,
    passageAt3: !answer.abstained && (at(0) || at(1) || at(2)),
    sentenceAt1: passageAt1 && first !== undefined && question.answers.some((gold) => collapse(first.sentence.text).includes(gold)),
    abstained: answer.abstained,
    got:
      first === undefined || answer.abstained
        ? null
        : { articleId: first.article.id, paragraph: first.paragraph, sentence: first.sentence.text },
  };
}

/** Totals over outcomes: rates over the answerable questions, counts for the unanswerable. */
export interface SquadTotals {
  readonly answerable: number;
  readonly unanswerable: number;
  readonly passageAt1: number;
  readonly passageAt3: number;
  readonly sentenceAt1: number;
  readonly falseAbstentions: number;
  readonly abstainedUnanswerable: number;
}

export function totals(outcomes: readonly SquadOutcome[]): SquadTotals {
  const answerable = outcomes.filter((o) => o.question.answers.length > 0);
  const unanswerable = outcomes.length - answerable.length;
  const rate = (pick: (o: SquadOutcome) => boolean): number =>
    answerable.length === 0 ? 0 : answerable.filter(pick).length / answerable.length;
  return {
    answerable: answerable.length,
    unanswerable,
    passageAt1: rate((o) => o.passageAt1),
    passageAt3: rate((o) => o.passageAt3),
    sentenceAt1: rate((o) => o.sentenceAt1),
    falseAbstentions: answerable.filter((o) => o.abstained).length,
    abstainedUnanswerable: outcomes.filter((o) => o.question.answers.length === 0 && o.abstained).length,
  };
}

/**
 * The README's baseline: `new MiniSearch({ fields: ['text'] })` over the paragraphs, `search(question)`;
 * its passage@1 and passage@3 (it has no sentence and never abstains).
 */
export function plainMiniSearch(
  articles: readonly Article[],
  questions: readonly SquadQuestion[],
): { passageAt1: number; passageAt3: number } {
  const index = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
  index.addAll(articles.flatMap((a) => a.paragraphs.map((p) => ({ id: `${a.id}#${p.number}`, text: p.text }))));
  const answerable = questions.filter((q) => q.answers.length > 0);
  let p1 = 0;
  let p3 = 0;
  for (const q of answerable) {
    const ids = index
      .search(q.question)
      .slice(0, 3)
      .map((r) => String(r.id));
    const gold = `${q.articleId}#${q.paragraph}`;
    if (ids[0] === gold) p1 += 1;
    if (ids.includes(gold)) p3 += 1;
  }
  const n = Math.max(1, answerable.length);
  return { passageAt1: p1 / n, passageAt3: p3 / n };
}
