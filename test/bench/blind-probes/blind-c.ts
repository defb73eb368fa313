import { readFileSync, writeFileSync } from 'fs';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';

type Case = { id: string; group: string; attack: boolean; note: string; spec: any };

function expand(s: string): string {
  return s
    .replace(/\{\{rep:([^:]*):(\d+)\}\}/g, (_m, x, n) => x.repeat(Number(n)))
    .replace(/\{\{b64:([\s\S]*?)\}\}/g, (_m, x) => Buffer.from(x.replace(/\\n/g, '\n'), 'utf8').toString('base64'));
}

/** A chunk-size line: hex size, optional extensions (RFC 9112, section 7.1). */
const CHUNK_SIZE = /^([0-9a-fA-F]{1,8})(?:[ \t]{0,8};[^\r\n]{0,256})?[ \t]{0,8}$/;

/**
 * The body the sensor hands the engine for a request it frames as chunked (Transfer-Encoding's last
 * coding is `chunked`, sensor/http/head.ts): the chunks' data joined (extensions dropped) and the
 * trailer fields. Undefined unless the body is complete chunked framing and nothing after it: a smuggling
 * case's bytes past the last chunk would be another request on the wire, and the engine's checks of
 * a body still in chunked framing are what such a case measures.
 */
function dechunked(body: Buffer): [Buffer, Array<[string, string]>] | undefined {
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = eol < 0 ? null : CHUNK_SIZE.exec(body.toString('latin1', at, eol));
    if (size === null) return undefined;
    const length = parseInt(size[1]!, 16);
    at = eol + 2;
    if (length === 0) break;
    if (at + length + 2 > body.length || body.toString('latin1', at + length, at + length + 2) !== '\r\n') return undefined;
    chunks.push(body.subarray(at, at + length));
    at += length + 2;
  }
  // Trailer lines up to a blank line (the case file may have trimmed the final CRLF).
  const trailers: Array<[string, string]> = [];
  while (at < body.length) {
    const eol = body.indexOf('\r\n', at);
    if (eol === at) return at + 2 === body.length ? [Buffer.concat(chunks), trailers] : undefined;
    const field = eol < 0 ? null : /^([\w-]{1,64}):[ \t]*(.*?)[ \t]*$/.exec(body.toString('latin1', at, eol));
    if (field === null) return undefined;
    trailers.push([field[1]!, field[2]!]);
    at = eol + 2;
  }
  return [Buffer.concat(chunks), trailers];
}

function parse(file: string): Case[] {
  const txt = readFileSync(file, 'utf8');
  const blocks = txt.split(/^### /m).slice(1);
  const out: Case[] = [];
  for (const b of blocks) {
    const nl = b.indexOf('\n');
    const head = b.slice(0, nl).split('|').map((x) => x.trim());
    const [id, group, kind, flags = '', note = ''] = head;
    let rest = b.slice(nl + 1);
    const lines = rest.split('\n');
    const reqLine = expand(lines[0]);
    const m = reqLine.match(/^(\S+) (.*?)(?: HTTP\/1\.[01])?$/);
    if (!m) throw new Error('bad request line ' + id + ': ' + reqLine);
    const method = m[1];
    const target = m[2];
    let i = 1;
    const headers: Array<[string, string]> = [];
    let host = 'app.example.com';
    for (; i < lines.length; i++) {
      const l = lines[i];
      if (l === '') { i++; break; }
      const c = l.indexOf(':', 1);
      const name = l.slice(0, c);
      const value = expand(l.slice(c + 1).replace(/^ /, ''));
      // Every Host header is kept as written: a request with two of them is a smuggling case.
      if (name.toLowerCase() === 'host' && !headers.some(([n]) => n.toLowerCase() === 'host')) host = value;
      headers.push([name, value]);
    }
    let body: string | Buffer | undefined = lines.slice(i).join('\n');
    body = body.replace(/\n+$/, '');
    if (flags.includes('keepnl')) body += '\n';
    body = expand(body);
    if (flags.includes('crlf')) body = body.replace(/\r?\n/g, '\r\n');
    if (flags.includes('b64body')) body = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    if (flags.includes('hexbody')) body = Buffer.from(body.replace(/\s+/g, ''), 'hex');
    if (flags.includes('escbody')) body = Buffer.from(body.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    let trailers: Array<[string, string]> = [];
    const framing = headers.filter(([n]) => n.toLowerCase() === 'transfer-encoding').pop()?.[1];
    if (framing !== undefined && framing.toLowerCase().split(',').pop()!.trim() === 'chunked') {
      const whole = dechunked(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
      if (whole !== undefined) [body, trailers] = whole;
    }
    const spec: any = { id, method, target, host, requestHeaders: headers };
    if (trailers.length > 0) spec.requestTrailers = trailers;
    // The sensor hands the engine a body with its Content-Encoding named (and decodes it when it can).
    const coding = headers.find(([n]) => n.toLowerCase() === 'content-encoding');
    if (coding) spec.requestContentEncoding = coding[1];
    if ((typeof body === 'string' && body.length) || (Buffer.isBuffer(body) && body.length)) spec.requestBody = body;
    out.push({ id, group, attack: kind === 'A', note, spec });
  }
  return out;
}

// Sets C to Z and AA to AV share this format: `BLIND_SET=d` runs D's files (blind-d.ts to blind-av.ts set theirs).
const set = ['d', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'aa', 'ab', 'ac', 'ad', 'ae', 'af', 'ag', 'ah', 'ai', 'aj', 'ak', 'al', 'am', 'an', 'ao', 'ap', 'aq', 'ar', 'as', 'at', 'au', 'av'].includes(process.env.BLIND_SET ?? '') ? process.env.BLIND_SET! : 'c';
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : require('node:fs')
        .readdirSync(__dirname)
        .filter((f: string) => f.startsWith(`blind-${set}-cases-`) && f.endsWith('.txt'))
        .sort()
        .map((f: string) => `${__dirname}/${f}`);
const cases = files.flatMap(parse);
const ids = new Set<string>();
for (const c of cases) { if (ids.has(c.id)) throw new Error('dup id ' + c.id); ids.add(c.id); }
const results: any[] = [];
for (const c of cases) {
  const r: any = { id: c.id, group: c.group, attack: c.attack, note: c.note, target: c.spec.target.slice(0, 160) };
  for (const lvl of [1, 4]) {
    const engine = createAnalysisEngine({ catalog: false, detectionLevel: lvl as any });
    let ev: any[] = [];
    try {
      ev = engine.analyze(buildExchange(c.spec), { sensorId: 's', sensorTags: [] }) as any[];
    } catch (e: any) { r['err' + lvl] = String(e?.message ?? e); }
    const m = ev.find((e) => e.msg_type === 'MatchEvent');
    r['L' + lvl] = m ? m.matches.map((x: any) => `${x.id}:${x.classification}`) : [];
  }
  results.push(r);
}
writeFileSync(resultsFile(`blind-${set}`), JSON.stringify(results, null, 1));
const stat = (rs: any[], l: string) => rs.filter((r) => r[l].length).length;
const att = results.filter((r) => r.attack), ben = results.filter((r) => !r.attack);
console.log(`attacks ${att.length}: L1 ${stat(att, 'L1')} L4 ${stat(att, 'L4')} | benign ${ben.length}: L1 ${stat(ben, 'L1')} L4 ${stat(ben, 'L4')}`);
const groups = [...new Set(att.map((r) => r.group))];
for (const g of groups) {
  const rs = att.filter((r) => r.group === g);
  console.log(`  ${g.padEnd(18)} ${rs.length} L1 ${stat(rs, 'L1')} L4 ${stat(rs, 'L4')}`);
}
console.log('--- MISSED at L1 (L4 result)');
for (const r of att.filter((r) => !r.L1.length)) console.log(`${r.id} [${r.group}] L4=${r.L4.join(',') || '-'} ${r.note} :: ${r.target}`);
console.log('--- benign alerts');
for (const r of ben.filter((r) => r.L1.length || r.L4.length)) console.log(`${r.id} [${r.group}] L1=${r.L1.join(',')} L4=${r.L4.join(',')} ${r.note} :: ${r.target}`);
for (const r of results.filter((r) => r.err1 || r.err4)) console.log('ERR', r.id, r.err1, r.err4);

/** Where the per-request results go: a temp folder, so the run leaves the clone clean. */
function resultsFile(set: string): string {
  const dir = require('node:path').join(require('node:os').tmpdir(), set);
  require('node:fs').mkdirSync(dir, { recursive: true });
  return require('node:path').join(dir, 'results.json');
}
