import { describe, expect, it } from 'vitest';
import { QuizBoard } from '../../src/bot/quizzes.js';

const ann = { id: '1', name: 'Ann' };
const ben = { id: '2', name: 'Ben' };

describe('the quiz board', () => {
  it('counts each member once per question and only for the current question', () => {
    const board = new QuizBoard();
    board.start('q', 'owner', 2);
    expect(board.answer('q', 1, ann, 0, true)).toEqual({ kind: 'recorded', answered: 1, right: 1 });
    expect(board.answer('q', 1, ann, 1, false)).toEqual({ kind: 'already', previous: { choice: 0, right: true } });
    expect(board.answer('q', 1, ben, 2, false)).toEqual({ kind: 'recorded', answered: 2, right: 1 });
    expect(board.answer('q', 2, ben, 2, false)).toEqual({ kind: 'closed' });
    expect(board.advance('q', 1, ben.id)).toBe('not-owner');
    expect(board.advance('q', 1, 'owner')).toBe('advanced');
    expect(board.advance('q', 1, 'owner')).toBe('stale');
    board.answer('q', 2, ben, 1, true);
    expect(board.scores('q')).toEqual([
      { userId: '1', name: 'Ann', right: 1, answered: 1 },
      { userId: '2', name: 'Ben', right: 1, answered: 2 },
    ]);
  });

  it('forgets a quiz after its expiry and the least recently used beyond its bound', () => {
    let now = 0;
    const board = new QuizBoard(2, 1000, 500, () => now);
    board.start('a', 'o', 1);
    board.start('b', 'o', 1);
    now = 10;
    board.tally('a', 1);
    board.start('c', 'o', 1);
    expect(board.size).toBe(2);
    expect(board.tally('b', 1)).toBeNull();
    expect(board.tally('a', 1)).not.toBeNull();
    now = 2000;
    expect(board.answer('a', 1, ann, 0, true)).toEqual({ kind: 'expired' });
  });

  it('keeps at most its bound of players per quiz', () => {
    const board = new QuizBoard(10, 1000, 1);
    board.start('q', 'o', 1);
    board.answer('q', 1, ann, 0, true);
    expect(board.answer('q', 1, ben, 0, true)).toEqual({ kind: 'full' });
  });
});
