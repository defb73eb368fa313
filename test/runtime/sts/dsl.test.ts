import { DslError, dslString, evaluateDsl, evaluateDslPartial, parseDsl, UNKNOWN } from '@/runtime/sts/dsl';
import { probeCertainlyMatches, probeMatches, responseVariables, runExtractors } from '@/runtime/sts/matchers';

const response = (status: number, body: string, durationMs = 10, headers: [string, string][] = [['Content-Type', 'text/html']]) => ({
  status,
  body,
  durationMs,
  headers,
});

describe('matcher DSL subset', () => {
  const vars = responseVariables([response(200, 'hello world'), response(500, 'SQLITE_ERROR: unrecognized token', 2500)]);

  it('evaluates comparisons, arithmetic, functions and precedence like Nuclei', () => {
    expect(evaluateDsl('status_code_1 == 200 && status_code_2 != 200', vars)).toBe(true);
    expect(evaluateDsl('len(body_1) - len(body_2) <= 8 || contains(body_2, "SQLITE")', vars)).toBe(true);
    expect(evaluateDsl("regex('(?i)sqlite_error', body_2) && !regex('(?i)sqlite_error', body_1)", vars)).toBe(true);
    expect(evaluateDsl('duration_2 >= 2 && duration_2 < 2 * 2 + 1 && duration_1 < 1', vars)).toBe(true);
    expect(evaluateDsl("tolower(body) == 'sqlite_error: unrecognized token'", vars)).toBe(true);
    expect(evaluateDsl('1 + 2 * 3 == 7 && (1 + 2) * 3 == 9', {})).toBe(true);
    expect(evaluateDsl('!(status_code == 500)', vars)).toBe(false);
  });

  it('rejects what it cannot evaluate with a message naming the problem', () => {
    expect(() => parseDsl('md5(body) == "x"')).toThrow('unknown function md5(); supported: contains, regex, len, tolower');
    expect(() => parseDsl("contains(body, 'a\\\\d')")).toThrow(/backslashes/);
    expect(() => parseDsl('status_code ==')).toThrow(/unexpected end/);
    expect(() => parseDsl('contains(body)')).toThrow('contains() takes 2 argument(s), got 1');
    expect(() => evaluateDsl('body_9 == ""', vars)).toThrow('DSL variable body_9 is not defined for this probe');
    expect(() => dslString('a\\b')).toThrow(DslError);
    expect(() => dslString(`it's "quoted"`)).toThrow(/both quote characters/);
    expect(dslString("it's")).toBe(`"it's"`);
  });

  it('reads Go inline flags in regex() and refuses a pattern Go would refuse when the expression is parsed', () => {
    expect(evaluateDsl("regex('(?im)^location: *x', 'a\nLOCATION: x')", {})).toBe(true);
    expect(() => parseDsl("regex('a(?!b)', body)")).toThrow(/regex\(\) pattern "a\(\?!b\)" is not a valid regular expression: .*Go's RE2 syntax/);
  });

  it('runs word, regex, status and dsl matchers with conditions, parts and negation', () => {
    const responses = [
      response(302, 'moved', 5, [
        ['Location', 'https://evil.invalid/'],
        ['Content-Type', 'text/html'],
      ]),
    ];
    expect(
      probeMatches(
        {
          matchers_condition: 'and',
          matchers: [
            { type: 'status', status: [301, 302] },
            { type: 'regex', part: 'header', regex: ['(?im)^location: *https://evil'] },
          ],
        },
        responses,
      ),
    ).toBe(true);
    expect(
      probeMatches(
        {
          matchers_condition: 'and',
          matchers: [
            { type: 'word', words: ['MOVED'], case_insensitive: true },
            { type: 'word', part: 'header', words: ['nosniff'], negative: true },
          ],
        },
        responses,
      ),
    ).toBe(true);
    expect(
      probeMatches(
        {
          matchers_condition: 'or',
          matchers: [
            { type: 'word', words: ['a', 'moved'], condition: 'and' },
            { type: 'dsl', dsl: ['status_code == 200'] },
          ],
        },
        responses,
      ),
    ).toBe(false);
    expect(probeMatches({ matchers_condition: 'and', matchers: [] }, responses)).toBe(false);
    expect(runExtractors([{ type: 'regex', name: 'loc', part: 'header', regex: ['(?im)^location: *([^\\r\\n ]+)'], group: 1 }], responses)).toEqual({
      loc: ['https://evil.invalid/'],
    });
  });
});

describe('deciding early on part of the responses', () => {
  it('is certain only when the missing responses cannot change the result', () => {
    const partial = responseVariables([response(200, 'base'), response(200, 'txp42')]);
    expect(evaluateDslPartial("!contains(body_1, 'txp42') && (contains(body_2, 'txp42') || contains(body_3, 'txp42'))", partial)).toBe(true);
    expect(evaluateDslPartial("!contains(body_1, 'txp42') && (contains(body_3, 'txp42') || contains(body_4, 'txp42'))", partial)).toBe(UNKNOWN);
    expect(evaluateDslPartial("contains(body_1, 'txp42') && contains(body_3, 'x')", partial)).toBe(false);
    const probe = { matchers_condition: 'and' as const, matchers: [{ type: 'dsl' as const, dsl: ["contains(body_2, 'txp42') || contains(body_3, 'txp42')"] }] };
    expect(probeCertainlyMatches(probe, [response(200, 'base'), response(200, 'txp42')])).toBe(true);
    expect(probeCertainlyMatches(probe, [response(200, 'base')])).toBe(false);
    expect(probeCertainlyMatches({ matchers_condition: 'and', matchers: [{ type: 'word', words: ['base'] }] }, [response(200, 'base')])).toBe(false);
  });
});
