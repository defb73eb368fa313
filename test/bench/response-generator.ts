/**
 * Realistic responses for recorded requests (which come without theirs): what a site would send
 * back for what the request asks for — an HTML page for a navigation, a script or a style sheet
 * for its destination, an image or a font as bytes, a JSON document for an API call, nothing for a
 * beacon or a HEAD — with a size typical of that kind, cut at the sensor's default body capture
 * (64 KiB) and flagged truncated as the sensor does. Deterministic: the same request gets the same
 * response. Bodies come from a small pool per kind and size, so a large mix shares its bytes.
 */
import { createHash } from 'node:crypto';

/** The sensor's default BODY_MAX_BYTES: longer bodies arrive cut and flagged. */
export const SENSOR_BODY_CAPTURE = 64 * 1024;

export interface GeneratedResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** The body's full size on the wire (more than body.length when the capture cut it). */
  readonly wireLength: number;
  readonly kind: ResponseKind;
}

export type ResponseKind = 'html' | 'json' | 'script' | 'style' | 'image' | 'font' | 'media' | 'empty';

export interface RequestShape {
  readonly method: string;
  /** Origin-form target: path and query. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Size ranges in bytes per kind (low, high), drawn log-uniformly: many small, some large. */
const SIZES: Readonly<Record<ResponseKind, readonly [number, number]>> = {
  html: [12_000, 180_000],
  json: [200, 24_000],
  script: [4_000, 400_000],
  style: [2_000, 120_000],
  image: [1_500, 120_000],
  font: [15_000, 90_000],
  media: [60_000, 2_000_000],
  empty: [0, 0],
};
/** Distinct bodies kept per kind and size step (the pool). */
const VARIANTS = 6;
const SIZE_STEPS = 8;

const CONTENT_TYPES: Readonly<Record<ResponseKind, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  script: 'application/javascript; charset=utf-8',
  style: 'text/css; charset=utf-8',
  image: 'image/webp',
  font: 'font/woff2',
  media: 'video/mp4',
  empty: 'text/plain',
};

const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|svg|ico|bmp)$/i;
const FONT_EXT = /\.(?:woff2?|ttf|otf|eot)$/i;
const MEDIA_EXT = /\.(?:mp4|m4s|m3u8|ts|webm|mp3)$/i;

function header(headers: Readonly<Record<string, string>>, name: string): string {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return '';
}

/** What kind of response the request asks for, by its destination, Accept header and path. */
export function responseKind(request: RequestShape): ResponseKind {
  if (request.method === 'HEAD' || request.method === 'OPTIONS') return 'empty';
  const path = request.url.split('?')[0]!;
  const dest = header(request.headers, 'sec-fetch-dest').toLowerCase();
  const accept = header(request.headers, 'accept').toLowerCase();
  if (dest === 'document' || dest === 'iframe' || accept.startsWith('text/html')) return 'html';
  if (dest === 'script' || /\.m?js$/i.test(path)) return 'script';
  if (dest === 'style' || /\.css$/i.test(path)) return 'style';
  if (dest === 'image' || IMAGE_EXT.test(path) || accept.startsWith('image/')) return 'image';
  if (dest === 'font' || FONT_EXT.test(path)) return 'font';
  if (dest === 'video' || dest === 'audio' || MEDIA_EXT.test(path)) return 'media';
  // Beacons and reports: the collector answers 204.
  if (dest === 'report' || (request.method === 'POST' && !accept.includes('json') && /collect|beacon|log|track|event|ping|metric/i.test(path))) return 'empty';
  return 'json';
}

/** A deterministic number in [0, 1) per request and purpose. */
function unit(key: string, purpose: string): number {
  return createHash('sha1').update(purpose).update(key).digest().readUInt32BE(0) / 2 ** 32;
}

const WORDS = [
  'product',
  'account',
  'search',
  'results',
  'delivery',
  'summer',
  'collection',
  'review',
  'price',
  'shipping',
  'checkout',
  'category',
  'featured',
  'details',
  'gallery',
  'support',
  'newsletter',
  'privacy',
  'contact',
  'stores',
];

function words(n: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[(seed * 7 + i * 13 + (i >> 2)) % WORDS.length]!);
  return out.join(' ');
}

function htmlBody(size: number, variant: number): string {
  const head = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${words(4, variant)}</title><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/css/site.${variant}.css"><script src="/static/js/app.${variant}.js" defer></script></head><body><header class="site-header"><nav><a href="/">Home</a> <a href="/catalog">Catalog</a> <a href="/account">Account</a></nav><form action="/search" method="get"><input type="search" name="q" placeholder="Search"></form></header><main>`;
  const parts = [head];
  let length = head.length;
  for (let i = 0; length < size - 200; i++) {
    const card = `<article class="card" data-id="${variant * 100_000 + i}"><a href="/item/${variant}-${i}?ref=grid"><img src="/img/${variant}/${i}.webp" alt="${words(3, i)}" loading="lazy" width="240" height="240"></a><h2>${words(5, i + variant)}</h2><p class="price">$${(i % 90) + 9}.99</p><p>${words(18, i)}</p><button type="button" class="add" data-sku="SKU-${variant}-${i}">Add to cart</button></article>\n`;
    parts.push(card);
    length += card.length;
  }
  parts.push('</main><footer><p>&copy; 2024 Example Stores. <a href="/privacy">Privacy</a></p></footer></body></html>');
  return parts.join('');
}

function jsonBody(size: number, variant: number): string {
  const items: string[] = [];
  let length = 40;
  for (let i = 0; length < size - 40; i++) {
    const item = JSON.stringify({
      id: variant * 100_000 + i,
      sku: `SKU-${variant}-${i}`,
      name: words(4, i + variant),
      price: { amount: ((i * 37) % 9000) / 100 + 1, currency: 'USD' },
      available: i % 5 !== 0,
      rating: ((i * 13) % 50) / 10,
      image: `https://cdn.example.com/img/${variant}/${i}.webp`,
      tags: [WORDS[i % WORDS.length], WORDS[(i + 3) % WORDS.length]],
      updated_at: new Date(Date.UTC(2024, i % 12, (i % 27) + 1, 10, 0, 0)).toISOString(),
    });
    items.push(item);
    length += item.length + 1;
  }
  return `{"page":1,"page_size":${items.length},"total":${items.length * 7},"items":[${items.join(',')}]}`;
}

function scriptBody(size: number, variant: number): string {
  const parts: string[] = [`(function(){"use strict";var config={version:"${variant}.4.1",api:"/api/v2"};`];
  let length = parts[0]!.length;
  for (let i = 0; length < size - 20; i++) {
    const fn = `function h${variant}_${i}(e,t){var n=document.querySelectorAll("[data-id='"+e+"']");for(var r=0;r<n.length;r++){n[r].classList.toggle("active",!!t)}return fetch(config.api+"/items/"+e,{credentials:"same-origin"}).then(function(o){return o.json()})}\n`;
    parts.push(fn);
    length += fn.length;
  }
  parts.push('})();');
  return parts.join('');
}

function styleBody(size: number, variant: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const rule = `.c${variant}-${i}{display:flex;margin:${i % 16}px auto;padding:0 ${i % 8}px;color:#${((i * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(0, 6)};font:14px/1.4 system-ui,sans-serif}\n`;
    parts.push(rule);
    length += rule.length;
  }
  return parts.join('');
}

const MAGIC: Partial<Record<ResponseKind, Buffer>> = {
  image: Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'),
  font: Buffer.from('wOF2\0\x01\0\0', 'latin1'),
  media: Buffer.from('\0\0\0\x20ftypisom', 'latin1'),
};

function binaryBody(kind: ResponseKind, size: number, variant: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = (variant + 1) * 2654435761;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  MAGIC[kind]?.copy(bytes, 0);
  return bytes;
}

const pool = new Map<string, Buffer>();

function pooledBody(kind: ResponseKind, step: number, variant: number): { body: Buffer; wireLength: number } {
  const [low, high] = SIZES[kind];
  const wireLength = Math.round(low * (high / low) ** ((step + 0.5) / SIZE_STEPS));
  const key = `${kind}/${step}/${variant}`;
  let body = pool.get(key);
  if (!body) {
    const captured = Math.min(wireLength, SENSOR_BODY_CAPTURE);
    switch (kind) {
      case 'html':
        body = Buffer.from(htmlBody(captured, variant), 'utf8');
        break;
      case 'json':
        body = Buffer.from(jsonBody(captured, variant), 'utf8');
        break;
      case 'script':
        body = Buffer.from(scriptBody(captured, variant), 'utf8');
        break;
      case 'style':
        body = Buffer.from(styleBody(captured, variant), 'utf8');
        break;
      default:
        body = binaryBody(kind, captured, variant);
    }
    // A capture cuts the text anywhere, mid-tag or mid-string, as the sensor's does.
    if (body.length > SENSOR_BODY_CAPTURE) body = body.subarray(0, SENSOR_BODY_CAPTURE);
    pool.set(key, body);
  }
  return { body, wireLength: Math.max(wireLength, body.length) };
}

/** The response a site would plausibly send for this request. */
export function realisticResponse(request: RequestShape, key: string): GeneratedResponse {
  const kind = responseKind(request);
  const common: Array<readonly [string, string]> = [
    ['Date', 'Tue, 12 Mar 2024 10:00:00 GMT'],
    ['Server', 'nginx'],
  ];
  if (kind === 'empty') return { status: request.method === 'HEAD' ? 200 : 204, headers: common, body: Buffer.alloc(0), wireLength: 0, kind };
  // A few requests miss (404) or fail (500) as on any real site; their bodies are small pages.
  const roll = unit(key, 'status');
  const status = roll < 0.02 ? 404 : roll < 0.025 ? 500 : 200;
  const headers: Array<readonly [string, string]> = [...common, ['Content-Type', CONTENT_TYPES[status === 200 ? kind : 'html']]];
  if (kind === 'html') headers.push(['Cache-Control', 'no-cache'], ['X-Content-Type-Options', 'nosniff'], ['Strict-Transport-Security', 'max-age=31536000']);
  else headers.push(['Cache-Control', 'public, max-age=86400']);
  if (status !== 200) {
    const page = Buffer.from(
      `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status === 404 ? 'Not Found' : 'Internal Server Error'}</h1><p>${words(12, status)}</p></body></html>`,
    );
    return { status, headers, body: page, wireLength: page.length, kind: 'html' };
  }
  const step = Math.floor(unit(key, 'size') * SIZE_STEPS);
  const variant = Math.floor(unit(key, 'variant') * VARIANTS);
  const { body, wireLength } = pooledBody(kind, step, variant);
  return { status, headers, body, wireLength, kind };
}
