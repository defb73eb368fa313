import type { Parameter, RequestView, ResponseView } from './message-view';
import type { TemplatedPath, SegmentKind } from './path-template';

/** Most parameters, content types or status codes remembered per endpoint (bounded memory). */
const MAX_ENTRIES_PER_ENDPOINT = 200;
/**
 * After this many observations an endpoint's request shape (parameters, types, content types,
 * auth schemes, hosts) is sampled, one observation in SHAPE_SAMPLE_EVERY: hot endpoints repeat
 * the same shape, and re-inferring it on every request costs more than it teaches. Counts,
 * status codes, sensitive data and times are recorded for every observation.
 */
const FULL_SHAPE_OBSERVATIONS = 1000;
const SHAPE_SAMPLE_EVERY = 16;

export type InferredType = 'integer' | 'number' | 'boolean' | 'string' | 'null';

interface ParameterStats {
  readonly location: string;
  readonly types: Set<InferredType>;
  readonly formats: Set<string>;
  seen: number;
}

export interface AuthScheme {
  /** securitySchemes key: "bearerAuth", "basicAuth", "apiKeyHeader_x-api-key", ... */
  readonly key: string;
  readonly scheme: Record<string, unknown>;
}

interface EndpointStats {
  readonly method: string;
  readonly template: string;
  readonly samplePath: string;
  readonly pathParameters: Map<string, SegmentKind>;
  readonly parameters: Map<string, ParameterStats>;
  readonly requestContentTypes: Set<string>;
  readonly responses: Map<number, Set<string>>;
  readonly auth: Map<string, AuthScheme>;
  readonly sensitiveData: Set<string>;
  readonly hosts: Set<string>;
  observations: number;
  /** Observations whose request shape was recorded (all of the first ones, then a sample). */
  shapeObservations: number;
  /** ms since the epoch (formatted only when the document is built). */
  firstSeen: number;
  lastSeen: number;
}

const INTEGER = /^-?\d{1,18}$/;
const DECIMAL = /^-?\d{1,18}\.\d{1,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const EMAIL = /^[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}$/;
const URI = /^https?:\/\/[^\s]{1,2000}$/i;

export function inferType(param: Parameter): { type: InferredType; format?: string } {
  if (param.jsonType === 'number') return { type: Number.isInteger(Number(param.value)) ? 'integer' : 'number' };
  if (param.jsonType === 'boolean') return { type: 'boolean' };
  if (param.jsonType === 'null') return { type: 'null' };
  const v = param.value;
  if (param.location !== 'body_json') {
    if (INTEGER.test(v)) return { type: 'integer' };
    if (DECIMAL.test(v)) return { type: 'number' };
    if (v === 'true' || v === 'false') return { type: 'boolean' };
  }
  if (v.length === 36 && UUID.test(v)) return { type: 'string', format: 'uuid' };
  if (v.length === 10 && DATE.test(v)) return { type: 'string', format: 'date' };
  if (v.length >= 20 && v.length <= 40 && DATE_TIME.test(v)) return { type: 'string', format: 'date-time' };
  if (v.indexOf('@') > 0 && EMAIL.test(v)) return { type: 'string', format: 'email' };
  if (v.length > 8 && URI.test(v)) return { type: 'string', format: 'uri' };
  return { type: 'string' };
}

const SESSION_COOKIE =
  /^(?:session|sess|sid|.*sessionid|.*session_id|jsessionid|phpsessid|connect\.sid|asp\.net_sessionid|laravel_session|_session_id|auth|auth_token|token|access_token|jwt|id_token)$/i;
const API_KEY_HEADERS = new Set([
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-auth-token',
  'x-access-token',
  'x-token',
  'x-api-token',
  'x-functions-key',
  'ocp-apim-subscription-key',
]);
const API_KEY_QUERY = new Set(['api_key', 'apikey', 'api-key', 'key', 'access_token', 'token', 'auth']);

/** Authentication schemes the request shows, judged from the redacted shape of its credentials. */
export function authSchemes(request: RequestView): AuthScheme[] {
  const schemes: AuthScheme[] = [];
  const authorization = request.header.get('authorization');
  if (authorization !== undefined) {
    const space = authorization.indexOf(' ');
    const kind = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    if (kind === 'bearer') schemes.push({ key: 'bearerAuth', scheme: { type: 'http', scheme: 'bearer' } });
    else if (kind === 'basic') schemes.push({ key: 'basicAuth', scheme: { type: 'http', scheme: 'basic' } });
    else if (kind === 'digest') schemes.push({ key: 'digestAuth', scheme: { type: 'http', scheme: 'digest' } });
    else if (kind === 'aws4-hmac-sha256')
      schemes.push({ key: 'awsSigV4', scheme: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS Signature Version 4' } });
    else schemes.push({ key: 'authorizationHeader', scheme: { type: 'apiKey', in: 'header', name: 'Authorization' } });
  }
  for (const name of request.header.keys()) {
    if (API_KEY_HEADERS.has(name)) schemes.push({ key: `apiKeyHeader_${name}`, scheme: { type: 'apiKey', in: 'header', name } });
  }
  for (const cookie of request.cookies) {
    if (SESSION_COOKIE.test(cookie.name)) schemes.push({ key: `cookie_${cookie.name}`, scheme: { type: 'apiKey', in: 'cookie', name: cookie.name } });
  }
  for (const param of request.query) {
    if (API_KEY_QUERY.has(param.name.toLowerCase()))
      schemes.push({ key: `apiKeyQuery_${param.name}`, scheme: { type: 'apiKey', in: 'query', name: param.name } });
  }
  return schemes;
}

function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * One endpoint's record in plain data: what the fleet state stores and merges across analyzers.
 * Sets are arrays, parameters are keyed `<location>:<name>`.
 */
export interface EndpointSnapshot {
  readonly method: string;
  readonly template: string;
  readonly samplePath: string;
  readonly pathParameters: ReadonlyArray<readonly [string, SegmentKind]>;
  readonly parameters: ReadonlyArray<{
    readonly key: string;
    readonly location: string;
    readonly types: readonly InferredType[];
    readonly formats: readonly string[];
    readonly seen: number;
  }>;
  readonly requestContentTypes: readonly string[];
  readonly responses: ReadonlyArray<readonly [number, readonly string[]]>;
  readonly auth: readonly AuthScheme[];
  readonly sensitiveData: readonly string[];
  readonly hosts: readonly string[];
  readonly observations: number;
  readonly shapeObservations: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

function addBounded<T>(set: Set<T>, value: T): void {
  if (set.size < MAX_ENTRIES_PER_ENDPOINT || set.has(value)) set.add(value);
}

/** The API inventory: what endpoints exist, how they are called and what they return. */
export class Inventory {
  private readonly endpoints = new Map<string, EndpointStats>();
  /** Endpoints recorded since the last `takeChanges()` (the fleet state flushes only these). */
  private readonly changed = new Set<string>();

  constructor(private readonly maxEndpoints: number) {}

  get size(): number {
    return this.endpoints.size;
  }

  /** Records an observation; `create` says whether an endpoint not seen before may be added. */
  record(request: RequestView, response: ResponseView | null, templated: TemplatedPath, sensitive: readonly string[], at: number, create: boolean): void {
    const key = `${request.method} ${templated.template}`;
    let stats = this.endpoints.get(key);
    if (!stats) {
      if (!create || this.endpoints.size >= this.maxEndpoints) return;
      stats = {
        method: request.method,
        template: templated.template,
        samplePath: request.path,
        pathParameters: new Map(templated.parameters.map((p) => [p.name, p.kind])),
        parameters: new Map(),
        requestContentTypes: new Set(),
        responses: new Map(),
        auth: new Map(),
        sensitiveData: new Set(),
        hosts: new Set(),
        observations: 0,
        shapeObservations: 0,
        firstSeen: at,
        lastSeen: at,
      };
      this.endpoints.set(key, stats);
    }
    stats.observations++;
    stats.lastSeen = at;
    this.changed.add(key);
    for (const kind of sensitive) addBounded(stats.sensitiveData, kind);
    if (stats.observations <= FULL_SHAPE_OBSERVATIONS || stats.observations % SHAPE_SAMPLE_EVERY === 0) this.recordShape(stats, request);
    if (response) {
      let types = stats.responses.get(response.status);
      if (!types) {
        if (stats.responses.size >= MAX_ENTRIES_PER_ENDPOINT) return;
        types = new Set();
        stats.responses.set(response.status, types);
      }
      const type = mediaType(response.header.get('content-type') ?? '');
      if (type && response.body.kind !== 'none') addBounded(types, type);
    }
  }

  private recordShape(stats: EndpointStats, request: RequestView): void {
    stats.shapeObservations++;
    if (request.host) addBounded(stats.hosts, `${request.scheme}://${request.host}`);
    for (const param of request.query) this.recordParameter(stats, param);
    for (const param of request.bodyParams) this.recordParameter(stats, param);
    if (request.body.kind !== 'none' && request.body.contentType) addBounded(stats.requestContentTypes, mediaType(request.body.contentType));
    for (const scheme of authSchemes(request))
      if (!stats.auth.has(scheme.key) && stats.auth.size < MAX_ENTRIES_PER_ENDPOINT) stats.auth.set(scheme.key, scheme);
  }

  private recordParameter(stats: EndpointStats, param: Parameter): void {
    const key = `${param.location}:${param.name}`;
    let p = stats.parameters.get(key);
    if (!p) {
      if (stats.parameters.size >= MAX_ENTRIES_PER_ENDPOINT) return;
      p = { location: param.location, types: new Set(), formats: new Set(), seen: 0 };
      stats.parameters.set(key, p);
    }
    p.seen++;
    const inferred = inferType(param);
    p.types.add(inferred.type);
    if (inferred.format) addBounded(p.formats, inferred.format);
  }

  /** Snapshots of the endpoints recorded since the previous call. */
  takeChanges(): EndpointSnapshot[] {
    const snapshots: EndpointSnapshot[] = [];
    for (const key of this.changed) {
      const stats = this.endpoints.get(key);
      if (stats) snapshots.push(snapshotOf(stats));
    }
    this.changed.clear();
    return snapshots;
  }

  /**
   * Merges an endpoint recorded elsewhere (another analyzer, through the fleet state): counts
   * add up, sets unite, the earliest first and latest last sighting win. Bounds apply as for
   * local observations.
   */
  absorb(snapshot: EndpointSnapshot): void {
    const key = `${snapshot.method} ${snapshot.template}`;
    let stats = this.endpoints.get(key);
    if (!stats) {
      if (this.endpoints.size >= this.maxEndpoints) return;
      stats = {
        method: snapshot.method,
        template: snapshot.template,
        samplePath: snapshot.samplePath,
        pathParameters: new Map(snapshot.pathParameters),
        parameters: new Map(),
        requestContentTypes: new Set(),
        responses: new Map(),
        auth: new Map(),
        sensitiveData: new Set(),
        hosts: new Set(),
        observations: 0,
        shapeObservations: 0,
        firstSeen: snapshot.firstSeen,
        lastSeen: snapshot.lastSeen,
      };
      this.endpoints.set(key, stats);
    }
    stats.observations += snapshot.observations;
    stats.shapeObservations += snapshot.shapeObservations;
    stats.firstSeen = Math.min(stats.firstSeen, snapshot.firstSeen);
    stats.lastSeen = Math.max(stats.lastSeen, snapshot.lastSeen);
    for (const p of snapshot.parameters) {
      let target = stats.parameters.get(p.key);
      if (!target) {
        if (stats.parameters.size >= MAX_ENTRIES_PER_ENDPOINT) continue;
        target = { location: p.location, types: new Set(), formats: new Set(), seen: 0 };
        stats.parameters.set(p.key, target);
      }
      target.seen += p.seen;
      for (const t of p.types) target.types.add(t);
      for (const f of p.formats) addBounded(target.formats, f);
    }
    for (const t of snapshot.requestContentTypes) addBounded(stats.requestContentTypes, t);
    for (const [status, types] of snapshot.responses) {
      let set = stats.responses.get(status);
      if (!set) {
        if (stats.responses.size >= MAX_ENTRIES_PER_ENDPOINT) continue;
        set = new Set();
        stats.responses.set(status, set);
      }
      for (const t of types) addBounded(set, t);
    }
    for (const scheme of snapshot.auth) if (!stats.auth.has(scheme.key) && stats.auth.size < MAX_ENTRIES_PER_ENDPOINT) stats.auth.set(scheme.key, scheme);
    for (const kind of snapshot.sensitiveData) addBounded(stats.sensitiveData, kind);
    for (const host of snapshot.hosts) addBounded(stats.hosts, host);
  }

  /**
   * OpenAPI 3.1. `retemplate` maps each endpoint's sample path to its current template, so
   * endpoints recorded before a position was learnt to be a parameter merge with later ones.
   */
  openApi(retemplate: (path: string) => TemplatedPath): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const securitySchemes: Record<string, unknown> = {};
    const servers = new Set<string>();
    const merged = new Map<string, EndpointStats[]>();
    for (const stats of this.endpoints.values()) {
      const template = retemplate(stats.samplePath).template;
      const key = `${stats.method} ${template}`;
      const list = merged.get(key) ?? [];
      list.push(stats);
      merged.set(key, list);
    }
    for (const [key, group] of merged) {
      const space = key.indexOf(' ');
      const method = key.slice(0, space).toLowerCase();
      const template = key.slice(space + 1);
      const templated = retemplate(group[0].samplePath);
      const parameters: Array<Record<string, unknown>> = templated.parameters.map((p) => ({
        name: p.name,
        in: 'path',
        required: true,
        schema: pathParameterSchema(p.kind),
      }));
      const observations = group.reduce((n, s) => n + s.observations, 0);
      const shapeObservations = group.reduce((n, s) => n + s.shapeObservations, 0);
      const queryParams = new Map<string, ParameterStats>();
      const bodyParams = new Map<string, ParameterStats>();
      const contentTypes = new Set<string>();
      const responses = new Map<number, Set<string>>();
      const auth = new Map<string, AuthScheme>();
      const sensitive = new Set<string>();
      let firstSeen = group[0].firstSeen;
      let lastSeen = group[0].lastSeen;
      for (const stats of group) {
        for (const [pkey, p] of stats.parameters) {
          const name = pkey.slice(pkey.indexOf(':') + 1);
          const target = p.location === 'query' ? queryParams : bodyParams;
          const existing = target.get(name);
          if (existing) {
            for (const t of p.types) existing.types.add(t);
            for (const f of p.formats) existing.formats.add(f);
            existing.seen += p.seen;
          } else {
            target.set(name, { location: p.location, types: new Set(p.types), formats: new Set(p.formats), seen: p.seen });
          }
        }
        for (const t of stats.requestContentTypes) contentTypes.add(t);
        for (const [status, types] of stats.responses) {
          const set = responses.get(status) ?? new Set<string>();
          for (const t of types) set.add(t);
          responses.set(status, set);
        }
        for (const [k, s] of stats.auth) auth.set(k, s);
        for (const s of stats.sensitiveData) sensitive.add(s);
        for (const h of stats.hosts) servers.add(h);
        if (stats.firstSeen < firstSeen) firstSeen = stats.firstSeen;
        if (stats.lastSeen > lastSeen) lastSeen = stats.lastSeen;
      }
      for (const [name, p] of [...queryParams].sort(([a], [b]) => a.localeCompare(b))) {
        parameters.push({ name, in: 'query', required: p.seen === shapeObservations, schema: schemaOf(p) });
      }
      const operation: Record<string, unknown> = {
        operationId: operationId(method, template),
        responses: responsesObject(responses),
        'x-txprevent-observations': observations,
        'x-txprevent-first-seen': new Date(firstSeen).toISOString(),
        'x-txprevent-last-seen': new Date(lastSeen).toISOString(),
      };
      if (parameters.length > 0) operation.parameters = parameters;
      if (bodyParams.size > 0 || contentTypes.size > 0) {
        const properties: Record<string, unknown> = {};
        for (const [name, p] of [...bodyParams].sort(([a], [b]) => a.localeCompare(b))) properties[name] = schemaOf(p);
        const schema = { type: 'object', properties };
        const content: Record<string, unknown> = {};
        for (const type of contentTypes.size > 0 ? [...contentTypes].sort() : ['application/octet-stream']) content[type] = { schema };
        operation.requestBody = { content };
      }
      if (auth.size > 0) {
        operation.security = [...auth.keys()].sort().map((k) => ({ [k]: [] }));
        for (const [k, s] of auth) securitySchemes[k] = s.scheme;
      }
      if (sensitive.size > 0) operation['x-txprevent-sensitive-data'] = [...sensitive].sort();
      paths[template] = { ...(paths[template] ?? {}), [method]: operation };
    }
    const sortedPaths: Record<string, unknown> = {};
    for (const p of Object.keys(paths).sort()) sortedPaths[p] = paths[p];
    return {
      openapi: '3.1.0',
      info: { title: 'Observed API inventory', version: '1', description: 'Built by the TX Prevent Runtime Analyzer from observed traffic.' },
      ...(servers.size > 0 ? { servers: [...servers].sort().map((url) => ({ url })) } : {}),
      paths: sortedPaths,
      ...(Object.keys(securitySchemes).length > 0 ? { components: { securitySchemes } } : {}),
    };
  }
}

function snapshotOf(stats: EndpointStats): EndpointSnapshot {
  return {
    method: stats.method,
    template: stats.template,
    samplePath: stats.samplePath,
    pathParameters: [...stats.pathParameters],
    parameters: [...stats.parameters].map(([key, p]) => ({ key, location: p.location, types: [...p.types], formats: [...p.formats], seen: p.seen })),
    requestContentTypes: [...stats.requestContentTypes],
    responses: [...stats.responses].map(([status, types]) => [status, [...types]] as const),
    auth: [...stats.auth.values()],
    sensitiveData: [...stats.sensitiveData],
    hosts: [...stats.hosts],
    observations: stats.observations,
    shapeObservations: stats.shapeObservations,
    firstSeen: stats.firstSeen,
    lastSeen: stats.lastSeen,
  };
}

function pathParameterSchema(kind: SegmentKind): Record<string, unknown> {
  switch (kind) {
    case 'id':
      return { type: 'integer' };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'email':
      return { type: 'string', format: 'email' };
    default:
      return { type: 'string' };
  }
}

function schemaOf(p: ParameterStats): Record<string, unknown> {
  const types = [...p.types];
  // integer values seen next to decimals are numbers
  const normalized = types.includes('number') ? types.filter((t) => t !== 'integer') : types;
  const schema: Record<string, unknown> = { type: normalized.length === 1 ? normalized[0] : normalized.sort() };
  if (p.formats.size === 1 && normalized.length === 1 && normalized[0] === 'string') schema.format = [...p.formats][0];
  return schema;
}

function responsesObject(responses: Map<number, Set<string>>): Record<string, unknown> {
  if (responses.size === 0) return { default: { description: 'No response observed' } };
  const out: Record<string, unknown> = {};
  for (const [status, types] of [...responses].sort(([a], [b]) => a - b)) {
    const entry: Record<string, unknown> = { description: `Observed ${status}` };
    if (types.size > 0) entry.content = Object.fromEntries([...types].sort().map((t) => [t, {}]));
    out[String(status)] = entry;
  }
  return out;
}

function operationId(method: string, template: string): string {
  const words = template
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_'));
  return [method, ...words].join('_') || method;
}
