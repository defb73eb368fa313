/**
 * The demo's traffic: what ordinary users of the shop send, mixed with what an attacker sends,
 * against the vulnerable endpoints and their safe twins alike. Every request goes to the sample
 * app on 127.0.0.1 (the sensor captures it there); nothing leaves the machine: the attack payloads
 * only name other hosts inside parameters, and the client never follows redirects.
 */
import { Agent, request } from 'node:http';

export type TrafficKind = 'benign' | 'malicious';

export interface PlannedRequest {
  readonly kind: TrafficKind;
  /** What the request is, for the report ("SQL injection: quote"). */
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SentRequest extends PlannedRequest {
  readonly status: number;
  readonly error?: string;
}

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

function get(kind: TrafficKind, label: string, path: string, headers?: Record<string, string>): PlannedRequest {
  return { kind, label, method: 'GET', path, headers };
}

function post(kind: TrafficKind, label: string, path: string, contentType: string, body: string): PlannedRequest {
  return { kind, label, method: 'POST', path, contentType, body };
}

/** Both the vulnerable endpoint and its safe twin under /safe. */
function both(make: (prefix: string) => PlannedRequest): PlannedRequest[] {
  return [make(''), make('/safe')];
}

const login = (email: string) => JSON.stringify({ email, password: 'correct-horse-battery' });

/** Ordinary use of every endpoint: this is what the API inventory is built from. */
export const BENIGN_TRAFFIC: readonly PlannedRequest[] = [
  get('benign', 'home page', '/'),
  ...[1, 2, 3].flatMap((id) => both((p) => get('benign', 'product page', `${p}/products?id=${id}`))),
  ...both((p) => get('benign', 'user lookup', `${p}/users?name=alice`)),
  ...both((p) => get('benign', 'stock check', `${p}/stock?id=2`)),
  ...both((p) => post('benign', 'login', `${p}/api/login`, JSON_TYPE, login('alice@acme.test'))),
  ...both((p) => get('benign', 'search', `${p}/search?q=boots`)),
  ...both((p) => get('benign', 'download', `${p}/download?file=readme.txt`)),
  ...both((p) => post('benign', 'file size tool', `${p}/tools/size`, FORM, 'file=readme.txt')),
  ...both((p) => post('benign', 'file check tool', `${p}/tools/exists`, FORM, 'file=readme.txt')),
  ...both((p) => get('benign', 'post-login redirect', `${p}/continue?next=%2Faccount`)),
  ...both((p) => get('benign', 'greeting preview', `${p}/preview?greeting=Hello`)),
  ...both((p) => get('benign', 'profile API', `${p}/api/profile?id=1`)),
  ...both((p) => get('benign', 'legacy order form', `${p}/legacy`)),
  ...both((p) =>
    post('benign', 'login with a mistyped password', `${p}/api/login`, JSON_TYPE, JSON.stringify({ email: 'bob@acme.test', password: 'wrong-password' })),
  ),
  ...both((p) => get('benign', 'file listing', `${p}/files/`)),
  ...both((p) => get('benign', 'backup listing', `${p}/backups/`)),
  ...both((p) => get('benign', 'key download', `${p}/keys/server.key`)),
  ...both((p) => get('benign', 'user lookup API', `${p}/api/users/lookup?q=acme`)),
  ...both((p) => get('benign', 'customer export', `${p}/api/customers`)),
  ...both((p) => get('benign', 'order API', `${p}/api/orders?id=7`)),
  ...both((p) => get('benign', 'sales report', `${p}/report?month=03`)),
  ...both((p) => get('benign', 'account API from the shop front end', `${p}/api/account`, { Origin: 'https://shop.acme.test' })),
  ...both((p) => get('benign', 'account preferences', `${p}/account/prefs`)),
  ...both((p) => get('benign', 'guest token', `${p}/api/guest-token`)),
  ...both((p) => get('benign', 'file share document', `${p}/ftp/notes.md`)),
  // A customer pastes an error message into the search box. The safe search shows it back
  // (escaped): a passive detector sees a quote in the input and a database error in the page,
  // which is exactly the kind of false positive the STS exists to refute.
  get('benign', 'search for a pasted error message', `/safe/search?q=${encodeURIComponent(`it's broken: SQLITE_ERROR: near "s": syntax error`)}`),
];

/** An attacker probing every endpoint, vulnerable or not, plus reconnaissance noise. */
export const MALICIOUS_TRAFFIC: readonly PlannedRequest[] = [
  ...both((p) => get('malicious', 'SQL injection: quote', `${p}/products?id=2'`)),
  ...both((p) => get('malicious', 'SQL injection: tautology', `${p}/products?id=${encodeURIComponent('2 OR 1=1')}`)),
  ...both((p) => post('malicious', 'SQL injection: quote in JSON login', `${p}/api/login`, JSON_TYPE, login("alice@acme.test'"))),
  ...both((p) => get('malicious', 'cross-site scripting', `${p}/search?q=${encodeURIComponent('<script>alert(document.cookie)</script>')}`)),
  ...both((p) => get('malicious', 'path traversal', `${p}/download?file=${encodeURIComponent('../../../../../../../../etc/passwd')}`)),
  ...both((p) => post('malicious', 'command injection', `${p}/tools/size`, FORM, `file=${encodeURIComponent('readme.txt;id')}`)),
  ...both((p) => get('malicious', 'template injection', `${p}/preview?greeting=${encodeURIComponent('{{7*7}}')}`)),
  ...both((p) => get('malicious', 'open redirect', `${p}/continue?next=${encodeURIComponent('https://evil.example/login')}`)),
  get('malicious', 'Log4Shell lookup in a header', '/', { 'X-Api-Version': '${jndi:ldap://127.0.0.1:1389/a}' }),
  get('malicious', 'scanner user agent', '/products?id=1', { 'User-Agent': 'sqlmap/1.8.4#stable (https://sqlmap.org)' }),
  ...both((p) => get('malicious', 'secrets file probe', `${p}/.env`)),
  ...both((p) => post('malicious', 'SQL injection: login bypass', `${p}/api/login`, JSON_TYPE, JSON.stringify({ email: "' OR 1=1--", password: 'x' }))),
  ...both((p) => get('malicious', 'backup file probe', `${p}/ftp/coupons.bak`)),
  ...both((p) => get('malicious', 'null-byte extension bypass', `${p}/ftp/coupons.bak%2500.md`)),
  ...both((p) => get('malicious', 'malformed order id', `${p}/api/orders?id=abc`)),
  ...both((p) => get('malicious', 'malformed report month', `${p}/report?month=x`)),
  ...both((p) => get('malicious', 'CORS probe from another site', `${p}/api/account`, { Origin: 'https://evil.example.net' })),
  // Blind injections: nothing in the answer proves success, but it differs from ordinary answers.
  ...both((p) => get('malicious', 'SQL injection: false condition', `${p}/users?name=${encodeURIComponent("alice' AND '1'='2")}`)),
  ...both((p) => get('malicious', 'SQL injection: false condition in a quoted number', `${p}/stock?id=${encodeURIComponent("1' AND '1'='2")}`)),
  ...both((p) => post('malicious', 'command injection: sleep', `${p}/tools/exists`, FORM, `file=${encodeURIComponent('readme.txt && sleep 3')}`)),
];

/** Benign and malicious requests interleaved, as they would arrive at a real service. */
export function demoTraffic(): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  const benign = [...BENIGN_TRAFFIC];
  const malicious = [...MALICIOUS_TRAFFIC];
  // The inventory should be learned from users first: benign requests lead.
  out.push(...benign.splice(0, 8));
  while (benign.length > 0 || malicious.length > 0) {
    out.push(...benign.splice(0, 2));
    out.push(...malicious.splice(0, 1));
  }
  return out;
}

/** Sends one request to the app (bounded by `timeoutMs`); never throws. */
function send(agent: Agent, baseUrl: URL, r: PlannedRequest, timeoutMs: number): Promise<SentRequest> {
  return new Promise((resolve) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    const headers: Record<string, string> = {
      'User-Agent': BROWSER_UA,
      Accept: r.contentType === JSON_TYPE ? JSON_TYPE : 'text/html,application/xhtml+xml',
      ...(r.contentType ? { 'Content-Type': r.contentType } : {}),
      ...(body ? { 'Content-Length': String(body.length) } : {}),
      ...r.headers,
    };
    const req = request({ host: baseUrl.hostname, port: baseUrl.port, method: r.method, path: r.path, headers, agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ...r, status: res.statusCode ?? 0 }));
      res.on('error', (error) => resolve({ ...r, status: 0, error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ...r, status: 0, error: error.message }));
    req.end(body);
  });
}

/**
 * Sends the requests in order over a few keep-alive connections, as a browser would. `onSent`
 * reports progress; an aborted signal stops before the next request.
 */
export async function sendTraffic(
  baseUrl: string,
  requests: readonly PlannedRequest[],
  signal: AbortSignal,
  onSent: (sent: SentRequest, index: number) => void,
  timeoutMs = 10_000,
): Promise<SentRequest[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  const url = new URL(baseUrl);
  const sent: SentRequest[] = [];
  try {
    for (const r of requests) {
      if (signal.aborted) break;
      const result = await send(agent, url, r, timeoutMs);
      sent.push(result);
      onSent(result, sent.length);
    }
  } finally {
    agent.destroy();
  }
  return sent;
}
