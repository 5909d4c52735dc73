// Webhook verify + parse throughput: this package vs node:crypto + JSON.parse vs whatsapp-api-js
// 6.3.0, in one process, on a ~2 KB delivery. Prints numbers; asserts nothing about timing.
// Usage: make pkg && node bench/webhook.mjs [secondsPerCase]
import { createHmac, timingSafeEqual } from 'node:crypto';
import { verifyWebhookSignature, parseWebhook, verifyAndParseWebhook, signWebhook } from '@basecloud/whatsapp-business';
import { WhatsAppAPI } from 'whatsapp-api-js';

const SECONDS = Number(process.argv[2] ?? 1);
const SECRET = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

// A realistic delivery: one text reply with contacts, context and a click-to-WhatsApp referral,
// plus two statuses, padded with a longer text to ~2 KB. Non-ASCII sent as \u escapes, as Meta does.
function delivery(targetBytes) {
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
    contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
    messages: [{
      context: { from: '15550783881', id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA' },
      referral: { source_url: 'https://fb.me/3cr4Wqqkv', source_id: '120226305854810726', source_type: 'ad', headline: 'Chat with us', body: 'Summer sale', media_type: 'image', image_url: 'https://scontent.xx.fbcdn.net/v/ad.png', ctwa_clid: 'Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4' },
      from: '16505551234', id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', timestamp: '1749416383', type: 'text',
      text: { body: '' },
    }],
    statuses: [
      { id: 'wamid.OUT1', status: 'delivered', timestamp: '1750263775', recipient_id: '16505551234', pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' } },
      { id: 'wamid.OUT1', status: 'read', timestamp: '1750263790', recipient_id: '16505551234' },
    ],
  };
  const envelope = { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ value, field: 'messages' }] }] };
  const base = JSON.stringify(envelope).length;
  value.messages[0].text.body = 'Café crème 🎉 '.repeat(Math.max(0, Math.floor((targetBytes - base) / 28)));
  // JSON.stringify keeps non-ASCII raw; Meta escapes it. Escape like Meta.
  return JSON.stringify(envelope).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const text = delivery(2048);
const bytes = Buffer.from(text);
const header = 'sha256=' + createHmac('sha256', SECRET).update(bytes).digest('hex');
if (signWebhook(bytes, SECRET) !== header) throw new Error('signWebhook disagrees with node:crypto');

const wa = new WhatsAppAPI({ token: 'unused', appSecret: SECRET, webhookVerifyToken: 'unused', v: 'v25.0' });

function nodeVerify(body, sig) {
  const expected = createHmac('sha256', SECRET).update(body).digest();
  const got = Buffer.from(sig.slice(7), 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function bench(name, fn) {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(SECONDS * 1e9));
  const start = process.hrtime.bigint();
  let now = start;
  while (now < end) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    now = process.hrtime.bigint();
  }
  const secs = Number(now - start) / 1e9;
  return { name, opsPerSec: Math.round(n / secs), usPerOp: +(secs / n * 1e6).toFixed(2) };
}

async function benchAsync(name, fn) {
  for (let i = 0; i < 500; i++) await fn();
  let n = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(SECONDS * 1e9));
  const start = process.hrtime.bigint();
  let now = start;
  while (now < end) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
    now = process.hrtime.bigint();
  }
  const secs = Number(now - start) / 1e9;
  return { name, opsPerSec: Math.round(n / secs), usPerOp: +(secs / n * 1e6).toFixed(2) };
}

let sink = 0;
const check = (ok) => { if (!ok) throw new Error('verification failed during the benchmark'); };
const rows = [
  bench('this package: verify + parse (Uint8Array body)', () => { check(verifyWebhookSignature(bytes, header, SECRET)); sink += parseWebhook(bytes).length; }),
  bench('this package: verify + parse (string body)', () => { check(verifyWebhookSignature(text, header, SECRET)); sink += parseWebhook(text).length; }),
  bench('this package: verifyAndParseWebhook (Uint8Array, one call)', () => { const events = verifyAndParseWebhook(bytes, header, SECRET); check(events); sink += events.length; }),
  bench('node:crypto HMAC + timingSafeEqual + JSON.parse', () => { check(nodeVerify(bytes, header)); sink += JSON.parse(bytes.toString('utf8')).entry.length; }),
  await benchAsync('whatsapp-api-js 6.3.0 verifyRequestSignature + JSON.parse', async () => { check(await wa.verifyRequestSignature(text, header)); sink += JSON.parse(text).entry.length; }),
  bench('this package: verify only', () => check(verifyWebhookSignature(bytes, header, SECRET))),
  bench('node:crypto: verify only', () => check(nodeVerify(bytes, header))),
  bench('this package: parse only', () => { sink += parseWebhook(bytes).length; }),
  bench('JSON.parse only', () => { sink += JSON.parse(bytes.toString('utf8')).entry.length; }),
];

console.log(`webhook body: ${bytes.length} bytes, ${parseWebhook(bytes).length} events; ${SECONDS}s per case; node ${process.version}`);
console.table(rows);

// Correctness next to speed: the same text sent as raw UTF-8 (a valid Meta-style body whose
// signature covers the UTF-8 bytes). whatsapp-api-js re-escapes non-ASCII before hashing.
const raw = text.replace(/\\u([0-9a-f]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
const rawHeader = 'sha256=' + createHmac('sha256', SECRET).update(Buffer.from(raw)).digest('hex');
console.log('raw UTF-8 body, valid signature → this package:', verifyWebhookSignature(Buffer.from(raw), rawHeader, SECRET),
  '| whatsapp-api-js:', await wa.verifyRequestSignature(raw, rawHeader));
if (sink < 0) console.log(sink);
