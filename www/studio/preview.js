// Draws the result of the package's renderTemplatePreview as a WhatsApp chat bubble. The text and
// its formatting come from the preview's spans; this file only maps them to elements.

const $ = (id) => document.getElementById(id);

const ICONS = { URL: '↗', PHONE_NUMBER: '✆', QUICK_REPLY: '↩', COPY_CODE: '⧉', OTP: '⧉', FLOW: '☰' };

/** One span → its text wrapped in <strong>/<em>/<s>/<code> as its styles say. */
function spanNode(span) {
  let node = document.createTextNode(span.text ?? '');
  const wrap = (tag, cls) => {
    const outer = document.createElement(tag);
    if (cls) outer.className = cls;
    outer.append(node);
    node = outer;
  };
  if (span.mono) wrap('code');
  if (span.strike) wrap('s');
  if (span.italic) wrap('em');
  if (span.bold) wrap('strong');
  if (span.variable) wrap('span', 'var');
  return node;
}

function fill(target, part) {
  if (!part) { target.replaceChildren(); return; }
  if (Array.isArray(part.spans)) target.replaceChildren(...part.spans.map(spanNode));
  else target.textContent = part.text ?? '';
}

/** `preview` is what renderTemplatePreview returned, or null to clear. */
export function renderPreview(preview) {
  const header = $('preview-header');
  const h = preview?.header;
  const format = String(h?.format ?? '').toUpperCase();
  header.className = 'p-header';
  if (h && format && format !== 'TEXT') {
    header.classList.add('media');
    header.textContent = format;
  } else {
    fill(header, h);
  }
  fill($('preview-body'), preview?.body);
  fill($('preview-footer'), preview?.footer);
  // WhatsApp shows up to three buttons; with more, the first two and "See all options", which opens
  // the full list.
  const buttons = preview?.buttons ?? [];
  const list = $('preview-buttons');
  if (buttons.length <= 3) {
    list.replaceChildren(...buttons.map(buttonItem));
  } else {
    const more = document.createElement('li');
    more.className = 'more';
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = '☰ See all options';
    const all = document.createElement('ul');
    all.className = 'p-all';
    all.append(...buttons.map(buttonItem));
    details.append(summary, all);
    more.append(details);
    list.replaceChildren(...buttons.slice(0, 2).map(buttonItem), more);
  }
}

function buttonItem(b) {
  const li = document.createElement('li');
  const type = String(b.type ?? '').toUpperCase();
  const icon = document.createElement('span');
  icon.className = 'icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = ICONS[type] ?? '';
  const label = document.createElement('span');
  label.className = 'label';
  label.textContent = b.text ?? '';
  li.append(icon, label);
  if (b.url) li.title = b.url;
  if (b.phoneNumber) li.title = b.phoneNumber;
  return li;
}
