// Template payload building and definition validation, next to the peers installed in
// node_modules, in one Node process. Prints numbers; asserts nothing about time.
//
//   make pkg && node bench/templates.mjs
import {
  buildSendTemplate, buildSendText, validateTemplate, bindTemplateParameters,
} from '@basecloud/whatsapp-business';
import { Template, Language, Text } from 'whatsapp-api-js/messages';
import { BodyComponent, BodyParameter, URLComponent } from 'whatsapp-api-js/messages/template';
import { TemplateDefinition } from '@kapso/whatsapp-cloud-api';
import { seedSend, seedSendBody, welcomeDefinition, approvedOrderConfirmation } from '../tests/js/fixtures/rules.mjs';
import { bench, print, footer } from './_measure.mjs';

// --- 1. Building the seed's send_template request ------------------------------------------
// Sanity: every contender produces the same JSON body.
const [name, lang, params] = [seedSend.templateName, seedSend.language, seedSend.parameters];
function peerWhatsappApiJs() {
  // What whatsapp-api-js's sendMessage does before fetch: build the message objects, the request
  // envelope and its JSON text.
  const message = new Template(name, new Language(lang), new BodyComponent(...params.map((p) => new BodyParameter(p))));
  const request = { messaging_product: 'whatsapp', recipient_type: 'individual', to: seedSend.to, type: message._type, [message._type]: message };
  return { method: 'POST', url: `https://graph.facebook.com/v25.0/${seedSend.phoneNumberId}/messages`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) };
}
function floorLiteral() {
  return {
    method: 'POST',
    url: `https://graph.facebook.com/v25.0/${seedSend.phoneNumberId}/messages`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      messaging_product: 'whatsapp', to: seedSend.to, type: 'template',
      template: { name, language: { code: lang }, components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }] },
    }),
  };
}
const seedText = JSON.stringify(seedSend);
if (buildSendTemplate(seedSend).body !== seedSendBody || floorLiteral().body !== seedSendBody) throw new Error('bodies differ');
JSON.parse(peerWhatsappApiJs().body); // whatsapp-api-js adds recipient_type; same template part
const withTemplate = { ...seedSend, parameters: { body: seedSend.parameters, buttons: ['12345'] }, template: approvedOrderConfirmation };
buildSendTemplate(withTemplate);

print('buildSendTemplate — seed order_confirmation, 4 body parameters (validates ids, recipient, name, language, values)', [
  bench('object literal + JSON.stringify (floor, no checks)', floorLiteral),
  bench('whatsapp-api-js 6.3.0 Template + JSON.stringify', peerWhatsappApiJs),
  bench('buildSendTemplate(object)', () => buildSendTemplate(seedSend)),
  bench('buildSendTemplate(JSON text) — fast path', () => buildSendTemplate(seedText)),
  bench('buildSendTemplate(object + approved template) — bound', () => buildSendTemplate(withTemplate)),
], 'whatsapp-api-js 6.3.0 Template + JSON.stringify');

// --- 1b. Explicit components (the common case: body values and a URL button's suffix) ---------
const explicitSend = {
  phoneNumberId: seedSend.phoneNumberId, to: seedSend.to, templateName: name, language: lang,
  components: [
    { type: 'body', parameters: params.map((text) => ({ type: 'text', text })) },
    { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'order/12345' }] },
  ],
};
const explicitText = JSON.stringify(explicitSend);
function peerExplicit() {
  const message = new Template(name, new Language(lang), new BodyComponent(...params.map((p) => new BodyParameter(p))), new URLComponent('order/12345'));
  const request = { messaging_product: 'whatsapp', recipient_type: 'individual', to: seedSend.to, type: message._type, [message._type]: message };
  return { method: 'POST', url: `https://graph.facebook.com/v25.0/${seedSend.phoneNumberId}/messages`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) };
}
buildSendTemplate(explicitSend);
print('buildSendTemplate — explicit components (4 body values + a URL button)', [
  bench('whatsapp-api-js 6.3.0 Template + URLComponent', peerExplicit),
  bench('buildSendTemplate(object, components)', () => buildSendTemplate(explicitSend)),
  bench('buildSendTemplate(JSON text, components)', () => buildSendTemplate(explicitText)),
], 'whatsapp-api-js 6.3.0 Template + URLComponent');

// --- 1c. A text message ---------------------------------------------------------------------
const textSend = { phoneNumberId: seedSend.phoneNumberId, to: seedSend.to, text: 'Your order 12345 has shipped.' };
const textSendText = JSON.stringify(textSend);
function peerText() {
  const message = new Text(textSend.text);
  const request = { messaging_product: 'whatsapp', recipient_type: 'individual', to: textSend.to, type: message._type, [message._type]: message };
  return { method: 'POST', url: `https://graph.facebook.com/v25.0/${textSend.phoneNumberId}/messages`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) };
}
buildSendText(textSend);
print('buildSendText', [
  bench('whatsapp-api-js 6.3.0 Text + JSON.stringify', peerText),
  bench('buildSendText(object)', () => buildSendText(textSend)),
  bench('buildSendText(JSON text)', () => buildSendText(textSendText)),
], 'whatsapp-api-js 6.3.0 Text + JSON.stringify');

// --- 2. Validating a create-template definition --------------------------------------------
// kapso's zod schema takes camelCase keys; the same definition in its shape.
const kapsoDefinition = {
  name: welcomeDefinition.name,
  language: welcomeDefinition.language,
  category: welcomeDefinition.category,
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Welcome to Our Service!' },
    { type: 'BODY', text: welcomeDefinition.components[1].text, example: { bodyText: [['John', 'ACC12345']] } },
    { type: 'FOOTER', text: 'Reply STOP to unsubscribe' },
    { type: 'BUTTONS', buttons: [
      { type: 'QUICK_REPLY', text: 'Get Started' },
      { type: 'URL', text: 'Visit Website', url: 'https://example.com/{{1}}', example: ['https://example.com/welcome'] },
    ] },
  ],
};
TemplateDefinition.buildTemplateDefinition(kapsoDefinition); // throws if the shapes disagree
if (!validateTemplate(welcomeDefinition).valid) throw new Error('definition should be valid');
const definitionText = JSON.stringify(welcomeDefinition);
const broken = structuredClone(welcomeDefinition);
broken.components[3].buttons[1].url = 'https://example.com/{{1}}/x';
delete broken.components[1].example;

print('validateTemplate — seed customer_welcome_2024 (header, body with 2 variables, footer, 2 buttons)', [
  bench('@kapso/whatsapp-cloud-api 0.3.0 zod buildTemplateDefinition', () => TemplateDefinition.buildTemplateDefinition(kapsoDefinition)),
  bench('validateTemplate(object)', () => validateTemplate(welcomeDefinition)),
  bench('validateTemplate(JSON text) — fast path', () => validateTemplate(definitionText)),
  bench('validateTemplate(object with 2 errors)', () => validateTemplate(broken)),
  bench('bindTemplateParameters(approved, values)', () => bindTemplateParameters(approvedOrderConfirmation, { body: params, buttons: ['12345'] })),
], '@kapso/whatsapp-cloud-api 0.3.0 zod buildTemplateDefinition');
footer();
