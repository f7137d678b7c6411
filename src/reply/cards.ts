import type { APIEmbed } from 'discord-api-types/v10';
import type { Article, Paragraph } from '../corpus/types.js';
import type { BriefSentence } from '../study/brief.js';
import { COLORS, message } from './build.js';
import { LIMITS, escapeMarkdown, truncate } from './limits.js';
import type { Examples } from './examples.js';
import { attributionInert } from './plain.js';
import type { MessagePayload } from './types.js';

/** "¶4–5" or "¶6" */
export function paragraphRange(first: number, last: number): string {
  return first === last ? `¶${first}` : `¶${first}–${last}`;
}

/** `/passage`: one paragraph quoted in full, attributed. */
export function paragraphMessage(article: Article, paragraph: Paragraph, ephemeral = false): MessagePayload {
  const embed: APIEmbed = {
    color: COLORS.info,
    title: attributionInert({ article, section: paragraph.section, paragraph: paragraph.number }, LIMITS.embedTitle),
    ...(article.url ? { url: article.url } : {}),
    description: escapeMarkdown(paragraph.text),
    footer: { text: `¶${paragraph.number} of ${article.paragraphs.length}` },
  };
  return message({ embeds: [embed], ephemeral });
}

/** `/article`: what the article is, where it comes from, how it is organised and how to ask; its brief when given. */
export function articleCard(article: Article, examples: Examples, brief: readonly BriefSentence[] = []): MessagePayload {
  const meta = [
    article.source ? `**Source:** ${escapeMarkdown(article.source)}` : null,
    article.author ? `**Author:** ${escapeMarkdown(article.author)}` : null,
    article.published ? `**Published:** ${escapeMarkdown(article.published)}` : null,
    `**Length:** ${article.paragraphs.length} paragraphs`,
  ].filter((line): line is string => line !== null);
  const firstSection = article.sections[0]?.firstParagraph ?? article.paragraphs.length + 1;
  const outline = [
    ...(firstSection > 1 ? [`${paragraphRange(1, firstSection - 1)} · (opening)`] : []),
    ...article.sections.map(
      (section) => `${paragraphRange(section.firstParagraph, section.lastParagraph)} · ${escapeMarkdown(section.title)}`,
    ),
  ];
  return message({
    embeds: [
      {
        color: COLORS.info,
        title: escapeMarkdown(truncate(article.title, LIMITS.embedTitle)),
        ...(article.url ? { url: article.url } : {}),
        description: meta.join('\n'),
        fields: [
          { name: 'Sections', value: outline.join('\n') || '(none)' },
          {
            name: 'How to ask',
            value: [
              `/ask question: ${escapeMarkdown(examples.question)}`,
              [
                ...(examples.name === null ? [] : [`/who-is name: ${escapeMarkdown(examples.name)}`]),
                `/passage number: ${examples.paragraph}`,
                'right-click a message → Apps → **Find in article**',
              ].join(' · '),
            ].join('\n'),
          },
        ],
        footer: { text: `id: ${article.id}` },
      },
      ...(brief.length > 0 ? [briefEmbed(brief)] : []),
    ],
  });
}

/** `/article` with several articles: the reading list. */
export function articleList(articles: readonly Article[]): MessagePayload {
  const lines = articles.map(
    (article) =>
      `• **${escapeMarkdown(article.title)}** (${article.paragraphs.length} ¶)${article.published ? ` · ${escapeMarkdown(article.published)}` : ''}`,
  );
  return message({
    embeds: [
      {
        color: COLORS.info,
        title: `${articles.length} articles`,
        description: lines.join('\n'),
        footer: { text: 'Pick one with /article article:… — /ask searches them all, or one with its article option' },
      },
    ],
  });
}

/** The "In brief" embed of `/article`: the summary sentences, each with its ¶. */
export function briefEmbed(sentences: readonly BriefSentence[]): APIEmbed {
  return {
    color: COLORS.info,
    title: 'In brief',
    description: sentences.map((s) => `• ${escapeMarkdown(s.text)} (¶${s.paragraph})`).join('\n'),
    footer: { text: 'Sentences of the article chosen by how central they are to it and how early they come' },
  };
}

/** `/map`: the picture as an attachment shown in the embed, with what it leaves out. */
export function mapMessage(article: Article, png: Uint8Array, shown: number, omitted: number): MessagePayload {
  const name = 'map.png';
  return message({
    embeds: [
      {
        color: COLORS.info,
        title: truncate(`Who appears with whom · ${article.title}`, LIMITS.embedTitle),
        description: `The ${shown} people, places and organisations the article names most, sized by mentions; a line joins two named in the same paragraph, thicker the more often.${omitted > 0 ? ` ${omitted} named less often are left off.` : ''}`,
        image: { url: `attachment://${name}` },
        footer: { text: `id: ${article.id}` },
      },
    ],
    files: [{ name, data: png, description: `Map of the people, places and organisations in ${truncate(article.title, 200)}` }],
  });
}
