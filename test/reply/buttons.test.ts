import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buttonKind, decodeButtonId, encodeButtonId, type ButtonId } from '../../src/reply/buttons.js';
import { LIMITS } from '../../src/reply/limits.js';

const ref = fc.record({
  articleId: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,40}$/),
  paragraph: fc.integer({ min: 1, max: 9999 }),
  sentence: fc.integer({ min: 0, max: 99 }),
  fingerprint: fc.option(fc.stringMatching(/^[0-9a-z]{5}$/), { nil: null }),
});
const owner = fc.stringMatching(/^\d{17,20}$/);

describe('button custom ids', () => {
  it('read back as what was written, within Discord’s 100 characters', () => {
    fc.assert(
      fc.property(owner, fc.array(ref, { maxLength: 12 }), (asker, passages) => {
        const more = encodeButtonId({ kind: 'more', owner: asker, passages });
        expect(more.customId.length).toBeLessThanOrEqual(LIMITS.customId);
        expect(more.passages).toEqual(passages.slice(0, more.passages.length));
        expect(decodeButtonId(more.customId)).toEqual({ kind: 'more', owner: asker, passages: more.passages });
        const del = encodeButtonId({ kind: 'delete', owner: asker });
        expect(decodeButtonId(del.customId)).toEqual({ kind: 'delete', owner: asker } satisfies ButtonId);
      }),
    );
  });

  it('keeps as many passages as fit, in order', () => {
    const passages = Array.from({ length: 10 }, (_, i) => ({
      articleId: 'a-rather-long-article-id',
      paragraph: i + 1,
      sentence: 0,
      fingerprint: null,
    }));
    const { customId, passages: kept } = encodeButtonId({ kind: 'more', owner: '111111111111111111', passages });
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(10);
    expect(customId).toBe(`more:111111111111111111:${kept.map((p) => `${p.articleId}#${p.paragraph}.0`).join(';')}`);
  });

  it('reads nothing from ids the bot did not make, and skips unreadable references', () => {
    for (const id of ['', 'more', 'delete', 'delete:', 'delete:1:x', 'MORE:1:a#1.0', 'other:1', 'more::a#1.0']) {
      expect(decodeButtonId(id)).toBeNull();
      expect(buttonKind(id)).toBeNull();
    }
    expect(decodeButtonId('more:1:a#1.0;garbage;b#2.1')).toEqual({
      kind: 'more',
      owner: '1',
      passages: [
        { articleId: 'a', paragraph: 1, sentence: 0, fingerprint: null },
        { articleId: 'b', paragraph: 2, sentence: 1, fingerprint: null },
      ],
    });
  });
});
