// Campaign bindings and settings (names are the contract: README "Campaigns").
import { WhatsAppClient } from '@basecloud/whatsapp-business';
import type { Env } from '../env';
import { connectionToken } from '../tasks';
import type { PhonePacer } from './pacer-do';
import { DEFAULT_PACER, tierLimitOf, type PacerConfig } from './pacer';
import type { CampaignRow } from './store';

/** A queue message: a block of one campaign's recipient rows. */
export interface ChunkMessage {
  c: string;
  rows: number[];
}

export interface CampaignEnv extends Env {
  /** Fan-out queue (`whatsapp-campaigns`); its dead-letter queue is `whatsapp-campaigns-dlq`. */
  CAMPAIGN_QUEUE: Queue<ChunkMessage>;
  /** One PhonePacer Durable Object per business phone number. */
  PACER: DurableObjectNamespace<PhonePacer>;
  /** Messages/s per number, overriding Graph's `throughput` level: `{"<phone id>": 200}` or one number for all. */
  CAMPAIGN_THROUGHPUT?: string;
  /** Share of the throughput left for inbound traffic and replies (default 0.04). */
  CAMPAIGN_HEADROOM?: string;
  /** Unique users per tier window, overriding Graph's messaging limit: `{"<phone id>": 250 | "TIER_2K" | "unlimited"}` or one value for all. */
  CAMPAIGN_TIER_LIMITS?: string;
  /** The tier's rolling window in seconds (default 86400). */
  CAMPAIGN_TIER_WINDOW_SECONDS?: string;
  /** Minimum seconds between two campaign messages to one user (default 6). */
  CAMPAIGN_PAIR_INTERVAL_SECONDS?: string;
  /** A send still `sending` after this many seconds is marked ambiguous (default 60). */
  CAMPAIGN_SENDING_TIMEOUT_SECONDS?: string;
  /** A running campaign with no progress for this many seconds is re-enqueued by the watchdog (default 60). */
  CAMPAIGN_STALL_SECONDS?: string;
  /** Comma-separated opt-out keywords (default: STOP and its equivalents in several languages). */
  OPT_OUT_KEYWORDS?: string;
  /** Where the daily health check POSTs quality alerts (JSON). */
  HEALTH_ALERT_URL?: string;
}

export const campaignEnv = (env: Env): CampaignEnv => env as CampaignEnv;

function num(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) ? n : fallback;
}

/** A per-number setting: JSON `{phoneId: value}` or one value for every number. */
function perNumber(setting: string | undefined, phoneNumberId: string): unknown {
  if (!setting || !setting.trim()) return undefined;
  try {
    const v: unknown = JSON.parse(setting);
    if (v && typeof v === 'object' && !Array.isArray(v)) return (v as Record<string, unknown>)[phoneNumberId];
    return v;
  } catch {
    return setting.trim();
  }
}

/** The throughput override for a number, if configured. */
export function configuredThroughput(env: CampaignEnv, phoneNumberId: string): number | undefined {
  const v = perNumber(env.CAMPAIGN_THROUGHPUT, phoneNumberId);
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The tier override for a number: a count, `null` (unlimited), or undefined (use Graph's tier). */
export function configuredTier(env: CampaignEnv, phoneNumberId: string): number | null | undefined {
  const v = perNumber(env.CAMPAIGN_TIER_LIMITS, phoneNumberId);
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v > 0 ? Math.floor(v) : null;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v) > 0 ? Number(v) : null;
    if (v.toLowerCase() === 'unlimited') return null;
    return tierLimitOf(v);
  }
  return undefined;
}

export function tierWindowMs(env: CampaignEnv): number {
  return Math.max(1, num(env.CAMPAIGN_TIER_WINDOW_SECONDS, 86_400)) * 1000;
}

export function stallMs(env: CampaignEnv): number {
  return Math.max(1, num(env.CAMPAIGN_STALL_SECONDS, 60)) * 1000;
}

export function sendingTimeoutMs(env: CampaignEnv): number {
  return Math.max(1, num(env.CAMPAIGN_SENDING_TIMEOUT_SECONDS, 60)) * 1000;
}

/** How the campaign's number is paced. */
export function pacerConfig(env: CampaignEnv, c: CampaignRow): Partial<PacerConfig> {
  const window = tierWindowMs(env);
  return {
    throughput: c.throughput,
    headroom: num(env.CAMPAIGN_HEADROOM, DEFAULT_PACER.headroom),
    tierLimit: c.tier_limit,
    tierWindowMs: window,
    pairIntervalMs: num(env.CAMPAIGN_PAIR_INTERVAL_SECONDS, 6) * 1000,
    spamBackoffMs: Math.min(60_000, window),
  };
}

export function pacerOf(env: CampaignEnv, phoneNumberId: string): DurableObjectStub<PhonePacer> {
  return env.PACER.get(env.PACER.idFromName(phoneNumberId));
}

const clients = new Map<string, { base: string | undefined; client: WhatsAppClient }>();

/**
 * The Graph client of an app connection (credentials from CONNECTIONS, never returned). Retries
 * are off: the campaign engine decides, so a send whose fate is unknown is never replayed.
 */
export function clientFor(env: CampaignEnv, connectionId: string): WhatsAppClient | null {
  const cached = clients.get(connectionId);
  if (cached && cached.base === env.GRAPH_BASE_URL) return cached.client;
  const token = connectionToken(env, connectionId);
  if (token === null) return null;
  const auth = typeof token === 'string' ? { accessToken: token } : { tokenProvider: token };
  const client = new WhatsAppClient({ ...auth, baseUrl: env.GRAPH_BASE_URL, retry: { maxAttempts: 1 }, timeoutMs: 20_000 });
  clients.set(connectionId, { base: env.GRAPH_BASE_URL, client });
  return client;
}
