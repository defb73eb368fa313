import fc from 'fast-check';
import { findSensitiveData, SECRET_MARKERS, SECRET_PREFILTER } from '@/runtime/analyzer/engine/sensitive-data';
import { BodyText } from '@/runtime/analyzer/engine/text-index';

// Pieces of bodies: secret markers (built from parts, as in the secret-pattern tests), their
// lower-cased look-alikes, card numbers, timestamps and JSON punctuation.
const piece = fc.constantFrom(
  'AKIA',
  'ASIA',
  'AROA',
  'akia',
  'asia',
  'QYLPMN5HHHFPZAM2',
  'qylpmn5hhhfpzam2',
  '-----BEGIN RSA ',
  'PRIVATE KEY-----',
  'private key',
  'AIza',
  'ghp_',
  'gho_',
  'GHP_',
  'github_pat_',
  'glpat-',
  'xoxb-',
  'XOXB-',
  '_live_',
  'SG.',
  'sg.',
  'T3BlbkFJ',
  'npm_',
  'AccountKey=',
  'service_account',
  '$2y$',
  '$2$',
  '$argon2$',
  '$7$',
  'pbkdf2',
  '"password"',
  '4111111111111111',
  '1720615697475',
  '0123456789abcdefABCDEF',
  ' ',
  '"',
  ':',
  ',',
  'x',
);

describe('sensitive data scans with a body index', () => {
  it('the secret markers match exactly where SECRET_PREFILTER does', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const text = pieces.join('');
        expect(SECRET_MARKERS.some((m) => m.pattern.test(text))).toBe(SECRET_PREFILTER.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same with the index as without it', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(findSensitiveData(new BodyText(text, Buffer.from(text)))).toEqual(findSensitiveData(text));
      }),
      { numRuns: 3000 },
    );
    const key = ['{"role_key":"', 'AROA', 'QYLPMN5HHHFPZAM2', '"}'].join('');
    expect(findSensitiveData(new BodyText(key)).map((m) => m.kind)).toEqual(['aws_access_key_id']);
  });
});
