/**
 * Files that should never be served (CWE-538/CWE-530): VCS metadata, env and config files,
 * backups and editor copies, package manifests, server-side source. Both the path and the content
 * must match, so an SPA that answers every path with its index page raises nothing.
 */
import { EXPOSED_FILES, goRegExp } from '../../../exposure-signatures';
import type { FindingObservation } from '../finding-store';
import type { RequestView, ResponseView } from '../message-view';
import type { BodyText } from '../text-index';

const compiled = EXPOSED_FILES.map((file) => ({ file, path: goRegExp(file.path), content: goRegExp(file.regex) }));
const CWE: Readonly<Record<string, string>> = { backup_file: 'CWE-530', source_code: 'CWE-540' };

/** @param body the response body's text, read only when the path is one of a file's */
export function exposedFile(request: RequestView, response: ResponseView, body: BodyText): FindingObservation | undefined {
  if (response.status < 200 || response.status >= 300 || response.body.kind === 'html') return undefined;
  let head: string | undefined;
  for (const { file, path, content } of compiled) {
    if (!path.test(request.path) || !content.test((head ??= body.text.slice(0, 64 * 1024)))) continue;
    return {
      class: 'exposed_file',
      title: `Exposed ${file.name}`,
      cwe: CWE[file.kind] ?? 'CWE-538',
      severity: file.kind === 'backup_file' || file.kind === 'package_manifest' ? 'medium' : 'high',
      confidence: 0.85,
      parameter: file.kind,
      parameterLocation: 'path',
      evidence: `${request.path.slice(0, 200)} answered ${response.status} with the content of a ${file.name}`,
      scanClass: 'exposed_file',
    };
  }
  return undefined;
}
