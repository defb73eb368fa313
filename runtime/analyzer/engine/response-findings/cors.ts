/**
 * CORS policies that let other sites read responses (CWE-942): a reflected or `null` origin with
 * credentials, a wildcard with credentials, and a wildcard on endpoints that receive credentials
 * (Authorization or cookies), whose responses are then readable cross-site wherever a browser
 * attaches them or a token leaks into script.
 */
import type { FindingObservation } from '../finding-store';
import type { RequestView, ResponseView } from '../message-view';
import { siteOf } from '../site';

function excerpt(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function corsMisconfiguration(request: RequestView, response: ResponseView): FindingObservation | undefined {
  const acao = response.header.get('access-control-allow-origin')?.trim();
  if (acao === undefined) return undefined;
  const credentials = response.header.get('access-control-allow-credentials')?.trim().toLowerCase() === 'true';
  const origin = request.header.get('origin')?.trim();
  const finding = (kind: string, severity: 'low' | 'medium' | 'high', confidence: number, evidence: string): FindingObservation => ({
    class: 'cors_misconfiguration',
    title: 'CORS policy trusts untrusted origins',
    cwe: 'CWE-942',
    severity,
    confidence,
    parameter: kind,
    parameterLocation: 'header',
    evidence,
    scanClass: 'cors_misconfiguration',
  });
  if (acao === 'null' && credentials)
    return finding('null_origin', 'high', 0.8, 'Access-Control-Allow-Origin: null with Access-Control-Allow-Credentials: true');
  if (acao === '*' && credentials)
    return finding('wildcard_credentials', 'medium', 0.7, 'Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true');
  if (acao === '*') {
    const carried = ['authorization', 'cookie'].filter((h) => request.header.has(h));
    if (carried.length === 0) return undefined;
    return finding('wildcard_authenticated', 'medium', 0.6, `Access-Control-Allow-Origin: * on an endpoint that receives ${carried.join(' and ')}`);
  }
  if (origin && acao === origin && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).hostname;
    } catch {
      return undefined;
    }
    if (siteOf(originHost) === siteOf(request.host)) return undefined;
    return finding(
      'reflected_origin',
      credentials ? 'high' : 'low',
      credentials ? 0.7 : 0.5,
      `request Origin ${excerpt(origin)} reflected in Access-Control-Allow-Origin${credentials ? ' with credentials allowed' : ''}`,
    );
  }
  return undefined;
}
