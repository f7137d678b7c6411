import { ButtonStyle, type APIButtonComponent } from 'discord-api-types/v10';
import type { Article } from '../corpus/types.js';
import type { QuizScore, Tally } from '../bot/quizzes.js';
import type { FactKind } from '../study/facts.js';
import type { QuizItem } from '../study/quiz.js';
import { shortHash } from '../study/random.js';
import { COLORS, button, message } from './build.js';
import { LIMITS, escapeMarkdown, escapeUserText, truncate } from './limits.js';
import { attributionInert } from './plain.js';
import type { MessagePayload } from './types.js';

/** Custom-id prefix of every quiz button. */
export const QUIZ_PREFIX = 'quiz';

/**
 * What a quiz button carries: the article (a hash of its id), the version of the quiz (a hash of its
 * questions, so a changed article cannot be scored against the old question), the seed, the question
 * and the quiz length, and for an option the option's index. From these the question is made again, exactly as it was asked.
 */
export interface QuizRef {
  readonly article: string;
  readonly version: string;
  readonly seed: number;
  readonly question: number;
  readonly of: number;
}

/** A pressed quiz button. */
export type QuizPress = ({ readonly action: 'answer'; readonly choice: number } | { readonly action: 'next' }) & QuizRef;

/** How a quiz button names its article: a hash of the id, found again among the library's articles. */
export function articleRef(article: Pick<Article, 'id'>): string {
  return shortHash(article.id);
}

/** The key a quiz's answers are kept under. */
export function quizKey(ref: Pick<QuizRef, 'article' | 'seed'>): string {
  return `${ref.article}:${ref.seed.toString(36)}`;
}

/** Only the reference part of a ref or a press, so a press's own action never leaks into new buttons. */
function refOf(ref: QuizRef): QuizRef {
  return { article: ref.article, version: ref.version, seed: ref.seed, question: ref.question, of: ref.of };
}

function refText(ref: QuizRef): string {
  return `${ref.article}:${ref.version}:${ref.seed.toString(36)}:${ref.question}:${ref.of}`;
}

/** Writes a quiz button's custom id (always well under Discord's 100 characters). */
export function quizCustomId(press: QuizPress): string {
  return press.action === 'answer' ? `${QUIZ_PREFIX}:a:${refText(press)}:${press.choice}` : `${QUIZ_PREFIX}:n:${refText(press)}`;
}

/** Reads a quiz button's custom id; null for anything malformed. */
export function parseQuizCustomId(customId: string): QuizPress | null {
  const match = /^quiz:(a|n):([0-9a-z]{1,7}):([0-9a-z]{1,7}):([0-9a-z]{1,11}):(\d{1,2}):(\d{1,2})(?::(\d))?$/.exec(customId);
  if (!match) return null;
  const [, action, article = '', version = '', seed = '', question = '', of = '', choice] = match;
  const ref = { article, version, seed: parseInt(seed, 36), question: Number(question), of: Number(of) };
  if (!Number.isSafeInteger(ref.seed) || ref.question < 1 || ref.question > ref.of) return null;
  if (action === 'a') return choice === undefined ? null : { action: 'answer', choice: Number(choice), ...ref };
  return choice === undefined ? { action: 'next', ...ref } : null;
}

const PROMPTS: Record<FactKind, string> = {
  person: 'Who fills the blank?',
  place: 'Which place fills the blank?',
  organization: 'Which organisation fills the blank?',
  year: 'Which year fills the blank?',
  date: 'Which date fills the blank?',
  number: 'Which number fills the blank?',
  percent: 'Which percentage fills the blank?',
  money: 'Which sum fills the blank?',
};

const BLANK = '＿＿＿＿';

/** The sentence with its blank, Markdown in the corpus text escaped. */
export function blankedSentence(item: QuizItem): string {
  return `${escapeMarkdown(item.sentence.slice(0, item.start))}${BLANK}${escapeMarkdown(item.sentence.slice(item.end))}`;
}

function revealedSentence(item: QuizItem): string {
  const s = item.sentence;
  return `${escapeMarkdown(s.slice(0, item.start))}**${escapeMarkdown(s.slice(item.start, item.end))}**${escapeMarkdown(s.slice(item.end))}`;
}

function where(article: Article, item: QuizItem): string {
  return attributionInert({ article, section: item.section, paragraph: item.paragraph });
}

function tallyLine(tally: Tally): string {
  return `**${tally.answered}** answered · **${tally.right}** right`;
}

/** What the previous question's answer was, shown above the next one. */
export interface Previous {
  readonly item: QuizItem;
  readonly tally: Tally;
}

/** The channel message of one question: the blanked sentence, four options, the counts, and "Next question". */
export function quizQuestionMessage(article: Article, item: QuizItem, ref: QuizRef, tally: Tally, previous?: Previous): MessagePayload {
  const options: APIButtonComponent[] = item.options.map((option, choice) =>
    button(quizCustomId({ ...refOf(ref), action: 'answer', choice }), option, ButtonStyle.Secondary),
  );
  const last = ref.question === ref.of;
  const next = button(
    quizCustomId({ ...refOf(ref), action: 'next' }),
    last ? 'Finish: show the scores' : 'Next question',
    ButtonStyle.Primary,
  );
  const before = previous
    ? `Question ${ref.question - 1}: the answer was **${escapeMarkdown(previous.item.options[previous.item.answer] ?? '')}** (¶${previous.item.paragraph}) · ${previous.tally.answered} answered, ${previous.tally.right} right\n\n`
    : '';
  return message({
    embeds: [
      {
        color: COLORS.info,
        title: truncate(`Quiz · question ${ref.question} of ${ref.of}`, LIMITS.embedTitle),
        description: `${before}> ${blankedSentence(item)}\n\n${PROMPTS[item.kind]} Your answer is shown only to you.\n\n${tallyLine(tally)}`,
        footer: { text: article.title },
      },
    ],
    rows: [options, [next]],
  });
}

/** The result only the member who pressed sees: right or wrong, then the sentence with its attribution. */
export function quizResultMessage(article: Article, item: QuizItem, choice: number, again = false): MessagePayload {
  const right = choice === item.answer;
  const answer = escapeMarkdown(item.options[item.answer] ?? '');
  const chosen = escapeMarkdown(item.options[choice] ?? '');
  const verdict = right ? `Right: **${answer}**.` : `Not quite: you chose ${chosen}; the answer is **${answer}**.`;
  return message({
    embeds: [
      {
        color: right ? COLORS.info : COLORS.abstain,
        title: again ? 'You already answered this one' : right ? 'Right!' : 'Not quite',
        description: `${verdict}\n\n> ${revealedSentence(item)}`,
        footer: { text: where(article, item) },
      },
    ],
    ephemeral: true,
  });
}

/** The end of a quiz: the last answer and a short scoreboard by display name (escaped, so nobody is pinged). */
export function quizScoreboard(article: Article, of: number, scores: readonly QuizScore[], previous?: Previous): MessagePayload {
  const lines = scores.slice(0, 15).map((score, i) => `${i + 1}. ${truncate(escapeUserText(score.name), 40)}: ${score.right} of ${of}`);
  const more = scores.length > 15 ? `\n…and ${scores.length - 15} more` : '';
  const before = previous
    ? `Question ${of}: the answer was **${escapeMarkdown(previous.item.options[previous.item.answer] ?? '')}** (¶${previous.item.paragraph}) · ${previous.tally.answered} answered, ${previous.tally.right} right\n\n`
    : '';
  return message({
    embeds: [
      {
        color: COLORS.info,
        title: `Quiz over · ${of} question${of === 1 ? '' : 's'}`,
        description: `${before}${lines.length > 0 ? `**Scores**\n${lines.join('\n')}${more}` : 'Nobody answered.'}`,
        footer: { text: article.title },
      },
    ],
  });
}
