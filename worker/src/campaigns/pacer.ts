// Per-number send pacing as plain logic (no Cloudflare types, no clock, no I/O): the Durable
// Object in `pacer-do.ts` owns one Pacer per phone number and persists its tier ledger.
//
// Three limits from Meta (shared/reference/platform-rules.md §5), all enforced before a send:
// - throughput: messages per second per business number (80 by default, 1,000 for HIGH), with
//   headroom left for inbound traffic and replies — a GCRA token bucket (virtual scheduling);
// - pair rate: about one message per 6 s to the same user after a burst (131056);
// - messaging tier: unique users per rolling 24 h for business-initiated templates (131048).
// Slots are handed out in blocks (every slot inside a short horizon at once), so a consumer makes
// one call per block instead of one per message. 130429 / 131056 / 131048 answers feed back.

/** How a number is paced. Times in milliseconds. */
export interface PacerConfig {
  /** Meta's cap for the number, messages per second (80 STANDARD, 1,000 HIGH). */
  throughput: number;
  /** Share of the cap left unused for inbound traffic and replies (0–0.5; default 0.04). */
  headroom: number;
  /** Largest burst, in messages, on top of the steady rate (default 1). */
  burst: number;
  /** Minimum gap between two campaign messages to the same user (default 6,000). */
  pairIntervalMs: number;
  /** Unique users per tier window; `null` = unlimited tier. */
  tierLimit: number | null;
  /** The tier's rolling window (Meta: 24 h). */
  tierWindowMs: number;
  /** How far ahead one reservation hands out slots (default 1,000). */
  horizonMs: number;
  /** Pause of new users after a 131048 (default 60,000, capped at the tier window). */
  spamBackoffMs: number;
}

export const DEFAULT_PACER: PacerConfig = {
  throughput: 80,
  headroom: 0.04,
  burst: 1,
  pairIntervalMs: 6_000,
  tierLimit: null,
  tierWindowMs: 24 * 3600_000,
  horizonMs: 1_000,
  spamBackoffMs: 60_000,
};

/** Messages per second Meta allows for a Graph `throughput.level`. */
export function throughputOfLevel(level: string | null | undefined): number {
  if (level === 'HIGH') return 1000;
  return 80; // STANDARD, NOT_APPLICABLE or unknown: the documented default
}

/** Unique users per 24 h for a messaging tier name (`TIER_2K` → 2000); `null` = unlimited. */
export function tierLimitOf(tier: string | null | undefined): number | null {
  if (!tier || tier === 'TIER_UNLIMITED' || tier === 'TIER_NOT_SET') return null;
  const m = /^TIER_(\d+)(K?)$/.exec(tier);
  if (!m) return null;
  return Number(m[1]) * (m[2] === 'K' ? 1000 : 1);
}

/**
 * Who has been counted against the tier and when. The Durable Object backs it with SQLite; tests
 * use {@link MemoryLedger}. Every method is synchronous (DO SQLite is), so a reservation is
 * computed whole before anything is awaited.
 */
export interface TierLedger {
  /** Drops entries counted at or before `before`. */
  prune(before: number): void;
  /** When `waId` was counted, if it is in the window. */
  countedAt(waId: string): number | undefined;
  count(): number;
  /** The earliest count still in the ledger (when the next unit frees up). */
  oldest(): number | undefined;
  add(waId: string, at: number): void;
  remove(waId: string): void;
}

export class MemoryLedger implements TierLedger {
  private readonly entries = new Map<string, number>();
  prune(before: number): void {
    for (const [k, at] of this.entries) if (at <= before) this.entries.delete(k);
  }
  countedAt(waId: string): number | undefined {
    return this.entries.get(waId);
  }
  count(): number {
    return this.entries.size;
  }
  oldest(): number | undefined {
    let min: number | undefined;
    for (const at of this.entries.values()) if (min === undefined || at < min) min = at;
    return min;
  }
  add(waId: string, at: number): void {
    this.entries.set(waId, at);
  }
  remove(waId: string): void {
    this.entries.delete(waId);
  }
}

/** A send slot: send to `to` no earlier than `at`. */
export interface Grant {
  to: string;
  at: number;
}

/** A recipient that cannot be sent now: ask again at `until`. */
export interface Deferral {
  to: string;
  until: number;
  reason: 'tier_limit' | 'pair_rate' | 'throughput';
}

export interface Reservation {
  grants: Grant[];
  deferred: Deferral[];
}

/** Graph codes that feed back into the pacer. */
export type Feedback = 130429 | 131056 | 131048;

export class Pacer {
  private cfg: PacerConfig;
  /** GCRA theoretical arrival time of the next slot. */
  private tat = 0;
  /** Throttle factor (≤ 1) after 130429s; recovers linearly. */
  private factor = 1;
  private factorAt = -Infinity;
  /** Next allowed send per user (pair rate). */
  private readonly pairs = new Map<string, number>();
  /** New users are not sent before this (after a 131048). */
  private spamUntil = 0;

  constructor(
    config: Partial<PacerConfig>,
    private readonly ledger: TierLedger = new MemoryLedger(),
  ) {
    this.cfg = normalize({ ...DEFAULT_PACER, ...config });
  }

  get config(): PacerConfig {
    return this.cfg;
  }

  /** Updates the configuration (a campaign may read a newer throughput or tier). */
  configure(config: Partial<PacerConfig>): void {
    this.cfg = normalize({ ...this.cfg, ...config });
  }

  /** The steady rate now, messages per second, after headroom and throttling. */
  rate(now: number): number {
    const base = this.cfg.throughput * (1 - this.cfg.headroom);
    return Math.max(1, base * this.currentFactor(now));
  }

  private currentFactor(now: number): number {
    // Back to full speed 5 s after the last throttle answer, linearly.
    if (this.factor >= 1) return 1;
    const recovered = this.factor + ((now - this.factorAt) / 5_000) * (1 - this.factor);
    return Math.min(1, Math.max(this.factor, recovered));
  }

  /**
   * Hands out slots for `recipients` (in order) inside the horizon. Recipients that cannot go in
   * this block come back deferred with the time to ask again; a granted recipient is counted
   * against the tier at once (release it with {@link release} if the send is refused).
   */
  reserve(now: number, recipients: readonly string[]): Reservation {
    const cfg = this.cfg;
    const interval = 1000 / this.rate(now);
    const tolerance = (cfg.burst - 1) * interval;
    const horizon = now + cfg.horizonMs;
    this.ledger.prune(now - cfg.tierWindowMs);
    this.prunePairs(now);
    const grants: Grant[] = [];
    const deferred: Deferral[] = [];
    let tat = Math.max(this.tat, now);
    for (const to of recipients) {
      const known = this.ledger.countedAt(to) !== undefined;
      if (!known) {
        if (this.spamUntil > now) {
          deferred.push({ to, until: this.spamUntil, reason: 'tier_limit' });
          continue;
        }
        if (cfg.tierLimit !== null && this.ledger.count() >= cfg.tierLimit) {
          const oldest = this.ledger.oldest() ?? now;
          // A margin past the window: Meta counts from when it accepted the message, a little
          // after the slot this ledger records.
          const margin = Math.min(1000, Math.max(50, cfg.tierWindowMs * 0.01));
          deferred.push({ to, until: Math.max(now + 1, oldest + cfg.tierWindowMs + margin), reason: 'tier_limit' });
          continue;
        }
      }
      const pairAt = this.pairs.get(to) ?? 0;
      const at = Math.max(now, tat - tolerance);
      if (pairAt > at) {
        deferred.push({ to, until: pairAt, reason: 'pair_rate' });
        continue;
      }
      if (at > horizon) {
        deferred.push({ to, until: at, reason: 'throughput' });
        continue;
      }
      grants.push({ to, at });
      tat = Math.max(tat, at) + interval;
      this.pairs.set(to, at + cfg.pairIntervalMs);
      this.ledger.add(to, at); // a user stays counted for a window after their latest message
    }
    this.tat = tat;
    return { grants, deferred };
  }

  /**
   * `n` fresh throughput slots for sends already granted (tier and pair rate checked) that could
   * not go at their slot: a send made late would land in the same rolling second as the slots
   * after it, so a late send takes a new slot instead.
   */
  slots(now: number, n: number): number[] {
    const interval = 1000 / this.rate(now);
    const tolerance = (this.cfg.burst - 1) * interval;
    let tat = Math.max(this.tat, now);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = Math.max(now, tat - tolerance);
      out.push(at);
      tat = Math.max(tat, at) + interval;
    }
    this.tat = tat;
    return out;
  }

  /** How late (ms) a send may go after its slot and still respect the cap: part of the headroom. */
  lateness(): number {
    return Math.max(5, this.cfg.headroom * 1000 * 0.6);
  }

  /** Gives back a granted slot's tier unit (the send was refused before it reached Meta). */
  release(to: string): void {
    this.ledger.remove(to);
    this.pairs.delete(to);
  }

  /**
   * A throttling answer from Meta. 130429 slows the number (×0.8, recovering over 5 s) and leaves
   * a 250 ms gap; answers within a second of the last one are the same episode (the sends were
   * already in flight) and change nothing more. 131056 holds that user back four pair intervals;
   * 131048 stops new users for `spamBackoffMs` (users already counted in the window still go).
   */
  feedback(now: number, code: Feedback, to?: string): void {
    if (code === 130429) {
      if (now - this.factorAt < 1000) return;
      this.factor = Math.max(0.25, this.currentFactor(now) * 0.8);
      this.factorAt = now;
      this.tat = Math.max(this.tat, now + 250);
    } else if (code === 131056 && to !== undefined) {
      this.pairs.set(to, now + 4 * this.cfg.pairIntervalMs);
    } else if (code === 131048) {
      this.spamUntil = now + Math.min(this.cfg.spamBackoffMs, this.cfg.tierWindowMs);
      if (to !== undefined) this.release(to);
    }
  }

  /** What the number has left now (for status pages). */
  snapshot(now: number): { rate: number; tierUsed: number; tierLimit: number | null; throttled: boolean } {
    this.ledger.prune(now - this.cfg.tierWindowMs);
    return {
      rate: this.rate(now),
      tierUsed: this.ledger.count(),
      tierLimit: this.cfg.tierLimit,
      throttled: this.currentFactor(now) < 1 || this.spamUntil > now,
    };
  }

  private prunePairs(now: number): void {
    if (this.pairs.size < 4096) return;
    for (const [k, at] of this.pairs) if (at <= now) this.pairs.delete(k);
  }
}

function normalize(c: PacerConfig): PacerConfig {
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return {
    throughput: Math.max(1, num(c.throughput, DEFAULT_PACER.throughput)),
    headroom: Math.min(0.5, Math.max(0, num(c.headroom, DEFAULT_PACER.headroom))),
    burst: Math.max(1, Math.floor(num(c.burst, 1))),
    pairIntervalMs: Math.max(0, num(c.pairIntervalMs, DEFAULT_PACER.pairIntervalMs)),
    tierLimit: c.tierLimit === null || c.tierLimit === undefined ? null : Math.max(0, Math.floor(num(c.tierLimit, 0))),
    tierWindowMs: Math.max(1, num(c.tierWindowMs, DEFAULT_PACER.tierWindowMs)),
    horizonMs: Math.max(10, num(c.horizonMs, DEFAULT_PACER.horizonMs)),
    spamBackoffMs: Math.max(0, num(c.spamBackoffMs, DEFAULT_PACER.spamBackoffMs)),
  };
}
