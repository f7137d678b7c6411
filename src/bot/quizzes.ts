/**
 * Who answered what in the quizzes that are running. Everything a quiz button needs to rebuild its
 * question rides in its custom id; only the answers cannot, so they live here, in memory, per process:
 * at most `maxQuizzes` quizzes (the least recently used is forgotten first), each forgotten `ttlMs`
 * after its last press, each with at most `maxMembers` players. (Several HTTP instances behind a load
 * balancer would each keep their own; the gateway routes a server's interactions to one process.)
 */

/** One member's answer to one question. */
export interface QuizAnswer {
  readonly choice: number;
  readonly right: boolean;
}

/** A member's line on the scoreboard. */
export interface QuizScore {
  readonly userId: string;
  readonly name: string;
  readonly right: number;
  readonly answered: number;
}

interface QuizState {
  readonly owner: string;
  readonly of: number;
  current: number;
  touched: number;
  /** Per question number, per member. */
  readonly answers: Map<number, Map<string, QuizAnswer>>;
  readonly names: Map<string, string>;
}

/** What pressing an option did. */
export type AnswerResult =
  | { readonly kind: 'recorded'; readonly answered: number; readonly right: number }
  | { readonly kind: 'already'; readonly previous: QuizAnswer }
  | { readonly kind: 'closed' | 'expired' | 'full' };

/** The counts of one question. */
export interface Tally {
  readonly answered: number;
  readonly right: number;
}

export class QuizBoard {
  private readonly quizzes = new Map<string, QuizState>();

  constructor(
    readonly maxQuizzes = 1000,
    readonly ttlMs = 2 * 60 * 60 * 1000,
    readonly maxMembers = 500,
    private readonly now: () => number = Date.now,
  ) {}

  /** Quizzes held now. */
  get size(): number {
    return this.quizzes.size;
  }

  private live(key: string): QuizState | undefined {
    const state = this.quizzes.get(key);
    if (!state) return undefined;
    if (this.now() - state.touched > this.ttlMs) {
      this.quizzes.delete(key);
      return undefined;
    }
    state.touched = this.now();
    // Re-inserting keeps the map in least-recently-used order.
    this.quizzes.delete(key);
    this.quizzes.set(key, state);
    return state;
  }

  /** Starts keeping a quiz; the oldest quizzes are forgotten beyond the bound. */
  start(key: string, owner: string, of: number): void {
    this.quizzes.delete(key);
    this.quizzes.set(key, { owner, of, current: 1, touched: this.now(), answers: new Map(), names: new Map() });
    for (const oldest of this.quizzes.keys()) {
      if (this.quizzes.size <= this.maxQuizzes) break;
      this.quizzes.delete(oldest);
    }
  }

  /** Records a member's first answer to the current question; later presses change nothing. */
  answer(key: string, question: number, user: { id: string; name: string }, choice: number, right: boolean): AnswerResult {
    const state = this.live(key);
    if (!state) return { kind: 'expired' };
    if (question !== state.current) return { kind: 'closed' };
    const answers = state.answers.get(question) ?? new Map<string, QuizAnswer>();
    const previous = answers.get(user.id);
    if (previous) return { kind: 'already', previous };
    if (!state.names.has(user.id) && state.names.size >= this.maxMembers) return { kind: 'full' };
    state.names.set(user.id, user.name);
    answers.set(user.id, { choice, right });
    state.answers.set(question, answers);
    return { kind: 'recorded', ...this.tallyOf(state, question) };
  }

  private tallyOf(state: QuizState, question: number): Tally {
    const answers = [...(state.answers.get(question)?.values() ?? [])];
    return { answered: answers.length, right: answers.filter((a) => a.right).length };
  }

  /** The counts of a question, or null for a quiz no longer held. */
  tally(key: string, question: number): Tally | null {
    const state = this.live(key);
    return state ? this.tallyOf(state, question) : null;
  }

  /** Moves from `question` to the next; only the member who started the quiz may. */
  advance(key: string, question: number, userId: string): 'advanced' | 'not-owner' | 'stale' | 'expired' {
    const state = this.live(key);
    if (!state) return 'expired';
    if (state.owner !== userId) return 'not-owner';
    if (state.current !== question) return 'stale';
    state.current = Math.min(question + 1, state.of + 1);
    return 'advanced';
  }

  /** Members by right answers (then fewer answered, then name); forgets the quiz when `finish`. */
  scores(key: string): QuizScore[] | null {
    const state = this.live(key);
    if (!state) return null;
    const scores = [...state.names].map(([userId, name]) => {
      let right = 0;
      let answered = 0;
      for (const answers of state.answers.values()) {
        const answer = answers.get(userId);
        if (answer) {
          answered++;
          if (answer.right) right++;
        }
      }
      return { userId, name, right, answered };
    });
    return scores.sort((a, b) => b.right - a.right || a.answered - b.answered || a.name.localeCompare(b.name));
  }

  /** Forgets a finished quiz. */
  finish(key: string): void {
    this.quizzes.delete(key);
  }
}
