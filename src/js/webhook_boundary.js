// Boundary helper for the webhook exports (src/js/webhook.rs).

// The query string of a `verifyWebhookChallenge` argument: a query string as is, a
// `URLSearchParams` or `URL` as serialised by the platform, a plain object (Express-style parsed
// query) with each string value, or the first string of an array value. `undefined` otherwise;
// the length when the text is over `max` characters. Reading a hostile object may throw (a
// getter, a proxy trap): this is imported with `catch`.
export function queryText(query, max) {
  const text = queryOf(query);
  return typeof text === 'string' && text.length > max ? text.length : text;
}

function queryOf(query) {
  if (typeof query === 'string') return query;
  if (query instanceof URLSearchParams) return query.toString();
  if (query instanceof URL) return query.search;
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === 'string') params.append(key, v);
  }
  return params.toString();
}
