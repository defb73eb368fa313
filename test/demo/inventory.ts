/** The analyzer's OpenAPI inventory, flattened to one entry per operation for the report. */
import type { OpenApiDocument, OpenApiParameter } from './analyzer-http';

export interface InventoryParameter {
  readonly name: string;
  /** "path", "query" or the request content type of a body field. */
  readonly location: string;
  readonly type: string;
  readonly required: boolean;
}

export interface InventoryEntry {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly InventoryParameter[];
  readonly statuses: readonly string[];
  readonly observations: number;
  readonly sensitiveData: readonly string[];
}

function typeName(type: string | readonly string[] | undefined, format?: string): string {
  const base = type === undefined ? 'any' : typeof type === 'string' ? type : type.join('|');
  return format ? `${base}(${format})` : base;
}

function parameter(p: OpenApiParameter): InventoryParameter {
  return { name: p.name, location: p.in, type: typeName(p.schema?.type, p.schema?.format), required: p.required === true };
}

export function summariseInventory(doc: OpenApiDocument): InventoryEntry[] {
  const out: InventoryEntry[] = [];
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(operations)) {
      const parameters = (op.parameters ?? []).map(parameter);
      for (const [contentType, media] of Object.entries(op.requestBody?.content ?? {})) {
        for (const [name, schema] of Object.entries(media.schema?.properties ?? {})) {
          parameters.push({ name, location: contentType, type: typeName(schema.type), required: false });
        }
      }
      out.push({
        method: method.toUpperCase(),
        path,
        parameters,
        statuses: Object.keys(op.responses ?? {}),
        observations: op['x-txprevent-observations'] ?? 0,
        sensitiveData: op['x-txprevent-sensitive-data'] ?? [],
      });
    }
  }
  return out;
}
