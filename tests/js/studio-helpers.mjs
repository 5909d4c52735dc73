// Helpers for studio.test.mjs: the plain text of each part of a renderTemplatePreview result,
// computed from the package's own output (the test compares the page against it).

const spansText = (part) => (Array.isArray(part?.spans) ? part.spans.map((s) => s.text ?? '').join('') : (part?.text ?? ''));

export function previewText(preview) {
  const format = String(preview?.header?.format ?? '').toUpperCase();
  return {
    header: preview?.header ? (format && format !== 'TEXT' ? format : spansText(preview.header)) : '',
    body: spansText(preview?.body),
    footer: spansText(preview?.footer),
    buttons: (preview?.buttons ?? []).map((b) => b.text ?? ''),
  };
}
