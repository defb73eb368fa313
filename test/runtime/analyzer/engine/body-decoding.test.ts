import fc from 'fast-check';
import { buildExchange } from '@/test/fixtures/traffic';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest, viewResponse, type BodyKind, type BodyView, type ResponseView } from '@/runtime/analyzer/engine/message-view';
import { analyzeResponse } from '@/runtime/analyzer/engine/response-analysis';
import { AttackOutcomes } from '@/runtime/analyzer/engine/outcome';
import { BodyText } from '@/runtime/analyzer/engine/text-index';

const limits = resolveLimits(undefined);
const TYPES: Record<string, string> = { json: 'application/json', html: 'text/html', text: 'text/plain' };

/** A response whose body counts how often its text is read. */
function countedResponse(kind: BodyKind, text: string, status = 200): { response: ResponseView; reads: () => number } {
  const utf8 = Buffer.from(text, 'utf8');
  let reads = 0;
  const body: BodyView = {
    kind,
    utf8,
    contentType: TYPES[kind] ?? '',
    wireLength: utf8.length,
    get text() {
      reads++;
      return utf8.toString('utf8');
    },
  };
  return { response: { status, headers: [], header: new Map(), setCookies: [], body }, reads: () => reads };
}

/** What the response analysis and the baselines make of a response, its body read lazily or given as a string. */
function analyse(target: string, response: ResponseView, lazy: boolean): unknown {
  const request = viewRequest(buildExchange({ target, host: 'shop.example' }), limits);
  const text = lazy ? new BodyText(response.body, response.body.utf8) : new BodyText(response.body.text);
  const outcomes = new AttackOutcomes(100);
  const analysis = analyzeResponse(request, response, [], text);
  outcomes.observe(request, response, [], target, null, text);
  return analysis;
}

describe('response body text', () => {
  it('is decoded when first read, from the bytes it keeps', () => {
    const view = viewResponse(
      buildExchange({ target: '/api/items', responseHeaders: [['content-type', 'application/json']], responseBody: '{"name":"caf\u00e9"}' }),
      limits,
    );
    expect(Buffer.from(view?.body.utf8 ?? []).toString('utf8')).toBe('{"name":"caf\u00e9"}');
    expect(view?.body.text).toBe('{"name":"caf\u00e9"}');
  });

  it('is never read for an ordinary JSON list or a page that no check lets through', () => {
    const list = countedResponse('json', JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `Rain jacket ${i}`, price: 120 })) }));
    analyse('/api/items', list.response, true);
    expect(list.reads()).toBe(0);
    const page = countedResponse('html', `<html><body>${'<p>Our autumn collection is here.</p>'.repeat(50)}</body></html>`);
    analyse('/autumn', page.response, true);
    expect(page.reads()).toBe(0);
  });

  it('is read when a check needs it, with the same findings', () => {
    const emails = Array.from({ length: 12 }, (_, i) => `user${i}@acme.test`).join(', ');
    const dump = countedResponse('html', `<html><body><ul><li>${emails}</li></ul></body></html>`);
    const findings = analyse('/members', dump.response, true);
    expect(dump.reads()).toBeGreaterThan(0);
    expect(findings).toMatchObject({ findings: expect.arrayContaining([expect.objectContaining({ class: 'bulk_personal_data' })]) });
  });

  it('gives the same findings read lazily as read whole, on bodies made of what the checks look for', () => {
    const piece = fc.constantFrom(
      'user@acme.test ',
      '+14155550100 ',
      '(415) 555-0100 ',
      '4111 1111 1111 1111 ',
      '<li>Rain jacket: 120</li>',
      '<tr><td>1</td></tr>',
      'Index of /backup ',
      'Warning: mysql_fetch_array() ',
      'Traceback (most recent call last):\n',
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. ',
      '"password":"x" ',
      'AKIAABCDEFGHIJKLMNOP ',
      'caf\u00e9 \u212a ',
      'x'.repeat(150),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<BodyKind>('json', 'html', 'text'),
        fc.constantFrom(200, 404, 500),
        fc.constantFrom('/members', '/.env', '/debug'),
        fc.array(piece, { maxLength: 14 }),
        (kind, status, target, pieces) => {
          const text = pieces.join('');
          const lazy = analyse(target, countedResponse(kind, text, status).response, true);
          const whole = analyse(target, countedResponse(kind, text, status).response, false);
          expect(lazy).toEqual(whole);
        },
      ),
      { numRuns: 400 },
    );
  });
});
