import type { HttpsReceiver } from './receivers';

/** A ThreatX-gateway stand-in: seed 000 login command, then token-authenticated event batches. */
export function gatewayBehaviour(receiver: HttpsReceiver, apiKey: string) {
  const state = { issued: 0, valid: new Set<string>(), events: [] as string[], records: [] as Record<string, unknown>[] };
  receiver.respond = (request) => {
    const body = JSON.parse(request.body) as { command: string; api_token?: string; token?: string; customer_name?: string; events?: { finding_id: string }[] };
    if (request.path === '/login') {
      if (body.command !== 'login' || body.api_token !== apiKey) return { status: 200, body: JSON.stringify({ Error: 'invalid api key' }) };
      const token = `tok-${++state.issued}`;
      state.valid.add(token);
      return { status: 200, body: JSON.stringify({ Ok: { status: true, token } }) };
    }
    if (request.path === '/events') {
      if (!body.token || !state.valid.has(body.token)) return { status: 401, body: JSON.stringify({ Error: 'token expired' }) };
      if (body.customer_name !== 'testco') return { status: 400, body: JSON.stringify({ Error: 'unknown customer' }) };
      state.events.push(...(body.events ?? []).map((event) => event.finding_id));
      state.records.push(...((body.events ?? []) as unknown as Record<string, unknown>[]));
      return { status: 200, body: JSON.stringify({ Ok: { accepted: body.events?.length } }) };
    }
    return { status: 404 };
  };
  return state;
}
