/**
 * Forged JSON Web Tokens: header fields that make a server skip or move its signature check, read
 * wherever a token travels (Authorization, cookies, parameters, headers, JSON fields; see
 * ../placements). Servers read the header before they verify anything: `alg: none` asks for no
 * check at all, an embedded `jwk` or a `jku`/`x5u` URL hands the server the attacker's own key, and
 * a `kid` naming a file (`../../dev/null`) makes an empty or known file the key. Injections in
 * `kid` (SQL, commands) are read by those classes' packs from the same values.
 */
import { JWT_HEADER_FIELD } from '../placements/credentials';
import type { Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { classRule } from './class-rule';

const rule = classRule('TokenForgery');

export const UNSIGNED_TOKEN = rule(
  980101,
  'JwtAnalyzer: token declaring alg "none" (unsigned: a server that honours it takes any claims)',
  'critical',
  'high',
  85,
);
export const EMBEDDED_KEY = rule(
  980102,
  "JwtAnalyzer: token carrying its own verification key (jwk header: the attacker's key, CVE-2018-0114)",
  'critical',
  'high',
  80,
);
export const KEY_URL = rule(
  980103,
  'JwtAnalyzer: token pointing the server at a key URL (jku or x5u header: keys fetched from where the token says)',
  'critical',
  'high',
  75,
);
export const KEY_ID_PATH = rule(
  980104,
  'JwtAnalyzer: key id naming a file path (`kid: ../../dev/null`: an empty or known file becomes the key)',
  'critical',
  'high',
  80,
);

export const JWT_RULES: readonly Rule[] = [UNSIGNED_TOKEN, EMBEDDED_KEY, KEY_URL, KEY_ID_PATH];

/** A parent step anywhere, or an absolute path (Unix root, drive letter): key ids are names, thumbprints or key-ring paths, never these. */
const FILE_PATH = /\.\.[\\/]|^\s{0,3}(?:\/|[a-z]:[\\/])|[\\/](?:dev[\\/]null|proc[\\/]|etc[\\/])/;

/** DPoP proofs (RFC 9449) carry the client's public key by design, in their own header. */
function isProofOfPossession(v: InspectedValue): boolean {
  return v.lowerName.startsWith('dpop');
}

function inspect(v: InspectedValue, report: (rule: Rule) => void): void {
  const field = v.lowerName.slice(v.lowerName.lastIndexOf(JWT_HEADER_FIELD) + JWT_HEADER_FIELD.length);
  switch (field) {
    case 'alg':
      if (v.lower.trim() === 'none') report(UNSIGNED_TOKEN);
      break;
    case 'jwk':
      if (!isProofOfPossession(v)) report(EMBEDDED_KEY);
      break;
    case 'jku':
    case 'x5u':
      report(KEY_URL);
      break;
    case 'kid':
      if (FILE_PATH.test(v.path)) report(KEY_ID_PATH);
      break;
    default:
      break;
  }
}

export const jwtPack: RulePack = {
  name: 'jwt',
  classification: 'TokenForgery',
  rules: JWT_RULES,
  // Plain values too: `none` and a key id are plain words.
  readsPlainValues: true,
  prefilter: (v) => v.lowerName.indexOf(JWT_HEADER_FIELD) >= 0,
  inspect,
};
