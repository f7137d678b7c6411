import { BUTTONS, paragraphFingerprint, parsePassageRef, passageEmbed } from '../reply/answer.js';
import { button, message, notice } from '../reply/build.js';
import { ButtonStyle } from 'discord-api-types/v10';
import type { Passage } from '../search/engine.js';
import type { Library } from '../library.js';
import { READING_COMPONENTS } from './readings.js';
import { quizButtons } from './quiz-buttons.js';
import type { ComponentHandler } from './types.js';

/** The custom id's owner part: only the person who asked may use the buttons on their answer. */
function ownerOf(customId: string): string | undefined {
  return customId.split(':')[1];
}

const notYours = notice('Only the person who asked can use these buttons. Ask your own with `/ask`.');

/**
 * Rebuilds a passage from its button reference: the paragraph with that number when it is still
 * the one found, else the same paragraph where an edit moved it; 'changed' when it is no longer in
 * the article as it was, null when the article or paragraph is gone.
 */
function passageFromRef(library: Library, ref: string): Passage | 'changed' | null {
  const parsed = parsePassageRef(ref);
  const article = parsed ? library.article(parsed.articleId) : undefined;
  if (!parsed || !article) return null;
  let paragraph = article.paragraphs[parsed.paragraph - 1];
  if (parsed.fingerprint !== null && (paragraph === undefined || paragraphFingerprint(paragraph.text) !== parsed.fingerprint)) {
    paragraph = article.paragraphs.find((candidate) => paragraphFingerprint(candidate.text) === parsed.fingerprint);
    if (paragraph === undefined) return 'changed';
  }
  if (!paragraph) return null;
  const sentence = paragraph.sentences[parsed.sentence] ?? paragraph.sentences[0];
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
export const morePassages: ComponentHandler = {
  prefix: BUTTONS.more,
  handle(request, context) {
    const owner = ownerOf(request.customId);
    if (owner !== request.user.id) return { kind: 'reply', payload: notYours };
    const refs = request.customId.split(':').slice(2).join(':').split(';').filter(Boolean);
    const library = context.library(request.guildId ?? null);
    const found = refs.map((ref) => passageFromRef(library, ref));
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
        buttons: [button(`${BUTTONS.delete}:${owner}`, 'Delete', ButtonStyle.Danger)],
      }),
    };
  },
};

/** "Delete": the asker removes the bot's answer. */
export const deleteAnswer: ComponentHandler = {
  prefix: BUTTONS.delete,
  handle(request) {
    if (ownerOf(request.customId) !== request.user.id) return { kind: 'reply', payload: notYours };
    return { kind: 'delete' };
  },
};

export const COMPONENTS: readonly ComponentHandler[] = [morePassages, deleteAnswer, quizButtons, ...READING_COMPONENTS];
