import { describe, expect, it } from 'vitest';
import { ButtonStyle } from 'discord-api-types/v10';
import { button, embedLength, message } from '../../src/reply/build.js';
import { LIMITS, escapeUserText, truncate } from '../../src/reply/limits.js';

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('Short.', 10)).toBe('Short.');
  });
  it('cuts at the last sentence end that fits, marking the cut', () => {
    expect(truncate('First sentence here. Second sentence is long.', 30)).toBe('First sentence here.…');
  });
  it('falls back to a word boundary', () => {
    expect(truncate('one two three four five six seven', 20)).toBe('one two three four…');
  });
  it('never exceeds the limit and never splits an emoji', () => {
    const text = '😀'.repeat(50);
    for (const max of [1, 2, 3, 10, 11, 99]) {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });
});

describe('escapeUserText', () => {
  it('defuses mentions, markdown and links', () => {
    const escaped = escapeUserText('@everyone **bold** <@123> <@&456> `code` [x](http://a.b)');
    expect(escaped).not.toMatch(/@everyone/);
    expect(escaped).not.toMatch(/<@!?&?\d/);
    expect(escaped).not.toMatch(/(?<!\\)\*\*/);
    expect(escaped).not.toMatch(/(?<!\\)`/);
  });
  it('removes control and zero-width characters', () => {
    expect(escapeUserText('a\u0000b\u200bc\u202ed')).toBe('abcd');
  });
});

describe('message', () => {
  it('sets allowed_mentions to ping nobody unless one user is named', () => {
    expect(message({ content: '@everyone' }).allowed_mentions).toEqual({ parse: [] });
    expect(message({ content: 'hi', mention: '123456789012345678' }).allowed_mentions).toEqual({
      parse: [],
      users: ['123456789012345678'],
    });
  });
  it('keeps every embed part and the total within Discord’s limits', () => {
    const long = 'A sentence of some length. '.repeat(400);
    const payload = message({
      content: long,
      embeds: Array.from({ length: 12 }, () => ({
        title: long,
        description: long,
        footer: { text: long },
        fields: Array.from({ length: 30 }, () => ({ name: long, value: long })),
      })),
      buttons: Array.from({ length: 30 }, (_, i) => button(`id-${i}-${'x'.repeat(200)}`, long, ButtonStyle.Primary)),
    });
    expect(payload.content!.length).toBeLessThanOrEqual(LIMITS.content);
    expect(payload.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(payload.embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const embed of payload.embeds) {
      expect(embed.title!.length).toBeLessThanOrEqual(LIMITS.embedTitle);
      expect(embed.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
      for (const field of embed.fields!) expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(payload.components.length).toBeLessThanOrEqual(5);
    for (const row of payload.components) {
      expect(row.components.length).toBeLessThanOrEqual(5);
      for (const c of row.components) if ('custom_id' in c) expect(c.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
    }
  });
});
