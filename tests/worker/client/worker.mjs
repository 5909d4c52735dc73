// A Worker that runs the seed's send_template task with runTask against the emulator whose URL
// arrives in the request (the package imported by name, resolved through the workerd condition).
import { runTask, toOutputVariables } from '@basecloud/whatsapp-business';

export default {
  async fetch(request) {
    const { emulator, config } = await request.json();
    const out = await runTask(config, { connections: { 'conn-1': 'test-token-valid' }, baseUrl: emulator });
    return Response.json({ out, vars: toOutputVariables(out) });
  },
};
