// One HTTP attempt for src/transport/fetch.rs, made here whole: the fetch options, the timeout
// (one AbortController and one timer) and the reading of the answer, so Rust awaits one promise
// and reads one record. The global `fetch` may be the platform's or one a test (or a hostile
// caller) installed, so everything it gives back is read here, inside try/catch, and the promise
// always resolves (never rejects) to a plain record whose fields are strings, numbers, booleans
// or undefined:
//   { status, retryAfter, contentType, body }  an answer (`body` undefined when over `maxBody`
//                                               characters; `bodyLength` says how many)
//   { failure, connect, timedOut }             no answer: `failure` describes why (at most 300
//                                               characters, redacted: see `redact`); `connect`
//                                               is true when the connection was never made
//                                               (nothing was sent); `timedOut` when the request
//                                               was aborted after `timeoutMs`
// `request` is the JSON text of the core's request `{ method, url, headers, body? }`; `form`, when
// not undefined, is a FormData sent instead of its body. `init` has only method, headers, body
// and signal: never `mode`, `credentials` or `cache`, which workerd rejects.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export async function attempt(request, form, timeoutMs, maxBody) {
  let url, init, controller, timer;
  let timedOut = false;
  try {
    const { method, url: target, headers, body } = JSON.parse(request);
    url = target;
    init = { method, headers };
    if (form !== undefined) init.body = form;
    else if (body !== undefined) init.body = body;
    controller = new AbortController();
    init.signal = controller.signal;
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  } catch (e) {
    // Nothing was sent (no AbortController or timer in this runtime). Redacted and cut like any
    // other failure: the message may quote what it could read.
    const why = failure(e, init ?? { headers: {} }, timedOut).failure;
    return { failure: `the request could not be prepared: ${why}`, connect: true, timedOut };
  }
  try {
    const resp = await fetch(url, init);
    const status = Number(resp.status);
    const retryAfter = text(resp.headers.get('retry-after'));
    const contentType = text(resp.headers.get('content-type'));
    const body = await resp.text();
    if (typeof body !== 'string' || !Number.isInteger(status)) throw new TypeError('fetch answered something that is not a Response');
    return body.length > maxBody
      ? { status, retryAfter, contentType, body: undefined, bodyLength: body.length }
      : { status, retryAfter, contentType, body };
  } catch (e) {
    return failure(e, init, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

const text = (v) => (typeof v === 'string' ? v : undefined);

// What fetch says may quote the request: the URL with its query (`client_secret=…`,
// `fb_exchange_token=…`, an app token), a header value (the token) or the body. Every URL's query
// and fragment are cut, and every header value (and the token of `Bearer <token>` alone) and the body are replaced.
function redact(text, init) {
  let out = text.replace(/(:\/\/[^\s"'<>`?#]*)[?#][^\s"'<>`]*/g, '$1?…');
  // A header value whole and, for `Bearer <token>`, the credential alone.
  const secrets = Object.values(init.headers).flatMap((v) => [v, v.slice(v.lastIndexOf(' ') + 1)]);
  if (typeof init.body === 'string') secrets.push(init.body);
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('…');
  return out;
}

// An Error's message (and its cause's), or the thrown string; never throws.
function describe(e) {
  let text = 'fetch failed';
  try {
    const message = e instanceof Error ? e.message : e;
    if (typeof message === 'string' && message !== '') text = message;
    const cause = e instanceof Error ? e.cause : undefined;
    if (cause instanceof Error && typeof cause.message === 'string' && cause.message !== '') text += ` (${cause.message})`;
  } catch {
    // A hostile rejection value: keep the generic text.
  }
  return text;
}

function failure(e, init, timedOut) {
  let connect = false;
  try {
    connect = e instanceof Error && e.cause instanceof Error && CONNECT_CODES.has(e.cause.code);
  } catch {
    // A hostile rejection value: not known to be a refused connection.
  }
  const text = redact(describe(e), init);
  return { failure: text.length > 300 ? text.slice(0, 300) + '…' : text, connect, timedOut };
}
