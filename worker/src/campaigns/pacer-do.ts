// One Durable Object per business phone number: the single owner of that number's send slots
// (in-isolate limiters do not hold across isolates). It wraps the plain Pacer and keeps the tier
// ledger in its SQLite storage, so the rolling 24 h count survives eviction. Every method is
// synchronous over synchronous SQLite: a reservation is complete before the next request runs.
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { Pacer, type Feedback, type PacerConfig, type Reservation, type TierLedger } from './pacer';

/** The tier ledger in the object's SQLite (a cached count: a reservation asks it per recipient). */
class SqlLedger implements TierLedger {
  private n: number;
  constructor(private readonly sql: SqlStorage) {
    sql.exec('CREATE TABLE IF NOT EXISTS tier (wa_id TEXT PRIMARY KEY, at INTEGER NOT NULL)');
    sql.exec('CREATE INDEX IF NOT EXISTS tier_at ON tier (at)');
    this.n = this.countRows();
  }
  private countRows(): number {
    return Number(this.sql.exec('SELECT count(*) AS n FROM tier').one().n);
  }
  prune(before: number): void {
    const removed = this.sql.exec('DELETE FROM tier WHERE at <= ?', before).rowsWritten;
    if (removed > 0) this.n = this.countRows();
  }
  countedAt(waId: string): number | undefined {
    const row = this.sql.exec('SELECT at FROM tier WHERE wa_id = ?', waId).toArray()[0];
    return row ? Number(row.at) : undefined;
  }
  count(): number {
    return this.n;
  }
  oldest(): number | undefined {
    const row = this.sql.exec('SELECT min(at) AS at FROM tier').one();
    return row.at === null ? undefined : Number(row.at);
  }
  add(waId: string, at: number): void {
    const isNew = this.countedAt(waId) === undefined;
    this.sql.exec('INSERT INTO tier (wa_id, at) VALUES (?, ?) ON CONFLICT (wa_id) DO UPDATE SET at = excluded.at', waId, at);
    if (isNew) this.n++;
  }
  remove(waId: string): void {
    if (this.sql.exec('DELETE FROM tier WHERE wa_id = ?', waId).rowsWritten > 0) this.n--;
  }
}

export interface ReserveRequest {
  config: Partial<PacerConfig>;
  recipients: string[];
}

export class PhonePacer extends DurableObject<Env> {
  private readonly pacer: Pacer;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.pacer = new Pacer({}, new SqlLedger(ctx.storage.sql));
  }

  /** Send slots for these recipients inside the horizon, the rest deferred (see Pacer.reserve). */
  reserve(req: ReserveRequest): Reservation & { now: number; lateMs: number } {
    this.pacer.configure(req.config);
    const now = Date.now();
    return { now, lateMs: this.pacer.lateness(), ...this.pacer.reserve(now, req.recipients) };
  }

  /** Fresh slots for granted sends that missed theirs (see Pacer.slots), and the lateness allowed. */
  slots(n: number): { at: number[]; lateMs: number } {
    return { at: this.pacer.slots(Date.now(), n), lateMs: this.pacer.lateness() };
  }

  /** A throttling answer from Meta for a send from this number. */
  feedback(code: Feedback, to?: string): void {
    this.pacer.feedback(Date.now(), code, to);
  }

  /** Gives back the tier units of granted sends that Meta refused outright (nothing delivered). */
  release(recipients: string[]): void {
    for (const to of recipients) this.pacer.release(to);
  }

  snapshot(): ReturnType<Pacer['snapshot']> {
    return this.pacer.snapshot(Date.now());
  }
}
