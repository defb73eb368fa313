/**
 * The shape of a value read as a file path (its path form, see decode/path-form): how many
 * parent-directory steps it takes in whatever spelling, and the paths it ends up naming, anchored
 * at the file-system root (an absolute path, what follows a run of parent steps, or what follows
 * an empty segment where an absolute path was pasted into another) or relative to the
 * application's directory.
 */

/** Segments looked at per value; a longer path is cut (the work stays linear and small). */
export const MAX_SEGMENTS = 256;
/** Anchored paths kept per value. */
export const MAX_ANCHORS = 8;

export interface PathAnchor {
  /** Segments from the anchor on, parent and `.` steps removed, names canonical. */
  readonly segments: readonly string[];
  /** The path is relative: the value starts with a name, not a separator or a parent step. */
  readonly relative: boolean;
  /**
   * Where the path starts: the value's start, after parent-directory steps, or after an empty
   * segment inside the value (an absolute path pasted into another).
   */
  readonly from: 'start' | 'parent' | 'restart';
}

export interface PathShape {
  /** Parent-directory steps (`..`, `...`, `....`, `..;x`, `..` with junk a lenient server drops). */
  readonly parentSteps: number;
  /** The value's first segment is a parent step. */
  readonly startsWithParent: boolean;
  readonly anchors: readonly PathAnchor[];
}

const DRIVE = /^[a-z]:/;
const FILE_URL = /^file:\/{0,3}(?:localhost\/)?/;

/**
 * A parent step: two or more dots, then nothing a file system would keep as part of the name.
 * Windows drops trailing dots and spaces, Tomcat drops `;params`, lenient decoders leave junk bytes.
 */
function isParentStep(segment: string): boolean {
  let i = 0;
  while (i < segment.length && (segment[i] === ' ' || segment[i] === '\t')) i++;
  const start = i;
  while (i < segment.length && segment[i] === '.') i++;
  if (i - start < 2) return false;
  for (; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c === 59 /* ; */) return true;
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 95 /* _ */) return false;
  }
  return true;
}

function isCurrentStep(segment: string): boolean {
  return segment === '.' || segment.trim() === '.';
}

/** A file name as the file system resolves it: no `::$data` stream suffix, no trailing dots or spaces. */
export function canonicalName(segment: string): string {
  let name = segment;
  const stream = name.indexOf('::');
  if (stream > 0) name = name.slice(0, stream);
  let end = name.length;
  while (end > 0 && (name[end - 1] === '.' || name[end - 1] === ' ')) end--;
  return end === name.length ? name : name.slice(0, end);
}

/**
 * @param form the value's path form
 * @param restartOnEmpty an empty segment inside the value starts a new absolute path (URL paths,
 *   where `/files//etc/passwd` or an encoded slash pastes one path into another)
 */
export function pathShape(form: string, restartOnEmpty: boolean): PathShape {
  let text = form.trimStart();
  let absolute = false;
  const file = FILE_URL.exec(text);
  if (file) {
    text = text.slice(file[0].length);
    absolute = true;
  }
  const parts = text.split('/', MAX_SEGMENTS);
  const anchors: PathAnchor[] = [];
  let parentSteps = 0;
  let startsWithParent = false;
  let current: string[] | undefined;
  let relative = false;
  let from: PathAnchor['from'] = 'start';
  let seenName = false;
  const close = (): void => {
    if (current !== undefined && current.length > 0 && anchors.length < MAX_ANCHORS) anchors.push({ segments: current, relative, from });
    current = undefined;
  };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.length === 0) {
      // A leading separator anchors the value at the root; an inner empty segment may restart it.
      if (i === 0 || (restartOnEmpty && current !== undefined && current.length > 0)) {
        close();
        current = [];
        relative = false;
        from = i === 0 ? 'start' : 'restart';
      }
      continue;
    }
    if (isParentStep(part)) {
      parentSteps++;
      if (!seenName && parentSteps === 1) startsWithParent = true;
      if (current === undefined || current.length > 0 || from !== 'parent') {
        close();
        current = [];
        relative = false;
        from = 'parent';
      }
      continue;
    }
    if (isCurrentStep(part)) continue;
    if (current === undefined) {
      current = [];
      relative = !(absolute || (i === 0 && DRIVE.test(part)));
      from = 'start';
    }
    seenName = true;
    current.push(canonicalName(part));
  }
  close();
  return { parentSteps, startsWithParent, anchors };
}
