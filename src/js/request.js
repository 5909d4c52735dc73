// Builds the plain `{ method, url, headers, body }` object of a built request directly: cheaper
// than JSON.parse of a JSON text whose body is itself escaped JSON.
export function apiRequest(method, url, headerName, headerValue, body) {
  const headers = {};
  if (headerName !== undefined) headers[headerName] = headerValue;
  return body === undefined ? { method, url, headers } : { method, url, headers, body };
}
