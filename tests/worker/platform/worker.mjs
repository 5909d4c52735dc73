// Runs the platform fixture corpus (tests/js/platform-corpus.mjs) inside workerd against the
// package's `workerd` build: POST {webhooks: [{name, text}], sends: [{name, text}]} → failures.
import * as api from '@basecloud/whatsapp-business';
import { checkWebhooks, checkSends } from '../../js/platform-corpus.mjs';

export default {
  async fetch(request) {
    const { webhooks, sends } = await request.json();
    return Response.json({ webhooks: checkWebhooks(api, webhooks), sends: checkSends(api, sends) });
  },
};
