// TypeScript consumer of the rules exports: real usage must type-check and every
// expect-error line below must be an error (tsc fails on an unused directive).
import {
  validateTemplate, validateMedia, validateRecipient, supportedLanguages,
  buildSendTemplate, buildSendText, buildSendMedia, buildMarkAsRead, buildCreateTemplate,
  buildGetTemplates, bindTemplateParameters, renderTemplatePreview, WhatsAppError,
  type ApiRequest, type TemplateDefinition, type ApprovedTemplate, type Validation,
  type RecipientCheck, type TemplateBinding, type TemplatePreview, type PreviewSpan,
  type SendComponent, type SendParameter, type TemplateValues, type SendTemplateInput,
  type SendTextInput, type SendMediaInput, type MarkAsReadInput, type CreateTemplateInput,
  type GetTemplatesInput, type MediaInput, type TemplateComponent, type BuildOptions,
} from '@basecloud/whatsapp-business';

export function rules(): void {
  const definition: TemplateDefinition = {
    name: 'customer_welcome_2024',
    category: 'MARKETING',
    language: 'en_US',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Welcome to Our Service!' },
      { type: 'BODY', text: 'Hi {{1}}, your account ID is {{2}}.', example: { body_text: [['John', 'ACC12345']] } },
      { type: 'FOOTER', text: 'Reply STOP to unsubscribe' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Get Started' }, { type: 'URL', text: 'Visit', url: 'https://example.com/{{1}}', example: ['https://example.com/x'] }] },
    ],
  };
  const v: Validation = validateTemplate(definition);
  const fromText: Validation = validateTemplate(JSON.stringify(definition));
  const langs: string[] = supportedLanguages();
  const media: Validation = validateMedia({ type: 'document', link: 'https://example.com/a.pdf', filename: 'a.pdf', size: 1024 } satisfies MediaInput);
  const phone: RecipientCheck = validateRecipient('+27 82 123 4567');
  const normalized: string | null = phone.normalized;

  const opts: BuildOptions = { apiVersion: 'v25.0', baseUrl: 'https://graph.facebook.com' };
  const send: SendTemplateInput = {
    ...opts,
    phoneNumberId: '1234567890',
    to: '27821234567',
    templateName: 'order_confirmation',
    parameters: ['John', '12345', 'R500', 'Dec 25'],
  };
  const req: ApiRequest = buildSendTemplate(send);
  const method: 'GET' | 'POST' | 'DELETE' = req.method;
  const body: string | undefined = req.body;
  const contentType: string | undefined = req.headers['Content-Type'];

  const header: SendParameter = { type: 'image', image: { link: 'https://example.com/a.png' } };
  const components: SendComponent[] = [
    { type: 'header', parameters: [header] },
    { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'ABC' }] },
    { type: 'button', sub_type: 'copy_code', index: '1', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE30' }] },
  ];
  buildSendTemplate({ ...send, components, parameters: '["John"]' });
  buildSendTemplate({ ...send, parameters: { first_name: 'Ann' } });
  buildSendText({ phoneNumberId: '1', to: '2', text: 'hi', previewUrl: true } satisfies SendTextInput);
  buildSendMedia({ phoneNumberId: '1', to: '2', mediaType: 'image', mediaId: '3', caption: 'x' } satisfies SendMediaInput);
  buildMarkAsRead({ phoneNumberId: '1', messageId: 'wamid.X', typingIndicator: true } satisfies MarkAsReadInput);
  buildCreateTemplate({ businessAccountId: '1', name: 'n', category: 'UTILITY', components: '[]', parameterFormat: 'named' } satisfies CreateTemplateInput);
  buildGetTemplates({ businessAccountId: '1', status: 'APPROVED', limit: 10 } satisfies GetTemplatesInput);

  const approved: ApprovedTemplate = { name: 'order_confirmation', status: 'APPROVED', components: definition.components as TemplateComponent[] };
  const values: TemplateValues = { header: 'https://example.com/a.png', body: ['John'], buttons: [null, 'X'] };
  const binding: TemplateBinding = bindTemplateParameters(approved, values);
  const bound: SendComponent[] = binding.components;
  const preview: TemplatePreview = renderTemplatePreview(definition);
  const withValues: TemplatePreview = renderTemplatePreview(approved, ['Ann']);
  const span: PreviewSpan | undefined = preview.body.spans[0];
  const bold: boolean | undefined = span?.bold;

  try {
    buildSendText({ phoneNumberId: 'x', to: 'y', text: '' });
  } catch (e) {
    if (e instanceof WhatsAppError) console.log(e.issues.map((i) => i.path));
  }
  console.log(v, fromText, langs, media, normalized, method, body, contentType, bound, withValues, bold);

  // @ts-expect-error category is a closed union
  validateTemplate({ ...definition, category: 'PROMO' });
  // @ts-expect-error a component needs a known type
  const badComponent: TemplateComponent = { type: 'TITLE', text: 'x' };
  // @ts-expect-error phoneNumberId is required
  buildSendText({ to: '2', text: 'hi' });
  // @ts-expect-error mediaType is a closed union
  buildSendMedia({ phoneNumberId: '1', to: '2', mediaType: 'gif', mediaId: '3' });
  // @ts-expect-error sub_type is a closed union
  const badButton: SendComponent = { type: 'button', sub_type: 'teleport', index: 0, parameters: [] };
  // @ts-expect-error a text parameter needs text
  const badParam: SendParameter = { type: 'text' };
  // @ts-expect-error validateRecipient takes a string
  validateRecipient(27821234567);
  // @ts-expect-error the request body is text, not an object
  const obj: object = req.body;
  // @ts-expect-error limit is a number
  buildGetTemplates({ businessAccountId: '1', limit: '10' });
  // @ts-expect-error unknown template status
  buildGetTemplates({ businessAccountId: '1', status: 'LIVE' });
  // @ts-expect-error normalized may be null
  const always: string = phone.normalized;
  console.log(badComponent, badButton, badParam, obj, always);
}
