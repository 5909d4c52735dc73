// Bearer-key authentication for /v1/*: several keys (rotation), compared in constant time.
import { list, type Env } from './env';

const encoder = new TextEncoder();

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', encoder.encode(text));
}

/**
 * Whether `Authorization: Bearer <key>` names one of API_KEYS. Both sides are hashed first, so
 * the comparison is over equal lengths, and every configured key is compared (no early exit), so
 * the time taken says nothing about which key, or how much of it, matched.
 */
export async function authorized(request: Request, env: Env): Promise<boolean> {
  const keys = list(env.API_KEYS);
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (keys.length === 0 || !match) return false;
  const given = await digest(match[1]!);
  let ok = false;
  for (const key of keys) {
    const same = crypto.subtle.timingSafeEqual(given, await digest(key));
    ok = same || ok;
  }
  return ok;
}
