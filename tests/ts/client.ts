// Type checks for the client surface: real usage must compile, every @ts-expect-error must fail.
import {
  WhatsAppClient,
  runTask,
  toOutputVariables,
  buildAuthorizationUrl,
  WhatsAppError,
  type SendResult,
  type AccountDiscovery,
  type PhoneNumber,
  type TaskOutput,
  type TaskConfig,
  type TokenProvider,
  type TokenInfo,
  type TemplateInfo,
  type StatusRecord,
  type WindowStore,
  type TokenValue,
} from '@basecloud/whatsapp-business';

export async function clientUsage(): Promise<void> {
  const provider: TokenProvider = {
    getToken: async () => ({ accessToken: 'EAA…', expiresAtMs: Date.now() + 3600_000 }),
    refresh: async () => 'EAA-fresh',
  };
  const windows: WindowStore = { getLastInboundMs: async () => null };
  const client = new WhatsAppClient({ tokenProvider: provider, baseUrl: 'http://127.0.0.1:8089', windowStore: windows, retry: { maxAttempts: 3 } });
  const fixed = new WhatsAppClient({ accessToken: 'EAA…', apiVersion: 'v25.0' });

  const sent: SendResult = await client.sendTemplate({ phoneNumberId: '300000000000001', to: '27821234567', templateName: 'order_confirmation', parameters: ['John'] });
  const id: string = sent.messageId;
  await client.sendText({ phoneNumberId: '3', to: '27821234567', text: 'hi', previewUrl: true });
  await client.sendMedia({ phoneNumberId: '3', to: '27821234567', mediaType: 'image', link: 'https://example.com/a.png' });
  const read: boolean = await client.markAsRead({ phoneNumberId: '3', messageId: id });
  const templates: TemplateInfo[] = await client.getTemplates({ businessAccountId: '2', status: 'APPROVED', limit: 50 });
  const found: AccountDiscovery = await fixed.discoverAccounts({ businessId: '1' });
  const numbers: PhoneNumber[] = found.accounts[0]?.phoneNumbers ?? [];
  const rating: string | null = numbers[0]?.qualityRating ?? null;
  const status: StatusRecord = await client.getMessageStatus(id);
  const info: TokenInfo = await client.debugToken({ requiredScopes: ['whatsapp_business_messaging'] });
  const media = await client.uploadMedia({ phoneNumberId: '3', file: new Uint8Array([1]), mimeType: 'image/png' });
  const token = await client.exchangeCode({ appId: '9', appSecret: 's', code: 'c', redirectUri: 'https://a/cb' });
  const auth = buildAuthorizationUrl({ appId: '9', redirectUri: 'https://a/cb' });
  console.log(read, templates.length, rating, status.status, info.wabaIds, media.id, token.expiresAtMs, auth.state);

  const config: TaskConfig = { action: 'send_text', app_connection_id: 'c1', phone_number_id: '3', recipient: '2782', message_text: 'hi' };
  const out: TaskOutput = await runTask(config, { connections: { c1: provider }, baseUrl: 'http://127.0.0.1:8089' });
  const vars: Record<string, unknown> = toOutputVariables(out, 'task_58001');
  if (!out.run) console.log(out.error_kind, out.error_code, out.run_text, vars);
  else console.log(out.message_id, out.action);
  // @ts-expect-error error_code exists only on a failure (narrow on `run` first)
  console.log(out.error_code);
  // @ts-expect-error a token's expiry is named in ms
  const oldToken: TokenValue = { accessToken: 'a', expiresAt: 1 };
  console.log(oldToken);

  try {
    await client.sendText({ phoneNumberId: '3', to: '1', text: 'x' });
  } catch (e) {
    if (e instanceof WhatsAppError && e.ambiguous) console.log('do not resend', e.hint);
  }

  // @ts-expect-error a client needs a token or a token provider
  new WhatsAppClient({ baseUrl: 'http://x' });
  // @ts-expect-error not both
  new WhatsAppClient({ accessToken: 'a', tokenProvider: provider });
  // @ts-expect-error unknown action
  await runTask({ action: 'delete_everything' }, { connections: {} });
  // @ts-expect-error connections are required
  await runTask(config, {});
  // @ts-expect-error the result is a plain object without a send method
  sent.send();
}
