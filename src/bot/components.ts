import { ButtonStyle } from 'discord-api-types/v10';
import { passageEmbed } from '../reply/answer.js';
import { button, message, notice } from '../reply/build.js';
import { encodeButtonId, paragraphFingerprint, type PassageRef } from '../reply/buttons.js';
import type { Passage } from '../search/engine.js';
import type { Library } from '../library.js';
import { READING_COMPONENTS } from './readings.js';
import { quizButtons } from './quiz-buttons.js';
import type { ComponentHandler, ComponentHandlerOf } from './types.js';

const notYours = notice('Only the person who asked can use these buttons. Ask your own with `/ask`.');

/**
 * Rebuilds a passage from its button reference: the paragraph with that number when it is still
 * the one found, else the same paragraph where an edit moved it; 'changed' when it is no longer in
 * the article as it was, null when the article or paragraph is gone.
 */
function passageFromRef(library: Library, ref: PassageRef): Passage | 'changed' | null {
  const article = library.article(ref.articleId);
  if (!article) return null;
  let paragraph = article.paragraphs[ref.paragraph - 1];
  if (ref.fingerprint !== null && (paragraph === undefined || paragraphFingerprint(paragraph.text) !== ref.fingerprint)) {
    paragraph = article.paragraphs.find((candidate) => paragraphFingerprint(candidate.text) === ref.fingerprint);
    if (paragraph === undefined) return 'changed';
  }
  if (!paragraph) return null;
  const sentence = paragraph.sentences[ref.sentence] ?? paragraph.sentences[0];
  if (!sentence) return null;
  return {
    article: { id: article.id, title: article.title, url: article.url, source: article.source, published: article.published },
    paragraph: paragraph.number,
    section: paragraph.section,
    text: paragraph.text,
    sentence,
    highlights: [],
    score: 0,
  };
}

/** "More passages": the asker sees the further passages added to the answer. */
export const morePassages: ComponentHandlerOf<'more'> = {
  kind: 'more',
  handle(id, request, context) {
    if (id.owner !== request.user.id) return { kind: 'reply', payload: notYours };
    const library = context.library(request.guildId ?? null);
    const found = id.passages.map((ref) => passageFromRef(library, ref));
    if (found.includes('changed'))
      return {
        kind: 'reply',
        payload: notice(
          'The article has changed since this answer, so its other passages are no longer where they were. Ask again with `/ask`.',
        ),
      };
    const passages = found.filter((p): p is Passage => p !== null && p !== 'changed');
    if (passages.length === 0)
      return { kind: 'reply', payload: notice('Those passages are no longer in the corpus. Ask again with `/ask`.') };
    const total = passages.length + 1;
    return {
      kind: 'update',
      // An update replaces the whole message, so the question and first passage are sent again as they were.
      payload: message({
        content: request.message.content,
        embeds: [
          ...request.message.embeds.slice(0, 1),
          ...passages.map((passage, i) => passageEmbed(passage, { index: i + 2, of: total })),
        ],
        buttons: [button(encodeButtonId({ kind: 'delete', owner: id.owner }).customId, 'Delete', ButtonStyle.Danger)],
      }),
    };
  },
};

/** "Delete": the asker removes the bot's answer. */
export const deleteAnswer: ComponentHandlerOf<'delete'> = {
  kind: 'delete',
  handle(id, request) {
    if (id.owner !== request.user.id) return { kind: 'reply', payload: notYours };
    return { kind: 'delete' };
  },
};

export const COMPONENTS: readonly ComponentHandler[] = [morePassages, deleteAnswer, quizButtons, ...READING_COMPONENTS];
