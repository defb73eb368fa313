/**
 * Path analysis for traversal and local file inclusion: a value's shape as a path (parent steps in
 * every spelling, the paths it names) and whether those paths are files an attacker reads.
 */
import {
  CREDENTIAL_PATH,
  SYSTEM_ROOT,
  SYSTEM_ROOT_IN_URL_PATH,
  WINDOWS_ROOT,
  isSecretFileName,
  isSensitiveFileName,
  isSensitiveUnderRoot,
} from './sensitive-files';
import type { PathAnchor } from './shape';

export { pathShape, canonicalName, MAX_ANCHORS, MAX_SEGMENTS, type PathAnchor, type PathShape } from './shape';
export {
  SENSITIVE_FILE_NAMES,
  SYSTEM_ROOT,
  SYSTEM_ROOT_IN_URL_PATH,
  WINDOWS_ROOT,
  LOG_FILE_NAME,
  CREDENTIAL_PATH,
  isSensitiveFileName,
} from './sensitive-files';

const DRIVE = /^[a-z]:/;
/** Segments searched for a drive letter and for sensitive names (the rest of a long path is not). */
const MAX_DRIVE_DEPTH = 8;
const MAX_NAME_DEPTH = 64;
/** Top-level directories whose word-like file names (`hosts`, `environ`) are system files. */
const SYSTEM_TOP: ReadonlySet<string> = new Set(['etc', 'proc', 'var', 'usr', 'private', 'root', 'sys']);

/**
 * A source file of an installed package (`/usr/local/lib/python3.11/site-packages/django/…/x.py`):
 * the path a stack frame in error telemetry names. Under a system root, but no file an attacker
 * reads; a secret's name in it still counts.
 */
const PACKAGE_SOURCE = /\/(?:site-packages|dist-packages|node_modules|gems)\/[^\0]{1,400}\.(?:py|js|mjs|cjs|rb)$/;

/**
 * How strictly an anchor is judged: `value` for a parameter value (an absolute path under a system
 * root is enough), `url-path` for the URL path itself (only roots no site routes through).
 */
export type AnchorContext = 'value' | 'url-path';

/** The anchor names a system, server, credential or application secret file. */
export function namesSensitiveFile(anchor: PathAnchor, context: AnchorContext): boolean {
  const segments = anchor.segments;
  if (segments.length === 0) return false;
  const path = segments.join('/');
  // A drive letter anywhere (`c:/windows`, `/files/c:/inetpub`): no route or word is spelt so.
  for (let i = 0; i < segments.length && i < MAX_DRIVE_DEPTH; i++) {
    if (DRIVE.test(segments[i]) && WINDOWS_ROOT.test(segments.slice(i).join('/').slice(2).replace(/^\/+/, ''))) return true;
  }
  if (!anchor.relative) {
    if ((context === 'value' || anchor.from !== 'start' ? SYSTEM_ROOT : SYSTEM_ROOT_IN_URL_PATH).test(path) && !PACKAGE_SOURCE.test(path)) return true;
    if (anchor.from === 'parent' && WINDOWS_ROOT.test(path)) return true;
  }
  // A Java web application's private folder, climbed to from the web root (`loc=../WEB-INF`): the
  // servlet specification forbids serving it, so nothing but a traversal reaches it.
  if (anchor.from === 'parent' && segments.length === 1 && segments[0] === 'web-inf') return true;
  // The URL path's own segments are routes: there only a secret dotfile or key counts by name.
  const urlRoute = context === 'url-path' && anchor.from === 'start';
  if (!urlRoute && CREDENTIAL_PATH.test(path)) return true;
  // A relative path needs a directory in it: a bare file name is as often a word as a file.
  if (anchor.relative && segments.length < 2) return false;
  const underRoot = SYSTEM_TOP.has(segments[0]);
  for (let i = 0; i < segments.length && i < MAX_NAME_DEPTH; i++) {
    const name = segments[i];
    if (urlRoute ? isSecretFileName(name) : underRoot && i > 0 ? isSensitiveUnderRoot(name) : isSensitiveFileName(name)) return true;
  }
  return false;
}
