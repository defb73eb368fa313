/**
 * Credential guessing that a per-request rate limit cannot see, and credentials that are not
 * strings: XML-RPC's `system.multicall` runs a batch of calls in one request (WordPress brute
 * force sends hundreds of `wp.getUsersBlogs` with a password each), PHP reads `password[]=x`
 * as an array, which `strcmp` compares to any string as equal and `==` against a hash as loosely,
 * and Node's mysqljs expands `{"password":{"password":1}}` into a comparison of the column with itself.
 */
import type { RequestView } from '../../message-view';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule } from '../types';
import { classRule } from './class-rule';

const rule = classRule('ProtocolAnomaly');

export const MULTICALL_GUESSING = rule(
  960127,
  'ProtocolAnomaly: XML-RPC system.multicall packing 10 calls or more, or 3 login checks, into one request (password guessing past a per-request limit)',
  'critical',
  'high',
  70,
);
export const CREDENTIAL_ARRAY = rule(
  960128,
  'ProtocolAnomaly: password, PIN or one-time code sent as an array or object (`password[]=`: PHP type juggling passes strcmp; `{"password":{"password":1}}`: mysqljs compares the column with itself)',
  'critical',
  'high',
  70,
);

export const CREDENTIAL_GUESSING_RULES: readonly Rule[] = [MULTICALL_GUESSING, CREDENTIAL_ARRAY];

/** Blog clients batch a handful of calls; ten are a list of guesses. */
const MULTICALL_CALLS = 10;
/**
 * Calls that only check a login and password (a client makes one, to list the user's blogs): a
 * batch repeating them is a list of guesses however short.
 */
const LOGIN_CHECKS = ['>wp.getusersblogs<', '>blogger.getusersblogs<', '>metaweblog.getusersblogs<'];
const MULTICALL_LOGIN_CHECKS = 3;
/** A field holding a secret the server compares, sent with PHP's array brackets (empty or indexed). */
const CREDENTIAL_ARRAY_NAME = /^(?:pass(?:word|wd|phrase)?|pwd|pin|otp|passcode|totp|mfa_?code|one_?time_?code)\[\d{0,3}\]$/i;
/** The same field as a JSON object holding itself (mysqljs turns `{"password":{"password":1}}` into `password = \`password\``), or as an array. */
const CREDENTIAL_OBJECT_NAME = /(?:^|\.)(pass(?:word|wd)?|pwd|pin|otp|passcode)(?:\.\1|\[\])$/i;

export function credentialGuessingHits(request: RequestView): AttackHit[] {
  const hits: AttackHit[] = [];
  const body = request.body;
  if (body.kind === 'xml' && body.text.indexOf('system.multicall') >= 0) {
    const text = body.text.toLowerCase();
    const calls = text.split('<name>methodname</name>').length - 1;
    const logins = LOGIN_CHECKS.reduce((n, method) => n + text.split(method).length - 1, 0);
    if (calls >= MULTICALL_CALLS || logins >= MULTICALL_LOGIN_CHECKS)
      hits.push({
        rule: MULTICALL_GUESSING,
        location: 'body_xml',
        parameter: 'methodName',
        value: logins >= MULTICALL_LOGIN_CHECKS ? `system.multicall of ${logins} login checks` : `system.multicall of ${calls} calls`,
        score: ruleScore(MULTICALL_GUESSING),
      });
  }
  for (const p of [...request.query, ...request.bodyParams]) {
    const named = p.location === 'body_json' ? CREDENTIAL_OBJECT_NAME.test(p.name) : p.location !== 'cookie' && CREDENTIAL_ARRAY_NAME.test(p.name);
    if (named) {
      hits.push({ rule: CREDENTIAL_ARRAY, location: p.location, parameter: p.name, value: p.value, score: ruleScore(CREDENTIAL_ARRAY) });
      break;
    }
  }
  return hits;
}
