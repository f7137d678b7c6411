import { articleDirectory } from '../src/study/directory.js';
import { randomInt } from 'node:crypto';
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { ARTICLE_OPTION, articleChoices, isArticle, studyArticle } from '../src/bot/articles.js';
import { boardOf, quizVersion } from '../src/bot/quiz-buttons.js';
import { numberOption, stringOption, type Command } from '../src/bot/types.js';
import { COLORS, notice } from '../src/reply/build.js';
import { articleRef, quizKey, quizQuestionMessage } from '../src/reply/quiz.js';
import { MAX_QUESTIONS, makeQuiz } from '../src/study/quiz.js';

/** Questions a quiz asks when the option is not given. */
export const DEFAULT_QUESTIONS = 5;

/** `/quiz [article] [questions]`: multiple-choice questions from the article's own sentences, answered by buttons. */
export default {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'quiz',
    description: 'A multiple-choice quiz from the article: who, where, when and how many',
    options: [
      ARTICLE_OPTION,
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'questions',
        description: `How many questions (1–${MAX_QUESTIONS}, default ${DEFAULT_QUESTIONS})`,
        min_value: 1,
        max_value: MAX_QUESTIONS,
      },
    ],
  },
  execute(request, context) {
    const library = context.library(request.guildId);
    const article = studyArticle(library, stringOption(request, 'article'), 'quiz');
    if (!isArticle(article)) return { kind: 'reply', payload: article };
    const wanted = Math.max(1, Math.min(MAX_QUESTIONS, Math.trunc(numberOption(request, 'questions') ?? DEFAULT_QUESTIONS)));
    // A fresh seed per quiz: questions differ between runs, and every button can rebuild its own question.
    const seed = randomInt(1, 2 ** 40);
    const items = makeQuiz(article, articleDirectory(article), seed, wanted);
    const first = items[0];
    if (!first)
      return {
        kind: 'reply',
        payload: notice(
          'This reading is too short to make a quiz from: it needs sentences naming people, places, organisations, numbers or dates, with enough of each kind for the wrong options.',
          COLORS.abstain,
        ),
      };
    const ref = { article: articleRef(article), version: quizVersion(items), seed, question: 1, of: items.length };
    boardOf(context).start(quizKey(ref), request.user.id, items.length);
    return {
      kind: 'reply',
      outcome: { results: items.length, abstained: false },
      payload: quizQuestionMessage(article, first, ref, { answered: 0, right: 0 }),
    };
  },
  autocomplete(focused, request, context) {
    return focused.name === 'article' ? articleChoices(context.library(request.guildId), focused.value) : [];
  },
} satisfies Command;
