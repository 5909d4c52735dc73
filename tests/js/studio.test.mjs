// The template studio (www/) in headless Chromium: live validation from the package's wasm, issues
// at their fields, the preview against renderTemplatePreview, loading get_templates JSON, the send
// panel against buildSendTemplate, keyboard use and a phone-width layout. Screenshots go to
// test-artifacts/ (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openBrowser } from './browser-harness.mjs';
import {
  renderTemplatePreview, buildSendTemplate, buildCreateTemplate, validateTemplate, supportedLanguages,
  bindTemplateParameters,
} from '@basecloud/whatsapp-business';
import { previewText, startEmulator } from './studio-helpers.mjs';

const ART = 'test-artifacts';
let b;
before(async () => { mkdirSync(ART, { recursive: true }); b = await openBrowser(); });
after(async () => b?.close());

async function open(viewport) {
  const page = await b.newPage('/', viewport);
  await page.waitForSelector('#status[data-state="valid"], #status[data-state="invalid"], #status[data-state="error"]');
  assert.notEqual(await page.getAttribute('#status', 'data-state'), 'error', await page.textContent('#status'));
  return page;
}
const definition = async (page) => JSON.parse(await page.inputValue('#json'));
const definitionOnly = ({ id, status, ...def }) => def;
const codes = (page) => page.$$eval('#issues li', (lis) => lis.map((li) => li.dataset.code));
/** Codes of the issue notes placed in the same form field as `selector`. */
const codesAt = (page, selector) => page.$eval(selector, (node) =>
  [...(node.closest('.field') ?? node.parentElement).querySelectorAll('.field-issue')].map((n) => n.dataset.code));

test('the starting template is ready, and its preview is what renderTemplatePreview gives', async () => {
  const page = await open();
  assert.match(await page.textContent('#status'), /ready to submit/i);
  const def = await definition(page);
  assert.deepEqual(validateTemplate(def), { valid: true, issues: [] });
  const expected = previewText(renderTemplatePreview(def));
  assert.equal(await page.textContent('#preview-header'), expected.header);
  assert.equal(await page.textContent('#preview-body'), expected.body);
  assert.equal(await page.textContent('#preview-footer'), expected.footer);
  assert.deepEqual(await page.$$eval('#preview-buttons > li > .label', (n) => n.map((x) => x.textContent)), expected.buttons);
  // the language choices are the package's list
  assert.deepEqual(await page.$$eval('#language option', (o) => o.map((x) => x.value)), supportedLanguages());
  await page.screenshot({ path: `${ART}/studio-valid.png`, fullPage: true });
  await page.close();
});

test('an invalid name and adjacent variables show both issues at their fields; fixing them makes it ready', async () => {
  const page = await open();
  await page.fill('#name', 'Order-Confirm');
  await page.fill('#body-text', 'Hi {{1}}{{2}}, your order has been confirmed and is on its way.');
  await page.waitForSelector('#status[data-state="invalid"]');
  const listed = await codes(page);
  assert.ok(listed.includes('name_invalid_chars'), listed.join());
  assert.ok(listed.includes('variables_adjacent'), listed.join());
  // next to their fields, and marked for assistive technology
  assert.deepEqual(await codesAt(page, '#name'), ['name_invalid_chars']);
  assert.equal(await page.getAttribute('#name', 'aria-invalid'), 'true');
  assert.ok((await codesAt(page, '#body-text')).includes('variables_adjacent'));
  assert.equal(await page.getAttribute('#body-text', 'aria-invalid'), 'true');
  const describedBy = (await page.getAttribute('#name', 'aria-describedby')).split(' ');
  assert.ok(await page.$eval(`#${describedBy.at(-1)}`, (n) => n.classList.contains('field-issue')));
  // the issue's path is the one the package gives
  const def = await definition(page);
  const fromPackage = validateTemplate(def).issues;
  assert.deepEqual(await page.$$eval('#issues li', (lis) => lis.map((li) => [li.dataset.code, li.dataset.path])),
    fromPackage.map((i) => [i.code, i.path]));
  assert.ok(fromPackage.some((i) => i.code === 'variables_adjacent' && i.path === 'components[1].text'));
  // both example fields appeared for the two variables
  assert.equal(await page.$$eval('#body-examples input', (n) => n.length), 2);
  await page.screenshot({ path: `${ART}/studio-errors.png`, fullPage: true });
  // the requests cannot be built, so there is nothing to copy
  assert.match(await page.textContent('#send-request-line'), /cannot build/i);
  assert.equal(await page.isDisabled('button.copy[data-copy="send-request-body"]'), true);

  // clicking an issue in the list takes you to its field
  await page.click('#issues li[data-code="name_invalid_chars"] a');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'name');

  await page.fill('#name', 'order_confirm');
  await page.fill('#body-text', 'Hi {{1}}, your order {{2}} has been confirmed and is on its way.');
  await page.fill('#body-examples input >> nth=0', 'Ann');
  await page.fill('#body-examples input >> nth=1', 'A-77');
  await page.waitForSelector('#status[data-state="valid"]');
  assert.match(await page.textContent('#status'), /ready to submit/i);
  assert.equal(await page.$$eval('.field-issue', (n) => n.length), 0, 'no issue left at any field or parameter');
  assert.equal(await page.isDisabled('button.copy[data-copy="send-request-body"]'), false);
  assert.equal(await page.getAttribute('#name', 'aria-invalid'), null);
  const fixed = await definition(page);
  assert.deepEqual(fixed.components[1].example, { body_text: [['Ann', 'A-77']] });
  assert.equal(validateTemplate(fixed).valid, true);
  await page.close();
});

test('parameter values drive the preview exactly as renderTemplatePreview renders them', async () => {
  const page = await open();
  await page.fill('#body-text', 'Hi *{{1}}*, _your_ order ~{{2}}~ is ```ready```.');
  await page.fill('#body-examples input >> nth=0', 'Ann');
  await page.fill('#body-examples input >> nth=1', 'A-77');
  await page.fill('#params input[data-key="body:1"]', 'Bongani');
  const def = await definition(page);
  const values = await page.evaluate(() => window.studio.previewValues());
  const expected = renderTemplatePreview(def, values);
  const text = previewText(expected);
  assert.ok(text.body.includes('Bongani'), text.body);
  assert.equal(await page.textContent('#preview-body'), text.body);
  // formatting is rendered from the spans, not shown as markup
  assert.equal(await page.textContent('#preview-body strong'), 'Bongani');
  assert.equal(await page.textContent('#preview-body em'), 'your');
  assert.equal(await page.textContent('#preview-body s'), 'A-77');
  assert.equal(await page.textContent('#preview-body code'), 'ready');
  await page.close();
});

test('a media header asks for its sample handle, and for a link when sending', async () => {
  const page = await open();
  await page.selectOption('#header-format', 'IMAGE');
  await page.waitForSelector('#status[data-state="invalid"]');
  const def = await definition(page);
  const issue = validateTemplate(def).issues.find((i) => i.path.startsWith('components[0].example'));
  assert.ok(issue, 'the package wants a sample for the image');
  assert.deepEqual(await codesAt(page, '#header-handle'), [issue.code]);
  assert.equal(await page.textContent('#preview-header'), 'IMAGE');
  await page.fill('#header-handle', '4::aW1hZ2UvanBlZw==');
  await page.waitForSelector('#status[data-state="valid"]');
  // sending needs the image itself
  assert.match(await page.textContent('#send-request-body'), /binding_missing_value/);
  // …and says so at the parameter
  assert.deepEqual(await codesAt(page, '#params input[data-key="header:media"]'), ['binding_missing_value']);
  assert.equal(await page.getAttribute('#params input[data-key="header:media"]', 'aria-invalid'), 'true');
  await page.fill('#params input[data-key="header:media"]', 'https://example.com/order.jpg');
  assert.deepEqual(await codesAt(page, '#params input[data-key="header:media"]'), []);
  const sent = JSON.parse(await page.textContent('#send-request-body'));
  assert.deepEqual(sent.template.components[0], { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/order.jpg' } }] });
  await page.close();
});

test('an authentication template is built from its own fields and previewed with the one-time code', async () => {
  const page = await open();
  await page.fill('#name', 'login_code');
  await page.selectOption('#category', 'AUTHENTICATION');
  await page.waitForSelector('#status[data-state="invalid"]');
  assert.ok((await codes(page)).includes('auth_body_text_not_allowed'));
  assert.equal(await page.isVisible('#add-security'), true);
  await page.selectOption('#header-format', '');
  await page.fill('#body-text', '');
  await page.check('#add-security');
  await page.fill('#footer-text', '');
  await page.fill('#code-expiration', '10');
  await page.click('#buttons > li button[data-action="remove"]');
  await page.selectOption('#new-button-type', 'OTP');
  await page.click('#add-button');
  await page.waitForSelector('#status[data-state="valid"]');
  const def = await definition(page);
  assert.deepEqual(def.components, [
    { type: 'BODY', add_security_recommendation: true },
    { type: 'FOOTER', code_expiration_minutes: 10 },
    { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
  ]);
  await page.fill('#params input[data-key="body:1"]', '482913');
  const expected = previewText(renderTemplatePreview(def, await page.evaluate(() => window.studio.previewValues())));
  assert.match(expected.body, /^482913 /);
  assert.equal(await page.textContent('#preview-body'), expected.body);
  assert.equal(await page.textContent('#preview-footer'), expected.footer);
  assert.deepEqual(JSON.parse(await page.textContent('#task-config')).template_parameters, ['482913']);
  // one-tap autofill asks for the Android app, in the button's own fields
  await page.selectOption('#buttons > li select', 'ONE_TAP');
  await page.waitForSelector('#status[data-state="invalid"]');
  const appIssues = validateTemplate(await definition(page)).issues;
  assert.ok(appIssues.length > 0 && appIssues.every((i) => i.path.startsWith('components[2].buttons[0]')), JSON.stringify(appIssues));
  assert.deepEqual(await page.$$eval('#buttons > li .field-issue', (n) => n.map((x) => x.dataset.code)).then((c) => c.sort()),
    appIssues.map((i) => i.code).sort());
  await page.fill('#buttons input[data-rel="buttons[0].supported_apps[0].package_name"]', 'com.example.shop');
  await page.fill('#buttons input[data-rel="buttons[0].supported_apps[0].signature_hash"]', 'K8a/AINcGX7');
  await page.waitForSelector('#status[data-state="valid"]');
  assert.deepEqual((await definition(page)).components[2].buttons[0].supported_apps,
    [{ package_name: 'com.example.shop', signature_hash: 'K8a/AINcGX7' }]);

  await page.fill('#code-expiration', '120');
  await page.waitForSelector('#status[data-state="invalid"]');
  const bad = validateTemplate(await definition(page)).issues;
  assert.deepEqual(await codesAt(page, '#code-expiration'), bad.map((i) => i.code));
  await page.close();
});

test('pasting a get_templates page loads its templates, and a single template object loads too', async () => {
  const page = await open();
  const stored = (name, status, text) => ({
    name, status, id: `9${name.length}0001`, language: 'en_US', category: 'MARKETING', parameter_format: 'POSITIONAL',
    components: [
      { type: 'BODY', text, example: { body_text: [['Ann']] } },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
    ],
  });
  const pageJson = {
    data: [stored('spring_sale', 'APPROVED', 'Hi {{1}}, our spring sale starts today.'),
      stored('winter_sale', 'REJECTED', 'Hello {{1}}, the winter sale is here.')],
    paging: { cursors: { before: 'a', after: 'b' } },
  };
  await page.fill('#json', JSON.stringify(pageJson));
  await page.waitForFunction(() => document.getElementById('name').value === 'spring_sale');
  assert.equal(await page.inputValue('#category'), 'MARKETING');
  assert.equal(await page.inputValue('#body-text'), 'Hi {{1}}, our spring sale starts today.');
  assert.equal(await page.$$eval('#buttons > li', (n) => n.length), 1);
  assert.match(await page.textContent('#json-note'), /status APPROVED/);
  assert.deepEqual(await page.$$eval('#picker option', (o) => o.map((x) => x.textContent.split(' · ')[0])), ['spring_sale', 'winter_sale']);
  await page.selectOption('#picker', '1');
  await page.waitForFunction(() => document.getElementById('name').value === 'winter_sale');
  assert.match(await page.textContent('#json-note'), /2 of 2/);
  const def = await definition(page);
  assert.equal(def.status, undefined, 'server fields are not part of the definition');
  assert.equal(await page.textContent('#preview-body'), previewText(renderTemplatePreview(def)).body);

  // runTask's get_templates output carries the same objects under `templates`
  await page.fill('#json', JSON.stringify({ run: true, action: 'get_templates', templates: [stored('autumn_sale', 'PENDING', 'Hi {{1}}, autumn is here.')], count: 1 }));
  await page.waitForFunction(() => document.getElementById('name').value === 'autumn_sale');

  const single = stored('welcome_back', 'APPROVED', 'Welcome back {{1}}, good to see you.');
  await page.fill('#json', JSON.stringify(single, null, 2));
  await page.waitForFunction(() => document.getElementById('name').value === 'welcome_back');
  assert.equal(await page.isHidden('#picker-row'), true);

  // the seed's template_components is JSON text inside the definition
  const seedStyle = { ...definitionOnly(single), name: 'seed_style', components: JSON.stringify(single.components) };
  await page.fill('#json', JSON.stringify(seedStyle));
  await page.waitForFunction(() => document.getElementById('name').value === 'seed_style');
  assert.equal(await page.inputValue('#body-text'), single.components[0].text);
  assert.match(await page.textContent('#json-note'), /JSON text/);

  await page.fill('#json', '{ "name": ');
  await page.waitForSelector('#json[aria-invalid="true"]');
  assert.match(await page.textContent('#json-note'), /not loaded/i);
  assert.equal(await page.inputValue('#name'), 'seed_style', 'the last good definition stays');
  await page.close();
});

test('buttons can be added, reordered and removed from the keyboard, and the JSON follows', async () => {
  const page = await open();
  await page.selectOption('#new-button-type', 'QUICK_REPLY');
  await page.focus('#add-button');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.closest('#buttons > li')?.dataset.index), '1');
  await page.keyboard.type('Call me back');
  let def = await definition(page);
  assert.deepEqual(def.components[3].buttons.map((x) => x.type), ['URL', 'QUICK_REPLY']);
  assert.equal(def.components[3].buttons[1].text, 'Call me back');
  // "Move button 2 up" by keyboard
  await page.focus('#buttons > li:nth-child(2) button[data-action="up"]');
  await page.keyboard.press('Enter');
  def = await definition(page);
  assert.deepEqual(def.components[3].buttons.map((x) => x.type), ['QUICK_REPLY', 'URL']);
  assert.deepEqual(await page.$$eval('#preview-buttons > li > .label', (n) => n.map((x) => x.textContent)),
    previewText(renderTemplatePreview(def)).buttons);
  // more than three buttons: the first two and "See all options", which lists them all
  for (const label of ['Yes', 'No']) {
    await page.selectOption('#new-button-type', 'QUICK_REPLY');
    await page.click('#add-button');
    await page.keyboard.type(label);
  }
  const four = previewText(renderTemplatePreview(await definition(page))).buttons;
  assert.equal(four.length, 4);
  assert.deepEqual(await page.$$eval('#preview-buttons > li > .label', (n) => n.map((x) => x.textContent)), four.slice(0, 2));
  assert.equal(await page.textContent('#preview-buttons > li.more summary'), '☰ See all options');
  await page.click('#preview-buttons summary');
  assert.deepEqual(await page.$$eval('#preview-buttons .p-all .label', (n) => n.map((x) => x.textContent)), four);
  await page.screenshot({ path: `${ART}/studio-four-buttons.png` });
  for (let i = 0; i < 2; i++) {
    await page.focus('#buttons > li:last-child button[data-action="remove"]');
    await page.keyboard.press('Enter');
  }
  // an issue on the moved URL button lands on its new field
  await page.fill('#buttons > li:nth-child(2) input[data-rel="buttons[1].text"]', 'A label far too long for a button');
  await page.waitForSelector('#status[data-state="invalid"]');
  const issue = validateTemplate(await definition(page)).issues.find((i) => i.path === 'components[3].buttons[1].text');
  assert.ok(issue, 'the package reports the long label');
  assert.deepEqual(await codesAt(page, '#buttons > li:nth-child(2) input[data-rel="buttons[1].text"]'), [issue.code]);
  await page.focus('#buttons > li:nth-child(2) button[data-action="remove"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#status[data-state="valid"]');
  def = await definition(page);
  assert.deepEqual(def.components[3].buttons.map((x) => x.type), ['QUICK_REPLY']);
  await page.close();
});

test('phone and copy-code buttons: their fields, their issues, and the coupon in the send request', async () => {
  const page = await open();
  await page.selectOption('#category', 'MARKETING');
  await page.selectOption('#new-button-type', 'PHONE_NUMBER');
  await page.click('#add-button');
  await page.keyboard.type('Call us');
  await page.fill('#buttons input[data-rel="buttons[1].phone_number"]', '+27 (82) 123-4567 ext 1234');
  await page.waitForSelector('#status[data-state="invalid"]');
  const phoneIssues = validateTemplate(await definition(page)).issues.filter((i) => i.path === 'components[3].buttons[1].phone_number');
  assert.ok(phoneIssues.length > 0, 'the package rejects that phone number');
  assert.deepEqual(await codesAt(page, '#buttons input[data-rel="buttons[1].phone_number"]'), phoneIssues.map((i) => i.code));
  await page.fill('#buttons input[data-rel="buttons[1].phone_number"]', '+27821234567');
  await page.waitForSelector('#status[data-state="valid"]');

  await page.selectOption('#new-button-type', 'COPY_CODE');
  await page.click('#add-button');
  await page.keyboard.type('SAVE30');
  await page.waitForSelector('#status[data-state="valid"]');
  const def = await definition(page);
  assert.deepEqual(def.components[3].buttons[2], { type: 'COPY_CODE', example: 'SAVE30' });
  assert.equal(await page.getAttribute('#params input[data-key="button:2"]', 'placeholder'), 'SAVE30');
  await page.fill('#params input[data-key="button:2"]', 'WINTER25');
  const sent = JSON.parse(await page.textContent('#send-request-body'));
  assert.deepEqual(sent.template.components.find((c) => c.sub_type === 'copy_code'),
    { type: 'button', sub_type: 'copy_code', index: '2', parameters: [{ type: 'coupon_code', coupon_code: 'WINTER25' }] });
  await page.close();
});

test('the send panel shows the exact buildSendTemplate request and the task configuration', async () => {
  const page = await open();
  await page.fill('#params input[data-key="body:1"]', 'Thandi');
  await page.fill('#recipient', '27829990000');
  const def = await definition(page);
  const input = await page.evaluate(() => window.studio.sendInput());
  assert.equal(input.to, '27829990000');
  const request = buildSendTemplate(input);
  assert.equal(await page.textContent('#send-request-body'), request.body);
  assert.equal(await page.textContent('#send-request-line'), `${request.method} ${request.url}`);
  assert.ok(request.body.includes('"Thandi"'));
  // "Copy body" puts exactly that text on the clipboard
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: b.url });
  await page.click('button.copy[data-copy="send-request-body"]');
  await page.waitForSelector('button.copy[data-copy="send-request-body"]:text("Copied")');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), request.body);
  const task = JSON.parse(await page.textContent('#task-config'));
  assert.equal(task.action, 'send_template');
  assert.equal(task.recipient, '27829990000');
  assert.equal(task.phone_number_id, '300000000000001');
  assert.equal(task.business_account_id, '200000000000001');
  assert.equal(task.template_name, def.name);
  assert.equal(task.template_language, def.language);
  // the URL button needs a value too, so the task gets the full send components
  const values = await page.evaluate(() => window.studio.previewValues());
  assert.deepEqual(task.template_parameters, bindTemplateParameters(def, values).components);
  const create = buildCreateTemplate(await page.evaluate(() => window.studio.createInput()));
  assert.equal(await page.textContent('#create-request-body'), create.body);
  assert.equal(JSON.parse(create.body).name, def.name);

  // a body-only template: the seed's plain array of values
  await page.focus('#buttons > li:nth-child(1) button[data-action="remove"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.getElementById('json').value.includes('BUTTONS'));
  const plain = JSON.parse(await page.textContent('#task-config'));
  assert.deepEqual(plain.template_parameters, ['Thandi', '12345', 'R500', 'Dec 25']);
  // without an emulator configured, the send buttons stay off and say why
  assert.equal(await page.isDisabled('#send-test'), true);
  assert.equal(await page.isDisabled('#submit-template'), true);
  assert.match(await page.textContent('#emulator-note'), /no emulator configured/i);
  await page.close();
});

test('with an emulator configured, the studio sends the template and submits new ones, showing results and errors', async () => {
  const emu = await startEmulator();
  const eb = await openBrowser({ config: { emulatorUrl: emu.url } });
  try {
    const page = await eb.newPage('/');
    await page.waitForSelector('#status[data-state="valid"]');
    assert.match(await page.textContent('#emulator-note'), new RegExp(emu.url.replace(/[.]/g, '\\.')));
    let seq = 0;
    const press = async (id) => {
      await page.click(id);
      seq += 1;
      await page.waitForSelector(`#emulator-result[data-seq="${seq}"]:is([data-state="ok"], [data-state="error"])`);
      return { state: await page.getAttribute('#emulator-result', 'data-state'), text: await page.textContent('#emulator-result') };
    };

    // order_confirmation is approved in the emulator's fixture: the send is accepted as built
    let r = await press('#send-test');
    assert.equal(r.state, 'ok', r.text);
    const lines = await page.$$eval('#emulator-result li', (lis) => lis.map((li) => li.textContent));
    const wamid = lines.find((l) => l.startsWith('messageId: '))?.slice('messageId: '.length);
    assert.match(wamid ?? '', /^wamid\./, lines.join('\n'));
    const sent = await fetch(`${emu.url}/_emulator/sent`).then((x) => x.json());
    const mine = sent.messages.find((m) => m.id === wamid);
    assert.ok(mine, `the emulator recorded ${wamid}`);
    const input = await page.evaluate(() => window.studio.sendInput());
    assert.deepEqual(mine.body, JSON.parse(buildSendTemplate(input).body));

    // a new template is created and waits for review (a fresh name: the emulator may be shared)
    const name = `studio_order_${Date.now().toString(36)}`;
    await page.fill('#name', name);
    await page.waitForSelector('#status[data-state="valid"]');
    r = await press('#submit-template');
    assert.equal(r.state, 'ok', r.text);
    assert.match(r.text, /id: \S+/);
    assert.match(r.text, /status: (PENDING|APPROVED)/);
    const listed = await fetch(`${emu.url}/v25.0/200000000000001/message_templates?name=${name}`,
      { headers: { authorization: 'Bearer test-token-valid' } }).then((x) => x.json());
    assert.equal(listed.data.length, 1, 'the emulator holds the submitted template');
    const body = (await definition(page)).components.find((c) => c.type === 'BODY');
    assert.equal(listed.data[0].components.find((c) => c.type === 'BODY')?.text, body.text);

    // the same name and language again: Graph's error, shown with its code and what to do
    r = await press('#submit-template');
    assert.equal(r.state, 'error');
    assert.match(r.text, /HTTP 400/);
    assert.match(r.text, /subcode 2388024/);
    assert.match(r.text, /What to do: \S+/);

    // an expired token: the package's WhatsAppError (kind auth) and its hint
    await page.fill('#emulator-token', 'test-token-expired');
    r = await press('#send-test');
    assert.equal(r.state, 'error');
    assert.match(r.text, /kind auth/);
    assert.match(r.text, /HTTP 401/);
    assert.match(r.text, /expired/i);
    assert.match(r.text, /What to do: \S+/);
    await page.screenshot({ path: `${ART}/studio-emulator-error.png`, fullPage: true });
    // the only console lines are Chromium's own notes on the two refused requests
    assert.equal(eb.consoleErrors.length, 2, eb.consoleErrors.join('\n'));
    for (const line of eb.consoleErrors) assert.match(line, /^Failed to load resource: the server responded with a status of 40[01]/);
    await page.close();
  } finally {
    await eb.close();
    await emu.stop();
  }
});

test('on a laptop screen the preview stays beside the editor and never covers the send panel', async () => {
  const page = await open({ width: 1366, height: 768 });
  const x = async (sel) => page.$eval(sel, (n) => n.getBoundingClientRect().toJSON());
  assert.ok((await x('#preview-panel')).left > (await x('#editor')).right, 'two columns');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const preview = await x('#preview-panel');
  const sendPanel = await x('#send-panel');
  assert.ok(preview.bottom <= sendPanel.top, `preview bottom ${preview.bottom} > send top ${sendPanel.top}`);
  await page.close();
});

test('readable at phone width (390px): one column, nothing wider than the screen', async () => {
  const page = await open({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide`);
  const cols = await page.$eval('.layout', (n) => getComputedStyle(n).gridTemplateColumns.split(' ').length);
  assert.equal(cols, 1);
  await page.screenshot({ path: `${ART}/studio-phone.png`, fullPage: true });
  await page.close();
});

test('no console errors during the studio tests', () => {
  assert.deepEqual(b.consoleErrors, []);
});
