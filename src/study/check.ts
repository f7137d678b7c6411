import type { Article } from '../corpus/types.js';
import type { Directory } from '../entities/index.js';
import { fold } from '../text/fold.js';
import { articleEntities, contentWords, findForm } from './facts.js';
import { findQuantities, quantityKindOf } from './numbers.js';
import { MAX_QUESTIONS, OPTIONS, makeQuiz, type QuizItem } from './quiz.js';

/** The mechanical checks every question must pass, by name. */
export const CHECKS = [
  'blank is a whole span of the article sentence',
  'answer is the blanked span',
  'answer not given away by the sentence',
  'distractors are of the same kind',
  'distractors come from the same reading',
  'no distractor is in the sentence',
  'no second correct answer',
  'four distinct options',
] as const;
export type CheckName = (typeof CHECKS)[number];

/** What an option names: an entity of the article by its name, or a quantity the article writes. */
interface Reading {
  readonly article: Article;
  readonly text: string;
  readonly entityByName: ReadonlyMap<string, { kind: string; forms: string[] }>;
}

function reading(article: Article, directory: Directory): Reading {
  const entityByName = new Map<string, { kind: string; forms: string[] }>();
  for (const { entity } of articleEntities(directory, article)) {
    entityByName.set(fold(entity.name), { kind: entity.kind, forms: [entity.name, ...entity.aliases] });
  }
  return { article, text: article.paragraphs.map((p) => p.text).join('\n'), entityByName };
}

/** The kind of an option, found afresh: an entity's kind by its name, else the quantity kind of the whole text. */
function kindOf(option: string, context: Reading): string | null {
  return context.entityByName.get(fold(option))?.kind ?? quantityKindOf(option);
}

function quantityKey(text: string): string | null {
  const only = findQuantities(text);
  return only.length === 1 && only[0] ? `${only[0].kind}:${only[0].key}` : null;
}

/**
 * The checks one question fails, found from the article text and the directory without the generator's
 * own bookkeeping: the span is in the sentence and the sentence in its paragraph; the right option
 * names the span; every option is of one kind, named or written in the article, absent from the
 * sentence, not the answer under another name; four options, none twice.
 */
export function checkItem(item: QuizItem, article: Article, directory: Directory, context = reading(article, directory)): CheckName[] {
  const failed = new Set<CheckName>();
  const paragraph = article.paragraphs[item.paragraph - 1];
  const span = item.sentence.slice(item.start, item.end);
  const before = item.sentence[item.start - 1] ?? ' ';
  const after = item.sentence[item.end] ?? ' ';
  if (
    !paragraph?.text.includes(item.sentence) ||
    span.trim() === '' ||
    span !== span.trim() ||
    /[\p{L}\p{N}]/u.test(before) ||
    /[\p{L}\p{N}]/u.test(after)
  )
    failed.add('blank is a whole span of the article sentence');

  const answer = item.options[item.answer];
  const answerKind = answer === undefined ? null : kindOf(answer, context);
  const answerEntity = answer === undefined ? undefined : context.entityByName.get(fold(answer));
  const spanNamesAnswer = answerEntity
    ? answerEntity.forms.some((form) => fold(form) === fold(span))
    : answer !== undefined && quantityKey(answer) !== null && quantityKey(answer) === quantityKey(span);
  if (answer === undefined || answerKind === null || !spanNamesAnswer) failed.add('answer is the blanked span');

  const rest = `${item.sentence.slice(0, item.start)} ${item.sentence.slice(item.end)}`;
  const restWords = contentWords(rest);
  const answerForms = answerEntity ? answerEntity.forms : [span];
  if (answerForms.some((form) => findForm(rest, form) >= 0)) failed.add('answer not given away by the sentence');
  item.options.forEach((option, i) => {
    if (i === item.answer) return;
    if (kindOf(option, context) !== answerKind) failed.add('distractors are of the same kind');
    const entity = context.entityByName.get(fold(option));
    if (entity ? false : !context.text.includes(option)) failed.add('distractors come from the same reading');
    const forms = entity ? entity.forms : [option];
    if ([...contentWords(option)].some((word) => restWords.has(word)) || forms.some((form) => findForm(item.sentence, form) >= 0))
      failed.add('no distractor is in the sentence');
    const sameAsAnswer = entity
      ? entity.forms.some((form) => fold(form) === fold(span)) || (answerEntity !== undefined && entity === answerEntity)
      : quantityKey(option) !== null && quantityKey(option) === quantityKey(span);
    if (sameAsAnswer) failed.add('no second correct answer');
  });
  if (item.options.length !== OPTIONS || new Set(item.options.map(fold)).size !== OPTIONS) failed.add('four distinct options');
  return CHECKS.filter((check) => failed.has(check));
}

/** The figures of `npm run quiz -- --check` for one article. */
export interface ArticleCheck {
  readonly id: string;
  readonly title: string;
  readonly paragraphs: number;
  readonly items: number;
  readonly passed: number;
  /** Distinct paragraphs the items come from. */
  readonly paragraphsCovered: number;
  /** Distinct questions among the items (seeds repeat some on a short reading). */
  readonly distinct: number;
  readonly failures: Partial<Record<CheckName, number>>;
  readonly kinds: Record<string, number>;
  /** One failing item per failed check, for reading. */
  readonly examples: { check: CheckName; item: QuizItem }[];
}

/**
 * Generates `target` items for an article from quizzes of successive seeds (ten questions each, as
 * `/quiz` makes them) and checks each; stops early when the article makes no question at all.
 */
export function checkArticle(article: Article, directory: Directory, target = 100): ArticleCheck {
  const context = reading(article, directory);
  const items: QuizItem[] = [];
  for (let seed = 1; items.length < target && seed <= target * 4; seed++) {
    const quiz = makeQuiz(article, directory, seed, MAX_QUESTIONS);
    if (quiz.length === 0) break;
    items.push(...quiz.slice(0, target - items.length));
  }
  const failures: Partial<Record<CheckName, number>> = {};
  const kinds: Record<string, number> = {};
  const examples: { check: CheckName; item: QuizItem }[] = [];
  let passed = 0;
  for (const item of items) {
    kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
    const failed = checkItem(item, article, directory, context);
    if (failed.length === 0) passed++;
    for (const check of failed) {
      failures[check] = (failures[check] ?? 0) + 1;
      if (!examples.some((example) => example.check === check)) examples.push({ check, item });
    }
  }
  return {
    id: article.id,
    title: article.title,
    paragraphs: article.paragraphs.length,
    items: items.length,
    passed,
    paragraphsCovered: new Set(items.map((item) => item.paragraph)).size,
    distinct: new Set(items.map((item) => `${item.paragraph}:${item.sentenceIndex}:${item.start}`)).size,
    failures,
    kinds,
    examples,
  };
}
