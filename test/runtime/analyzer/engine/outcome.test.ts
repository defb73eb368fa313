/** Attack outcome: an attack that succeeded, judged against the endpoint's learned baseline. */
import { createAnalysisEngine, type AnalyzerEvent, type FindingRecord } from '../../../../runtime/analyzer/engine';
import { buildExchange, type ExchangeSpec } from '../../../fixtures/traffic';

const context = { sensorId: 'sensor-1', sensorTags: [] };
const of = (events: AnalyzerEvent[], cls: string): FindingRecord[] => events.filter((e): e is FindingRecord => e.msg_type === 'Finding' && e.class === cls);
const login = (email: string, status: number, body: string): ExchangeSpec => ({
  method: 'POST',
  target: '/rest/user/login',
  requestHeaders: [['Content-Type', 'application/json']],
  requestBody: JSON.stringify({ email, password: 'x' }),
  status,
  responseHeaders: [['Content-Type', 'application/json']],
  responseBody: body,
});
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJl';

describe('authentication bypass', () => {
  it('is raised when an injected login gets a token where ordinary failures get 401', () => {
    const engine = createAnalysisEngine();
    for (const email of ['a@x.test', 'b@x.test']) engine.analyze(buildExchange(login(email, 401, '{"error":"Invalid email or password."}')), context);
    const events = engine.analyze(buildExchange(login("' OR 1=1--", 200, JSON.stringify({ authentication: { token: TOKEN } }))), context);
    expect(of(events, 'auth_bypass')).toMatchObject([{ cwe: 'CWE-287', severity: 'critical', parameter: 'email', parameter_location: 'body_json', scan: expect.objectContaining({ finding_class: 'auth_bypass' }) }]);
  });

  it('is not raised without a refusing baseline, for a refused injection, or without a session or token', () => {
    const fresh = createAnalysisEngine();
    expect(of(fresh.analyze(buildExchange(login("' OR 1=1--", 200, JSON.stringify({ token: TOKEN }))), context), 'auth_bypass')).toEqual([]);
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(login('a@x.test', 401, '{"error":"no"}')), context);
    expect(of(engine.analyze(buildExchange(login("' OR 1=1--", 401, '{"error":"no"}')), context), 'auth_bypass')).toEqual([]);
    expect(of(engine.analyze(buildExchange(login("' OR 1=1--", 200, '{"ok":true}')), context), 'auth_bypass')).toEqual([]);
  });
});

describe('extension filter bypass', () => {
  const get = (target: string, status: number, body: string): ExchangeSpec => ({ target, status, responseHeaders: [['Content-Type', 'text/plain']], responseBody: body });
  it('is raised when the null-byte twin of a refused path is served', () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(get('/ftp/coupons.bak', 403, 'Only .md and .pdf files are allowed!')), context);
    const events = engine.analyze(buildExchange(get('/ftp/coupons.bak%2500.md', 200, 'n<MibgC7sn\nmNYS#gC7sn')), context);
    expect(of(events, 'filter_bypass')).toMatchObject([{ cwe: 'CWE-158', parameter_location: 'path', evidence: expect.stringContaining('/ftp/coupons.bak is refused with 403'), scan: expect.objectContaining({ finding_class: 'filter_bypass' }) }]);
  });
  it('is not raised when the twin was never refused or the trick is refused too', () => {
    const engine = createAnalysisEngine();
    expect(of(engine.analyze(buildExchange(get('/ftp/notes.md%2500.md', 200, 'hello')), context), 'filter_bypass')).toEqual([]);
    engine.analyze(buildExchange(get('/ftp/secret.bak', 403, 'no')), context);
    expect(of(engine.analyze(buildExchange(get('/ftp/secret.bak%2500.md', 403, 'no')), context), 'filter_bypass')).toEqual([]);
  });
});
