import { articleDirectory } from '../study/directory.js';
import type { Article } from '../corpus/types.js';
import type { Library } from '../library.js';
import { COLORS, notice } from '../reply/build.js';
import {
  QUIZ_PREFIX,
  parseQuizCustomId,
  quizKey,
  quizQuestionMessage,
  quizResultMessage,
  quizScoreboard,
  type QuizRef,
} from '../reply/quiz.js';
import type { Response } from '../reply/types.js';
import { makeQuiz, type QuizItem } from '../study/quiz.js';
import { shortHash } from '../study/random.js';
import { QuizBoard } from './quizzes.js';
import type { BotContext, PrefixedComponentHandler } from './types.js';

const fallbackBoard = new QuizBoard();

/** The quiz board of a context: its own, or one shared by contexts that bring none. */
export function boardOf(context: BotContext): QuizBoard {
  return context.quizzes ?? fallbackBoard;
}

/**
 * A fingerprint of a quiz's questions. The buttons carry it, so a press after the article (or the
 * directory it is read with) has changed is refused rather than scored against a different question.
 */
export function quizVersion(items: readonly QuizItem[]): string {
  return shortHash(items.map((item) => `${item.paragraph}.${item.sentenceIndex}.${item.start}.${item.options.join('|')}`).join('\n'));
}

const reply = (text: string, color: number = COLORS.abstain): Response => ({ kind: 'reply', payload: notice(text, color) });

/** The quiz a button belongs to, made again from what its id carries; null when it can no longer be. */
function rebuild(library: Library, ref: QuizRef): { article: Article; items: QuizItem[] } | null {
  const article = library.articles.find((candidate) => shortHash(candidate.id) === ref.article);
  if (!article) return null;
  const items = makeQuiz(article, articleDirectory(article), ref.seed, ref.of);
  return items.length === ref.of && quizVersion(items) === ref.version ? { article, items } : null;
}

/** Option and "Next question" buttons of `/quiz`. */
export const quizButtons: PrefixedComponentHandler = {
  prefix: QUIZ_PREFIX,
  handle(request, context) {
    const press = parseQuizCustomId(request.customId);
    if (!press) return reply('That quiz button is not one the bot made. Start a quiz with `/quiz`.');
    const quiz = rebuild(context.library(request.guildId ?? null), press);
    if (!quiz) return reply('The article has changed since this quiz began, so its questions are gone. Start a new one with `/quiz`.');
    const { article, items } = quiz;
    const board = boardOf(context);
    const key = quizKey(press);
    const item = items[press.question - 1] as QuizItem;
    const before = items[press.question - 2];
    const previousTally = before ? board.tally(key, press.question - 1) : null;
    const previous = before && previousTally ? { item: before, tally: previousTally } : undefined;

    if (press.action === 'answer') {
      const user = { id: request.user.id, name: request.user.displayName ?? request.user.name };
      const result = board.answer(key, press.question, user, press.choice, press.choice === item.answer);
      switch (result.kind) {
        case 'expired':
          return reply('This quiz has ended or expired. Start a new one with `/quiz`.');
        case 'closed':
          return reply('That question has closed; the quiz has moved on.');
        case 'full':
          return reply('This quiz has as many players as it can keep. Start your own with `/quiz`.');
        case 'already':
          return { kind: 'reply', payload: quizResultMessage(article, item, result.previous.choice, true) };
        case 'recorded':
          return {
            kind: 'update',
            payload: quizQuestionMessage(article, item, press, result, previous),
            followUp: quizResultMessage(article, item, press.choice),
          };
      }
    }

    const tally = board.tally(key, press.question) ?? { answered: 0, right: 0 };
    switch (board.advance(key, press.question, request.user.id)) {
      case 'expired':
        return reply('This quiz has ended or expired. Start a new one with `/quiz`.');
      case 'not-owner':
        return reply('Only the member who started this quiz can move it on. Answer with the option buttons.');
      case 'stale':
        return reply('The quiz has already moved on.');
      case 'advanced':
        break;
    }
    const done = { item, tally };
    if (press.question === press.of) {
      const scores = board.scores(key) ?? [];
      board.finish(key);
      return { kind: 'update', payload: quizScoreboard(article, press.of, scores, done) };
    }
    const next = items[press.question] as QuizItem;
    return {
      kind: 'update',
      payload: quizQuestionMessage(article, next, { ...press, question: press.question + 1 }, { answered: 0, right: 0 }, done),
    };
  },
};
