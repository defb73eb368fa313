/**
 * Request smuggling and protocol anomalies: conflicting message framing is how requests are
 * smuggled past a front-end proxy. Read from the request's headers, not from a value.
 */
import { lowerHeaderName, type RequestView } from '../../message-view';
import type { AttackHit } from '../types';
import { ruleScore } from '../scoring';
import type { RegexRule } from './regex-rule';

/** Matched against `te=<Transfer-Encoding or ->;cl=<number of Content-Length headers>`. */
export const PROTOCOL_RULES: readonly RegexRule[] = [
  {
    id: 960101,
    classification: 'RequestSmuggling',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'SmugglingAnalyzer: both Content-Length and Transfer-Encoding, or several Content-Length values',
    pattern: /^te=(?!-;)[^;]{1,200};cl=[1-9]|;cl=(?:[2-9]|\d{2,4})$/,
  },
  {
    id: 960102,
    classification: 'RequestSmuggling',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'SmugglingAnalyzer: obfuscated Transfer-Encoding',
    pattern: /^te=(?!\s{0,5}chunked\s{0,5};)[^;]{0,200}chunked/,
  },
];

export function framingHits(request: RequestView): AttackHit[] {
  const te = request.header.get('transfer-encoding');
  let lengths = 0;
  for (const h of request.headers) if (lowerHeaderName(h.name) === 'content-length') lengths++;
  if (te === undefined && lengths <= 1) return [];
  const summary = `te=${te === undefined ? '-' : te.toLowerCase().replace(/;/g, ',')};cl=${lengths}`;
  const parameter = te !== undefined ? 'Transfer-Encoding' : 'Content-Length';
  return PROTOCOL_RULES.filter((r) => r.pattern.test(summary)).map((rule) => ({ rule, location: 'header', parameter, value: summary, score: ruleScore(rule) }));
}
