import { ButtonStyle, type APIEmbed } from 'discord-api-types/v10';
import type { Article } from '../corpus/types.js';
import type { Answer, Passage } from '../search/engine.js';
import { COLORS, button, message } from './build.js';
import { encodeButtonId, paragraphFingerprint, type PassageRef } from './buttons.js';
import { attributionInert } from './plain.js';
import { isGreeting } from '../search/query.js';
import { LIMITS, escapeMarkdown, escapeUserText, truncate } from './limits.js';
import type { MessagePayload } from './types.js';

/** A passage as a button carries it. */
function refOf(passage: Passage): PassageRef {
  return {
    articleId: passage.article.id,
    paragraph: passage.paragraph,
    sentence: passage.sentence.index,
    fingerprint: paragraphFingerprint(passage.text),
  };
}

/** The paragraph with its answering sentence in bold, Markdown in the corpus text escaped. */
function highlighted(passage: Passage): string {
  const { text, sentence } = passage;
  const before = escapeMarkdown(text.slice(0, sentence.start));
  const answer = escapeMarkdown(text.slice(sentence.start, sentence.end));
  const after = escapeMarkdown(text.slice(sentence.end));
  return `${before}**${answer}**${after}`;
}

/**
 * One passage as an embed: the paragraph with its answering sentence in bold, under one attribution
 * line (Title · Section · ¶N) that links to the article when it has a url. With several passages
 * the footer says which one this is.
 */
export function passageEmbed(passage: Passage, position?: { index: number; of: number }): APIEmbed {
  return {
    color: COLORS.answer,
    title: attributionInert(passage, LIMITS.embedTitle),
    ...(passage.article.url ? { url: passage.article.url } : {}),
    description: highlighted(passage),
    ...(position && position.of > 1 ? { footer: { text: `passage ${position.index} of ${position.of}` } } : {}),
  };
}

/** What the bot says when the article doesn't answer: plainly, and what it does cover. */
export function abstainEmbed(question: string, answer: Answer, articles: readonly Article[], example: string): APIEmbed {
  const covered = articles
    .slice(0, 5)
    .map(
      (article) =>
        `**${escapeMarkdown(article.title)}**${article.sections.length > 0 ? `: ${article.sections.map((s) => escapeMarkdown(s.title)).join(' · ')}` : ''}`,
    );
  const lead = isGreeting(question)
    ? 'Hello! I answer questions about the article, quoting the passage that answers and where it stands. Ask away with `/ask`.'
    : answer.reason === 'out-of-scope'
      ? "That's not something an article can tell you: I only know what the articles say."
      : answer.reason === 'empty'
        ? `Ask a question with a few words about the article, for example: /ask question: ${escapeMarkdown(example)}`
        : `The article doesn't say. I found nothing that answers “${truncate(escapeUserText(question), 300)}”.`;
  return {
    color: COLORS.abstain,
    title: isGreeting(question) ? 'Hello' : "The article doesn't say",
    description: [
      lead,
      '',
      covered.length > 0 ? `It covers:\n${covered.map((line) => `• ${line}`).join('\n')}` : '',
      '',
      'Try `/article` for an overview or `/passage` to read a paragraph.',
    ]
      .join('\n')
      .trim(),
  };
}

/** Options of {@link answerMessage}. */
export interface AnswerMessageOptions {
  readonly question: string;
  readonly askerId: string;
  readonly articles: readonly Article[];
  /** An example question from the corpus, offered when the question was empty. */
  readonly example: string;
  readonly ephemeral?: boolean;
  /** A member the answer is pointed at; the only one pinged. */
  readonly mention?: string;
  /** The label before the echoed question ("Question", "Message"). */
  readonly label?: string;
}

/**
 * The reply to a question: the best passage, and the others behind a "More passages" button;
 * or the honest abstention. The asker can delete the reply with a button.
 */
export function answerMessage(answer: Answer, options: AnswerMessageOptions): MessagePayload {
  const echo = `**${options.label ?? 'Question'}:** ${truncate(escapeUserText(options.question), 1500)}`;
  const content = options.mention === undefined ? echo : `<@${options.mention}> ${echo}`;
  const deleteButton = button(encodeButtonId({ kind: 'delete', owner: options.askerId }).customId, 'Delete', ButtonStyle.Danger);
  const visibility = options.ephemeral === undefined ? {} : { ephemeral: options.ephemeral };
  const mention = options.mention === undefined ? {} : { mention: options.mention };
  if (answer.abstained) {
    return message({
      content,
      embeds: [abstainEmbed(options.question, answer, options.articles, options.example)],
      buttons: options.ephemeral ? [] : [deleteButton],
      ...visibility,
      ...mention,
    });
  }
  const [first, ...rest] = answer.passages;
  if (!first) throw new Error('an answer that does not abstain has passages');
  // The button carries the passages it reveals, so it works on any instance and after a restart.
  const more = encodeButtonId({ kind: 'more', owner: options.askerId, passages: rest.map(refOf) });
  const count = more.passages.length;
  const buttons = count > 0 ? [button(more.customId, `More passages (${count})`, ButtonStyle.Primary)] : [];
  if (!options.ephemeral) buttons.push(deleteButton);
  return message({ content, embeds: [passageEmbed(first, { index: 1, of: 1 + count })], buttons, ...visibility, ...mention });
}
