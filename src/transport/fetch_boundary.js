// One HTTP attempt for src/transport/fetch.rs. The global `fetch` may be the platform's or one a
// test (or a hostile caller) installed, so everything it gives back is read here, inside
// try/catch, and the promise always resolves to a plain record:
//   { status, retryAfter, contentType, body }  an answer (`body` undefined when over `maxBody`
//                                               characters; `bodyLength` says how many)
//   { failure, connect }                       no answer: `failure` describes why (at most 300
//                                               characters, redacted: see `redact`); `connect`
//                                               is true when the connection was never made
//                                               (nothing was sent)
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export async function attempt(url, init, maxBody) {
  let resp;
  try {
    resp = await fetch(url, init);
  } catch (e) {
    return failure(e, init);
  }
  try {
    const status = Number(resp.status);
    const retryAfter = resp.headers.get('retry-after');
    const contentType = resp.headers.get('content-type');
    const body = await resp.text();
    if (typeof body !== 'string' || !Number.isInteger(status)) throw new TypeError('fetch answered something that is not a Response');
    return body.length > maxBody
      ? { status, retryAfter, contentType, body: undefined, bodyLength: body.length }
      : { status, retryAfter, contentType, body };
  } catch (e) {
    return failure(e, init);
  }
}

// What fetch says may quote the request: the URL with its query (`client_secret=…`,
// `fb_exchange_token=…`, an app token), a header value (the token) or the body. Every URL's query
// and fragment are cut, and every header value and the body are replaced.
export function redact(text, init) {
  let out = text.replace(/(:\/\/[^\s"'<>`?#]*)[?#][^\s"'<>`]*/g, '$1?…');
  const secrets = Object.values(init.headers);
  if (typeof init.body === 'string') secrets.push(init.body);
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('…');
  return out;
}

function failure(e, init) {
  let text = 'fetch failed';
  let connect = false;
  try {
    const message = e instanceof Error ? e.message : e;
    if (typeof message === 'string' && message !== '') text = message;
    const cause = e instanceof Error ? e.cause : undefined;
    if (cause instanceof Error) {
      if (typeof cause.message === 'string' && cause.message !== '') text += ` (${cause.message})`;
      connect = CONNECT_CODES.has(cause.code);
    }
  } catch {
    // A hostile rejection value: keep the generic text.
  }
  text = redact(text, init);
  return { failure: text.length > 300 ? text.slice(0, 300) + '…' : text, connect };
}
