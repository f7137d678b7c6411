import { describe, expect, it } from 'vitest';
import { Cooldown } from '../../src/bot/cooldown.js';

describe('Cooldown', () => {
  it('allows `limit` uses in the window, then says how long to wait, then allows again', () => {
    let now = 0;
    const cooldown = new Cooldown(2, 1000, () => now);
    expect(cooldown.take('a')).toBe(0);
    now = 100;
    expect(cooldown.take('a')).toBe(0);
    now = 400;
    expect(cooldown.take('a')).toBe(600);
    expect(cooldown.take('b')).toBe(0);
    now = 1000;
    expect(cooldown.take('a')).toBe(0);
  });

  describe('with 50,000 users active in the window', () => {
    it('looks at a constant number of entries per command, not the whole map', () => {
      let now = 0;
      const cooldown = new Cooldown(5, 10_000, () => now);
      let most = 0;
      for (let user = 0; user < 50_000; user += 1) {
        now = user * 0.1;
        cooldown.take(`user${user}`);
        most = Math.max(most, cooldown.examined);
      }
      expect(cooldown.size).toBe(50_000);
      expect(most).toBeLessThanOrEqual(3);
    });

    it('forgets users idle for a whole window, a few per command', () => {
      let now = 0;
      const cooldown = new Cooldown(5, 10_000, () => now);
      for (let user = 0; user < 50_000; user += 1) cooldown.take(`user${user}`);
      now = 20_000;
      for (let i = 0; i < 30_000; i += 1) cooldown.take('busy');
      expect(cooldown.size).toBe(1);
      // A user forgotten is a user with a fresh allowance.
      expect(cooldown.take('user7')).toBe(0);
    });
  });
});
