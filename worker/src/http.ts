// Response helpers: every answer is JSON (or the challenge text) and carries the request id.

export interface RequestContext {
  request: Request;
  url: URL;
  /** Path parameters of the matched route, already URL-decoded. */
  params: Record<string, string>;
  requestId: string;
  ctx: ExecutionContext;
  /** The matched route's pattern (e.g. `/v1/messages/{wamid}`), for logs; null until matched. */
  route: string | null;
}

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** An error answer: `{ error: { code, message } }`. */
export function problem(status: number, code: string, message: string, headers: HeadersInit = {}): Response {
  return json({ error: { code, message } }, status, headers);
}

/** Reads a JSON request body; null when it is not JSON. */
export async function readJson(request: Request): Promise<unknown | null> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}
