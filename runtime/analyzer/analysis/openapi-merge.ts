/**
 * One OpenAPI document from the inventories of several analysis workers. Each worker sees its own
 * hosts, so the same template and method can come from more than one of them (two hosts serving
 * `/health`): such operations are merged as one inventory would have merged them — observations
 * added, first/last seen widened, parameters, responses, content types, security and sensitive
 * data kinds united (a parameter stays required only if every worker saw it on every request).
 */
type Doc = Record<string, unknown>;
type Operation = Record<string, unknown>;
type ParameterDoc = { name: string; in: string; required?: boolean; schema?: Record<string, unknown> };

const OBSERVATIONS = 'x-txprevent-observations';
const FIRST_SEEN = 'x-txprevent-first-seen';
const LAST_SEEN = 'x-txprevent-last-seen';
const SENSITIVE = 'x-txprevent-sensitive-data';

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]!]),
  );
}

function unitedSchema(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!a || !b) return a ?? b;
  const types = [...new Set([a.type, b.type].flat().filter((t): t is string => typeof t === 'string'))];
  const normalized = types.includes('number') ? types.filter((t) => t !== 'integer') : types;
  const schema: Record<string, unknown> = { type: normalized.length === 1 ? normalized[0] : normalized.sort() };
  if (a.format !== undefined && a.format === b.format && schema.type === 'string') schema.format = a.format;
  return schema;
}

function mergeParameters(a: readonly ParameterDoc[] = [], b: readonly ParameterDoc[] = []): ParameterDoc[] {
  const byKey = new Map<string, ParameterDoc>();
  for (const p of a) byKey.set(`${p.in}:${p.name}`, p);
  for (const p of b) {
    const key = `${p.in}:${p.name}`;
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, { ...p, required: p.in === 'path' ? p.required : false });
    else byKey.set(key, { ...existing, required: Boolean(existing.required && p.required), schema: unitedSchema(existing.schema, p.schema) });
  }
  // Query parameters only one side saw are not seen on every request any more.
  for (const p of a) if (p.in !== 'path' && !b.some((q) => q.in === p.in && q.name === p.name)) byKey.set(`${p.in}:${p.name}`, { ...p, required: false });
  const path = [...byKey.values()].filter((p) => p.in === 'path');
  const rest = [...byKey.values()].filter((p) => p.in !== 'path').sort((x, y) => x.name.localeCompare(y.name));
  return [...path, ...rest];
}

function mergeContent(a: Record<string, { schema?: { properties?: Record<string, unknown> } }> = {}, b: typeof a = {}): typeof a {
  const out: typeof a = {};
  for (const type of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const properties: Record<string, Record<string, unknown>> = {};
    for (const side of [a[type], b[type]]) {
      for (const [name, schema] of Object.entries(side?.schema?.properties ?? {}))
        properties[name] = unitedSchema(properties[name], schema as Record<string, unknown>)!;
    }
    out[type] = { schema: { type: 'object', properties: sortedKeys(properties) } } as (typeof a)[string];
  }
  return sortedKeys(out);
}

function mergeOperations(a: Operation, b: Operation): Operation {
  const merged: Operation = { ...a };
  merged[OBSERVATIONS] = Number(a[OBSERVATIONS] ?? 0) + Number(b[OBSERVATIONS] ?? 0);
  merged[FIRST_SEEN] = [a[FIRST_SEEN], b[FIRST_SEEN]].filter(Boolean).sort()[0];
  merged[LAST_SEEN] = [a[LAST_SEEN], b[LAST_SEEN]].filter(Boolean).sort().at(-1);
  const parameters = mergeParameters(a.parameters as ParameterDoc[] | undefined, b.parameters as ParameterDoc[] | undefined);
  if (parameters.length > 0) merged.parameters = parameters;
  const responses: Record<string, { description: string; content?: Record<string, unknown> }> = {};
  for (const side of [a.responses, b.responses] as Array<typeof responses | undefined>) {
    for (const [status, entry] of Object.entries(side ?? {})) {
      if (status === 'default') continue;
      const content = { ...(responses[status]?.content ?? {}), ...(entry.content ?? {}) };
      responses[status] = { description: entry.description, ...(Object.keys(content).length > 0 ? { content: sortedKeys(content) } : {}) };
    }
  }
  merged.responses =
    Object.keys(responses).length > 0
      ? Object.fromEntries(
          Object.keys(responses)
            .sort((x, y) => Number(x) - Number(y))
            .map((s) => [s, responses[s]]),
        )
      : (a.responses ?? b.responses);
  const bodyA = (a.requestBody as { content?: Parameters<typeof mergeContent>[0] } | undefined)?.content;
  const bodyB = (b.requestBody as { content?: Parameters<typeof mergeContent>[0] } | undefined)?.content;
  if (bodyA || bodyB) merged.requestBody = { content: mergeContent(bodyA, bodyB) };
  const security = new Set(
    [...((a.security as Array<Record<string, unknown>>) ?? []), ...((b.security as Array<Record<string, unknown>>) ?? [])].map((s) => Object.keys(s)[0]!),
  );
  if (security.size > 0) merged.security = [...security].sort().map((k) => ({ [k]: [] }));
  const sensitive = new Set([...((a[SENSITIVE] as string[]) ?? []), ...((b[SENSITIVE] as string[]) ?? [])]);
  if (sensitive.size > 0) merged[SENSITIVE] = [...sensitive].sort();
  return merged;
}

export function mergeOpenApi(docs: readonly Doc[]): Doc {
  if (docs.length === 1) return docs[0]!;
  const paths: Record<string, Record<string, Operation>> = {};
  const servers = new Set<string>();
  const schemes: Record<string, unknown> = {};
  for (const doc of docs) {
    for (const server of (doc.servers as Array<{ url: string }> | undefined) ?? []) servers.add(server.url);
    Object.assign(schemes, (doc.components as { securitySchemes?: Record<string, unknown> } | undefined)?.securitySchemes ?? {});
    for (const [template, item] of Object.entries((doc.paths as Record<string, Record<string, Operation>>) ?? {})) {
      const target = (paths[template] ??= {});
      for (const [method, operation] of Object.entries(item)) target[method] = target[method] ? mergeOperations(target[method], operation) : operation;
    }
  }
  const first = docs[0] ?? {};
  return {
    openapi: first.openapi ?? '3.1.0',
    info: first.info,
    ...(servers.size > 0 ? { servers: [...servers].sort().map((url) => ({ url })) } : {}),
    paths: sortedKeys(paths),
    ...(Object.keys(schemes).length > 0 ? { components: { securitySchemes: sortedKeys(schemes) } } : {}),
  };
}
