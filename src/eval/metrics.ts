import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Answer } from '../search/engine.js';

const questionSchema = z.object({
  id: z.string(),
  kind: z.string(),
  q: z.string(),
  gold: z.array(z.string()),
});

/** One evaluation question: gold substrings of the article, empty when it should abstain. */
export type EvalQuestion = z.infer<typeof questionSchema>;

/** Reads a JSONL question file, naming the line of any malformed entry. */
export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  const questions: EvalQuestion[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const parsed = questionSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    questions.push(parsed.data);
  });
  return questions;
}

/** The metrics the eval README defines. */
export interface EvalReport {
  readonly answerable: number;
  readonly unanswerable: number;
  readonly passageAt1: number;
  readonly passageAt3: number;
  readonly sentenceAt1: number;
  readonly abstained: number;
  readonly falseAbstentions: number;
  readonly misses: readonly { id: string; q: string; problem: string }[];
}

const contains = (text: string, gold: readonly string[]): boolean => gold.some((g) => text.includes(g));

/** Scores answers against their questions. */
export function score(questions: readonly EvalQuestion[], answers: readonly Answer[]): EvalReport {
  let answerable = 0,
    unanswerable = 0,
    p1 = 0,
    p3 = 0,
    s1 = 0,
    abstained = 0,
    falseAbstentions = 0;
  const misses: { id: string; q: string; problem: string }[] = [];
  questions.forEach((question, i) => {
    const answer = answers[i];
    if (!answer) throw new Error(`no answer for question ${question.id}`);
    if (question.gold.length === 0) {
      unanswerable += 1;
      if (answer.abstained) abstained += 1;
      else misses.push({ id: question.id, q: question.q, problem: `answered ¶${answer.passages[0]?.paragraph}` });
      return;
    }
    answerable += 1;
    if (answer.abstained) {
      falseAbstentions += 1;
      misses.push({ id: question.id, q: question.q, problem: `abstained (${answer.reason})` });
      return;
    }
    const first = answer.passages[0];
    if (first && contains(first.text, question.gold)) p1 += 1;
    else misses.push({ id: question.id, q: question.q, problem: `passage ¶${first?.paragraph}` });
    if (answer.passages.slice(0, 3).some((p) => contains(p.text, question.gold))) p3 += 1;
    if (first && contains(first.sentence.text, question.gold)) s1 += 1;
    else if (first && contains(first.text, question.gold))
      misses.push({ id: question.id, q: question.q, problem: `sentence: ${first.sentence.text.slice(0, 60)}…` });
  });
  const rate = (n: number): number => (answerable === 0 ? 0 : n / answerable);
  return {
    answerable,
    unanswerable,
    passageAt1: rate(p1),
    passageAt3: rate(p3),
    sentenceAt1: rate(s1),
    abstained,
    falseAbstentions,
    misses,
  };
}

/** The report as the lines `npm run eval` prints. */
export function formatReport(report: EvalReport): string {
  const f = (x: number): string => x.toFixed(2);
  return [
    `passage@1        ${f(report.passageAt1)}`,
    `passage@3        ${f(report.passageAt3)}`,
    `sentence@1       ${f(report.sentenceAt1)}`,
    `abstention       ${report.abstained}/${report.unanswerable}`,
    `false abstention ${report.falseAbstentions}/${report.answerable}`,
  ].join('\n');
}
