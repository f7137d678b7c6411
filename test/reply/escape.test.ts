/**
 * User text echoed by the bot (the question, an article name) must be inert, whatever it holds:
 * no link, invite, mention, list or other Markdown may form, and no invisible, line-breaking or
 * broken character may pass. Example-based checks for each gap once found, then a property test
 * over strings built from exactly those characters and the text around them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeUserText } from '../../src/reply/limits.js';

const INVITE = /discord(?:app)?\.(?:gg|com|io|me|li)/i;
const LINK = /https?:\/\//i;
const ORDERED_LIST = /^\s*\d+\.(\s|$)/m;
const REMOVED = ['\u2028', '\u2029', '\u061c', '\u00ad', '\u180e', '\u200b', '\u200e', '\u202e', '\u2066', '\ufeff'];

/** No surrogate without its other half. */
function wellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

function inert(out: string): void {
  expect(out).not.toMatch(INVITE);
  expect(out).not.toMatch(LINK);
  expect(out).not.toMatch(ORDERED_LIST);
  expect(out).not.toMatch(/@(everyone|here)/);
  expect(out).not.toMatch(/(?<!\\)<[@#]/);
  expect(out).not.toMatch(/(?<!\\)[*_`~|>#]/);
  // The one invisible character the escaping adds: after '@', so that no mention forms.
  const added = out.replace(/@\u200b/g, '@');
  for (const ch of REMOVED) expect(added).not.toContain(ch);
  expect(wellFormed(out)).toBe(true);
}

describe('escapeUserText', () => {
  it.each([
    ['a bare invite', 'join discord.gg/abc now'],
    ['an invite behind an invisible character', 'discord\u200b.gg/abc'],
    ['an invite on discord.com', 'discord.com/invite/abc'],
    ['an ordered list', 'steps:\n1. one\n2. two'],
    ['a list at the start', '1. first'],
    ['line and paragraph separators', 'a\u2028b\u2029c'],
    ['an Arabic letter mark and a soft hyphen', 'a\u061cb\u00adc'],
    ['a lone high surrogate', 'a\ud83db'],
    ['a lone low surrogate', 'a\ude00b'],
  ])('makes %s inert', (_, text) => {
    inert(escapeUserText(text));
  });

  it('keeps the readable text: letters, digits, dots and whole emoji', () => {
    expect(escapeUserText('U.S. talks in 2023. 😀').replace(/\\/g, '')).toBe('U.S. talks in 2023. 😀');
  });

  it('leaves nothing that could form, for any mix of the risky characters', () => {
    const piece = fc.constantFrom(
      'discord',
      'discordapp',
      '.',
      'gg',
      'com',
      '/',
      'invite',
      'abc',
      'http',
      's',
      ':',
      '//',
      '\n',
      ' ',
      '1',
      '12',
      '. ',
      '@',
      'everyone',
      'here',
      '<',
      '#',
      '*',
      '_',
      '`',
      '~',
      '|',
      '>',
      '\\',
      '\u2028',
      '\u2029',
      '\u061c',
      '\u00ad',
      '\u200b',
      '\u202e',
      '\ufeff',
      '\ud83d',
      '\ude00',
      '😀',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        inert(escapeUserText(pieces.join('')));
      }),
      { numRuns: 3000 },
    );
  });
});
