// Campaign recipients as CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF). The header
// names the columns: `to` (or `phone`), then the template values: `header`, `button_0`…`button_9`,
// and every other column is a body parameter — by name for a named template, in column order for
// a positional one.

export interface CsvRecipient {
  to: string;
  parameters: { header?: string; body: string[] | Record<string, string>; buttons?: (string | null)[] };
}

/** Parses CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < s.length) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      if (ch === '\r' && s[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/** CSV text → recipients; `named` = the template uses named parameters. Throws on a bad header. */
export function recipientsFromCsv(text: string, named: boolean): CsvRecipient[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('The CSV is empty: it needs a header row (to, then one column per parameter).');
  const names = header.map((h) => h.trim());
  const toCol = names.findIndex((n) => /^(to|phone|recipient|wa_id)$/i.test(n));
  if (toCol < 0) throw new Error('The CSV header needs a "to" column (the recipient phone number).');
  return rows.map((fields) => {
    const body: string[] = [];
    const namedBody: Record<string, string> = {};
    const buttons: (string | null)[] = [];
    let header: string | undefined;
    names.forEach((name, i) => {
      if (i === toCol) return;
      const value = fields[i] ?? '';
      const button = /^button_(\d)$/i.exec(name);
      if (/^header$/i.test(name)) header = value;
      else if (button) buttons[Number(button[1])] = value;
      else if (named) namedBody[name] = value;
      else body.push(value);
    });
    const parameters: CsvRecipient['parameters'] = { body: named ? namedBody : body };
    if (header !== undefined) parameters.header = header;
    if (buttons.length) parameters.buttons = Array.from(buttons, (b) => b ?? null);
    return { to: (fields[toCol] ?? '').trim(), parameters };
  });
}
