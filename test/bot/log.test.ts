import { describe, expect, it } from 'vitest';
import { interactionFields, type Transport } from '../../src/bot/log.js';
import { notice } from '../../src/reply/build.js';

describe('the interaction log line', () => {
  it('has the same fields whatever the transport', () => {
    const keys = (transport: Transport) =>
      Object.keys(
        interactionFields({
          transport,
          interactionId: transport === 'console' ? null : '1',
          kind: 'command',
          command: 'ask',
          userId: '2',
          guildId: null,
          startedAt: performance.now(),
          response: { kind: 'reply', payload: notice('x'), outcome: { results: 2, abstained: false } },
        }),
      ).sort();
    expect(keys('http')).toEqual(keys('gateway'));
    expect(keys('console')).toEqual(keys('gateway'));
  });

  it('carries what the answer found, and null for a reply that is not an answer', () => {
    const base = { transport: 'gateway', interactionId: '1', kind: 'command', command: 'ask', userId: '2', guildId: '3' } as const;
    const answered = interactionFields({
      ...base,
      startedAt: performance.now(),
      response: { kind: 'reply', payload: notice('x'), outcome: { results: 3, abstained: false } },
    });
    expect(answered).toMatchObject({ results: 3, abstained: false, deferred: false });
    expect(answered['latencyMs']).toBeGreaterThanOrEqual(0);
    expect(interactionFields({ ...base, startedAt: performance.now(), response: { kind: 'delete' } })).toMatchObject({
      results: null,
      abstained: null,
    });
  });
});
