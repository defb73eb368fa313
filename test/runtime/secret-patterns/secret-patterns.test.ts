/**
 * One list of secret patterns serves the analyzer and the STS: every kind the analyzer reports in
 * a response, the STS's sensitive-data template for that kind confirms on the same response.
 */
import { checkSync } from 'recheck';
import { findSensitiveData } from '@/runtime/analyzer/engine/sensitive-data';
import { KEY_FILE_NAME, goRegExp } from '@/runtime/exposure-signatures';
import { REDACTED_HASH, REDACTED_JWT } from '@/runtime/redaction-shape';
import { findSecrets, redactedSecret, SECRET_PATTERNS, secretRegExp } from '@/runtime/secret-patterns';
import { generateTemplate } from '@/runtime/sts/generate';
import { probeMatches } from '@/runtime/sts/matchers';
import { findingFor } from '../sts/recording-server';

// Built from parts so that no complete credential-looking literal sits in the repository.
const join = (...parts: string[]) => parts.join('');
const SAMPLES: Record<string, string> = {
  private_key: join('-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'),
  aws_access_key_id: join('{"role_key":"', 'AROA', 'QYLPMN5HHHFPZAM2', '"}'),
  aws_secret_access_key: join('aws_secret_access_key = ', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'),
  gcp_api_key: join('key=', 'AIza', 'SyD3xampleKeyThatIs35CharsLong00012'),
  gcp_service_account_key: join('{"type": "service_account", "project_id": "p"}'),
  azure_storage_key: join('DefaultEndpointsProtocol=https;AccountName=x;AccountKey=', 'A'.repeat(86), '=='),
  github_token: join('token: ', 'github_pat_', '11ABCDEFG0', 'a'.repeat(72)),
  gitlab_token: join('glpat-', 'abcdefghij0123456789'),
  slack_token: join('xoxb-', '1234567890-abcdefghij'),
  stripe_secret_key: join('sk_live_', '51Hq', 'z'.repeat(24)),
  sendgrid_api_key: join('SG.', 'a'.repeat(22), '.', 'b'.repeat(43)),
  openai_api_key: join('sk-proj-', 'a'.repeat(20), 'T3BlbkFJ', 'b'.repeat(20)),
  npm_token: join('npm_', 'c'.repeat(36)),
  password_hash: join('{"email":"a@b.test","hash":"', '$2b$10$', 'CwTycUXWue0Thq9StjUM0uJ8JzYk3cX4b5Q0Yy7vY6HqGqX6yYb5a', '"}'),
  password_field: join('{"user":"bob","password":"', 'hunter2hunter2', '"}'),
};

describe('shared secret patterns', () => {
  it('has a sample for every kind, and each pattern is valid JavaScript and RE2-style syntax', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(SECRET_PATTERNS.map((p) => p.kind).sort());
    for (const p of SECRET_PATTERNS) {
      // RE2 has no lookaround or backreferences.
      expect(p.regex).not.toMatch(/\(\?[=!<]|\\[1-9]/);
      expect(secretRegExp(p).test(SAMPLES[p.kind])).toBe(true);
    }
  });

  it.each(SECRET_PATTERNS.map((p) => [p.kind]))('%s: flagged by the analyzer and confirmed by the STS template for that kind', (kind) => {
    const body = SAMPLES[kind];
    const found = findSensitiveData(body).map((m) => m.kind);
    expect(found).toContain(kind);
    const generated = generateTemplate(findingFor({ host: 'shop.internal', target: '/api/x', findingClass: 'sensitive_data', parameter: kind, location: '' }));
    if (generated.kind !== 'template') throw new Error(generated.reason);
    const probe = generated.template.probes[0];
    expect(probeMatches(probe, [{ status: 200, headers: [['Content-Type', 'application/json']], body, durationMs: 5 }])).toBe(true);
    expect(probeMatches(probe, [{ status: 200, headers: [['Content-Type', 'application/json']], body: '{"ok":true}', durationMs: 5 }])).toBe(false);
  });

  it('never puts the secret itself in evidence', () => {
    for (const match of findSecrets(Object.values(SAMPLES).join('\n'))) {
      const evidence = redactedSecret(match);
      expect(evidence).toContain(match.pattern.kind);
      // Key files are recognised by their armour or type line, which is no secret; every other match is one.
      if (!['private_key', 'gcp_service_account_key'].includes(match.pattern.kind)) expect(evidence).not.toContain(match.value);
    }
  });

  it('ignores masked and placeholder values and look-alike field names', () => {
    const kinds = findSecrets('{"password":"********","secret":"<redacted>","password_policy":"min 8","client_secret":"REDACTED-VALUE"}').map(
      (m) => m.pattern.kind,
    );
    expect(kinds).toEqual([]);
  });

  it('every pattern is linear (bounded quantifiers only), proven by recheck', () => {
    // The pure backend and the exact automaton checker, as in the engine's regex-safety test.
    process.env.RECHECK_BACKEND = 'pure';
    const patterns: [string, RegExp][] = [
      ...SECRET_PATTERNS.map((p) => [p.kind, secretRegExp(p)] as [string, RegExp]),
      ['REDACTED_HASH', REDACTED_HASH],
      ['REDACTED_JWT', REDACTED_JWT],
      ['KEY_FILE_NAME', goRegExp(KEY_FILE_NAME)],
    ];
    const verdicts = patterns.map(([name, r]) => [name, checkSync(r.source, r.flags.replace(/[gy]/g, ''), { checker: 'automaton', timeout: 20_000 }).status]);
    expect(verdicts).toEqual(patterns.map(([name]) => [name, 'safe']));
    // The checker does tell: an unbounded run before a literal, as the key-file pattern once had, is not safe.
    expect(checkSync('(?:[a-z0-9_-]+[.](pem|key))"', '', { checker: 'automaton', timeout: 20_000 }).status).not.toBe('safe');
  });
});
