/** A per-user sliding-window limit: at most `limit` uses in `windowMs`. */
export class Cooldown {
  private readonly uses = new Map<string, number[]>();

  constructor(
    readonly limit = 5,
    readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a use; returns 0 when allowed, else the milliseconds until the next use is. */
  take(userId: string): number {
    const now = this.now();
    const recent = (this.uses.get(userId) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.uses.set(userId, recent);
      return this.windowMs - (now - (recent[0] ?? now));
    }
    recent.push(now);
    this.uses.set(userId, recent);
    // Forget idle users so a busy bot's map does not grow without end.
    if (this.uses.size > 10_000)
      for (const [id, times] of this.uses) if (times.every((at) => now - at >= this.windowMs)) this.uses.delete(id);
    return 0;
  }
}
