/**
 * A per-user sliding-window limit: at most `limit` uses in `windowMs`, at a constant cost per use
 * however many users are active. Each user keeps at most `limit` times; users are kept in the
 * order of their last use, so the ones idle for a whole window are all at the front and are
 * forgotten from there, a few per use.
 */
export class Cooldown {
  /** User → their recent use times, oldest first; Map order is by last use. */
  private readonly uses = new Map<string, number[]>();
  /** Map entries the last {@link take} looked at: at most a small constant (tests and the bench read it). */
  examined = 0;

  constructor(
    readonly limit = 5,
    readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a use; returns 0 when allowed, else the milliseconds until the next use is. */
  take(userId: string): number {
    const now = this.now();
    this.examined = 0;
    this.forgetIdle(now);
    const recent = (this.uses.get(userId) ?? []).filter((at) => now - at < this.windowMs);
    this.uses.delete(userId);
    if (recent.length >= this.limit) {
      this.uses.set(userId, recent);
      return this.windowMs - (now - (recent[0] ?? now));
    }
    recent.push(now);
    this.uses.set(userId, recent);
    return 0;
  }

  /** Users currently remembered. */
  get size(): number {
    return this.uses.size;
  }

  /** Drops up to two users idle for a whole window from the front: faster than users are added. */
  private forgetIdle(now: number): void {
    for (const [id, times] of this.uses) {
      this.examined += 1;
      if (this.examined > 2 || now - (times.at(-1) ?? 0) < this.windowMs) return;
      this.uses.delete(id);
    }
  }
}
