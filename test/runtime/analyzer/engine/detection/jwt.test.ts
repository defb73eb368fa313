import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: Record<string, unknown>, claims: Record<string, unknown> = { sub: '1024' }, signature = 'c2ln'): string =>
  `${b64(header)}.${b64(claims)}.${signature}`;

const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
let n = 0;
/** Rule ids of the level-1 MatchEvent the request raises ([] when none). */
function ids(spec: Partial<ExchangeSpec>): number[] {
  const events = engine.analyze(buildExchange({ id: `jwt${n++}`, host: 'api.example.com', target: '/', ...spec }), { sensorId: 's', sensorTags: [] });
  const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
  return match === undefined ? [] : match.matches.map((m) => m.id);
}
const bearer = (jwt: string): Partial<ExchangeSpec> => ({ target: '/v1/me', requestHeaders: [['Authorization', `Bearer ${jwt}`]] });
const cookie = (jwt: string): Partial<ExchangeSpec> => ({ target: '/account', requestHeaders: [['Cookie', `theme=dark; session=${jwt}`]] });
const query = (jwt: string): Partial<ExchangeSpec> => ({ target: `/v1/export?access_token=${jwt}` });
const jsonField = (jwt: string): Partial<ExchangeSpec> => ({
  method: 'POST',
  target: '/api/auth/verify',
  requestHeaders: [['Content-Type', 'application/json']],
  requestBody: JSON.stringify({ token: jwt }),
});
const header = (jwt: string): Partial<ExchangeSpec> => ({ target: '/v1/me', requestHeaders: [['X-Access-Token', jwt]] });
const PLACES = { bearer, cookie, query, jsonField, header };

describe('forged JSON Web Tokens, wherever a token travels', () => {
  it.each(Object.entries(PLACES))('alg none, any case, in %s', (_place, place) => {
    for (const alg of ['none', 'None', 'nOnE']) expect(ids(place(token({ alg, typ: 'JWT' }, { sub: 'admin' }, '')))).toContain(980101);
  });

  it.each(Object.entries(PLACES))('an embedded key, a key URL and a key id naming a file, in %s', (_place, place) => {
    expect(ids(place(token({ alg: 'RS256', jwk: { kty: 'RSA', e: 'AQAB', n: 'x' } })))).toContain(980102);
    expect(ids(place(token({ alg: 'RS256', jku: 'https://attacker.example/jwks.json' })))).toContain(980103);
    expect(ids(place(token({ alg: 'RS256', x5u: 'https://attacker.example/cert.pem' })))).toContain(980103);
    expect(ids(place(token({ alg: 'HS256', kid: '../../../../dev/null' })))).toContain(980104);
    expect(ids(place(token({ alg: 'HS256', kid: '/dev/null' })))).toContain(980104);
  });

  it('reads a key id as any value too: SQL or a command in it alerts by its own class', () => {
    expect(ids(cookie(token({ alg: 'HS256', kid: "x' UNION SELECT 'secret' -- " })))).toContain(100101);
    expect(ids(query(token({ alg: 'HS256', kid: 'key1|id' }))).length).toBeGreaterThan(0);
  });

  it.each([
    ['an RS256 token with a UUID key id', { alg: 'RS256', kid: '7c2a1f0e-3b9d-4c61-a1d2-0f6b9e3c5a10', typ: 'JWT' }],
    ['an ES256 token with a thumbprint key id', { alg: 'ES256', kid: 'Fq3r0hD0Qk9yq3pE-8mN1x0aZ5c', typ: 'at+jwt' }],
    ["a Cognito key id with base64's +/=", { alg: 'RS256', kid: 'ab+cd/EF12=' }],
    ['a Google Cloud KMS key name', { alg: 'RS256', kid: 'projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1' }],
    ['a JWE header', { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-2024' }],
  ])('leaves %s alone in every place', (_what, head) => {
    for (const place of Object.values(PLACES)) expect(ids(place(token(head)))).toEqual([]);
  });

  it('leaves a DPoP proof, which carries its key by design, alone', () => {
    const proof = token(
      { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' } },
      { htm: 'GET', htu: 'https://api.example.com/v1/me' },
    );
    expect(ids({ target: '/v1/me', requestHeaders: [['DPoP', proof]] })).toEqual([]);
  });
});
