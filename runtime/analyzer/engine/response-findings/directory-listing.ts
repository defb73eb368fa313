/** Server-generated directory indexes (CWE-548), in the styles of the common servers. */
import { DIRECTORY_LISTINGS, firstSignature, goRegExp, KEY_FILE_NAME } from '../../../exposure-signatures';
import type { FindingObservation } from '../finding-store';
import type { ResponseView } from '../message-view';

const KEY_FILE = goRegExp(KEY_FILE_NAME);

export function directoryListing(response: ResponseView, text: string): FindingObservation | undefined {
  if (response.status < 200 || response.status >= 300) return undefined;
  const style = firstSignature(DIRECTORY_LISTINGS, text);
  if (!style) return undefined;
  const keyFile = KEY_FILE.exec(text)?.[1];
  return {
    class: 'directory_listing',
    title: keyFile ? 'Directory listing enabled, listing key material' : 'Directory listing enabled',
    cwe: 'CWE-548',
    severity: keyFile ? 'high' : 'low',
    confidence: 0.9,
    parameter: style.kind,
    parameterLocation: 'response_body',
    evidence: `response is a ${style.name} directory index${keyFile ? `; it lists ${keyFile}` : ''}`,
    scanClass: 'directory_listing',
  };
}
