/**
 * Turns observed paths into endpoint templates: `/users/42/orders/9f1c...` →
 * `/users/{id}/orders/{uuid}`. Segments that look like values (numbers, uuids, hashes, dates,
 * long tokens) are templated on sight; a position where too many distinct literals appear under
 * the same parent (per-segment cardinality) is templated as `{param}` from then on.
 */

export type SegmentKind = 'id' | 'uuid' | 'hash' | 'date' | 'token' | 'email' | 'param';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_HASH = /^(?:[0-9a-f]{16,128}|[0-9A-F]{16,128})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT_DATE = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const NUMBER = /^-?\d{1,40}$/;
const TOKEN = /^[A-Za-z0-9_-]{20,256}={0,2}$/;
const EMAIL = /^[^@\s/]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}$/;
const DIGIT = /\d/;
const LETTER = /[A-Za-z]/;

/** The kind of value a path segment holds, or null for a literal (a resource name). */
export function classifySegment(segment: string): SegmentKind | null {
  if (segment.length === 0) return null;
  const first = segment.charCodeAt(0);
  const startsWithDigit = first >= 48 && first <= 57;
  if (startsWithDigit || first === 45) {
    if (COMPACT_DATE.test(segment) || ISO_DATE.test(segment)) return 'date';
    if (NUMBER.test(segment)) return 'id';
  }
  if (segment.length >= 32 && UUID.test(segment)) return 'uuid';
  if (segment.length >= 16 && HEX_HASH.test(segment) && DIGIT.test(segment)) return 'hash';
  if (segment.indexOf('@') > 0 && EMAIL.test(segment)) return 'email';
  // Long mixed letter/digit runs are opaque identifiers (base64url ids, slugs with hashes).
  if (segment.length >= 20 && TOKEN.test(segment) && DIGIT.test(segment) && LETTER.test(segment)) return 'token';
  return null;
}

/** Distinct literal children above which a position becomes a parameter. */
export const DEFAULT_CARDINALITY_THRESHOLD = 50;
const MAX_SEGMENTS = 32;

interface Node {
  literals: Map<string, Node>;
  params: Map<SegmentKind, Node>;
  collapsed: boolean;
}

function newNode(): Node {
  return { literals: new Map(), params: new Map(), collapsed: false };
}

function mergeInto(target: Node, source: Node): void {
  for (const [name, child] of source.literals) {
    const existing = target.literals.get(name);
    if (existing) mergeInto(existing, child);
    else target.literals.set(name, child);
  }
  for (const [kind, child] of source.params) {
    const existing = target.params.get(kind);
    if (existing) mergeInto(existing, child);
    else target.params.set(kind, child);
  }
  target.collapsed = target.collapsed || source.collapsed;
}

export interface TemplatedPath {
  readonly template: string;
  /** Path parameters in order: OpenAPI name, kind and the observed value. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly kind: SegmentKind; readonly value: string }>;
}

/** Paths whose template is remembered (hot endpoints repeat the same paths). */
const CACHE_SIZE = 8192;

/** A trie of observed paths that learns which positions hold values. */
export class PathTemplater {
  private readonly root = newNode();
  private nodes = 1;
  /** Changes whenever the trie does; cached templates from an older trie are recomputed. */
  private version = 0;
  private readonly cache = new Map<string, { version: number; result: TemplatedPath }>();

  constructor(
    private readonly cardinalityThreshold = DEFAULT_CARDINALITY_THRESHOLD,
    private readonly maxNodes = 200_000,
  ) {}

  /** Templates a decoded path and, when `learn` is set and there is room, records it. */
  template(path: string, learn: boolean): TemplatedPath {
    const cached = this.cache.get(path);
    if (cached !== undefined && cached.version === this.version) return cached.result;
    const { result, known } = this.walk(path, learn);
    // Only a path the trie fully knows is cached: for it, learning would change nothing.
    if (known) {
      if (this.cache.size >= CACHE_SIZE) this.cache.clear();
      this.cache.set(path, { version: this.version, result });
    }
    return result;
  }

  private walk(path: string, learn: boolean): { result: TemplatedPath; known: boolean } {
    const versionBefore = this.version;
    const raw = path.split('/');
    const segments = raw.length > MAX_SEGMENTS + 1 ? raw.slice(0, MAX_SEGMENTS + 1) : raw;
    let node: Node | undefined = this.root;
    const out: string[] = [];
    const parameters: Array<{ name: string; kind: SegmentKind; value: string }> = [];
    const used = new Map<string, number>();
    for (let i = 1; i < segments.length; i++) {
      const segment = segments[i];
      let kind: SegmentKind | null = classifySegment(segment);
      if (kind === null && node !== undefined && node.collapsed && !node.literals.has(segment)) kind = 'param';
      if (
        kind === null &&
        segment.length > 0 &&
        learn &&
        node !== undefined &&
        !node.literals.has(segment) &&
        node.literals.size >= this.cardinalityThreshold
      ) {
        this.collapse(node);
        kind = 'param';
      }
      if (kind === null) {
        out.push(escapeBraces(segment));
        if (node) {
          let child = node.literals.get(segment);
          if (!child && learn && this.nodes < this.maxNodes) {
            child = newNode();
            node.literals.set(segment, child);
            this.nodes++;
            this.version++;
          }
          node = child;
        }
      } else {
        const count = (used.get(kind) ?? 0) + 1;
        used.set(kind, count);
        const name = count === 1 ? kind : `${kind}${count}`;
        out.push(`{${name}}`);
        parameters.push({ name, kind, value: segment });
        if (node) {
          let child = node.params.get(kind);
          if (!child && learn && this.nodes < this.maxNodes) {
            child = newNode();
            node.params.set(kind, child);
            this.nodes++;
            this.version++;
          }
          node = child;
        }
      }
    }
    return { result: { template: '/' + out.join('/'), parameters }, known: node !== undefined && this.version === versionBefore };
  }

  /** Merges a position's literal children into one `{param}` child: they were values, not resources. */
  private collapse(node: Node): void {
    const target = node.params.get('param') ?? newNode();
    for (const child of node.literals.values()) mergeInto(target, child);
    node.literals.clear();
    node.params.set('param', target);
    node.collapsed = true;
    this.version++;
  }
}

/** A hex run of 8+ characters between name separators, e.g. the build hash in `app.3f2a9c1b.js`. */
const FINGERPRINT = /(^|[._-])([0-9a-f]{8,64}|[0-9A-F]{8,64})(?=[._-]|$)/g;

/**
 * The template of a path by fixed rules alone: value-like segments (`classifySegment`) and the hash
 * part of fingerprinted file names (`app.3f2a9c1b.js` → `app.{hash}.js`) become placeholders, and
 * nothing depends on the traffic seen before. Every analyzer of a fleet therefore gives a path the
 * same canonical template, whatever share of the traffic it saw; finding ids are built on it.
 * Placeholders are named as `PathTemplater` names them, so where the trie learnt nothing beyond
 * `classifySegment` (and the path has no fingerprinted file name, which the trie keeps as it is)
 * both templates are equal.
 */
export function canonicalTemplate(path: string): string {
  const raw = path.split('/');
  const segments = raw.length > MAX_SEGMENTS + 1 ? raw.slice(0, MAX_SEGMENTS + 1) : raw;
  const out: string[] = [];
  const used = new Map<string, number>();
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    const kind = classifySegment(segment);
    if (kind === null) {
      out.push(segment.length >= 8 ? withoutFingerprint(escapeBraces(segment)) : escapeBraces(segment));
      continue;
    }
    const count = (used.get(kind) ?? 0) + 1;
    used.set(kind, count);
    out.push(`{${count === 1 ? kind : `${kind}${count}`}}`);
  }
  return '/' + out.join('/');
}

function withoutFingerprint(segment: string): string {
  return segment.replace(FINGERPRINT, (whole, separator: string, run: string) => (DIGIT.test(run) ? `${separator}{hash}` : whole));
}

function escapeBraces(segment: string): string {
  return segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0 ? segment.replace(/[{}]/g, '_') : segment;
}
