/**
 * A Jupyter server's contents API saving a notebook or a text file (`PUT /api/contents/<path>`):
 * its cells and files are code the user runs on their own kernel by design, and the outputs that
 * code printed. Read as values they are shell, SQL and HTML every time (blind set Q's notebook
 * saves); an application other than Jupyter reads its own fields, which stay read.
 */
import type { Parameter, RequestView } from '../../message-view';

/** Everything inside a notebook's cells: sources, outputs (text, HTML, JavaScript a kernel rendered) and cell metadata. */
const NOTEBOOK_CELL = /^(?:content\.)?cells\[\]\./;
const NOTEBOOK_FORMAT = /^(?:content\.)?nbformat$/;
const CONTENTS_API = /\/api\/contents\//;

/** The body fields of a notebook or text-file save that hold its code, or undefined for any other request. */
export function notebookCode(request: RequestView): ((p: Parameter) => boolean) | undefined {
  const params = request.bodyParams;
  if (params.some((p) => p.jsonType === 'number' && NOTEBOOK_FORMAT.test(p.name))) return (p) => NOTEBOOK_CELL.test(p.name);
  if (!CONTENTS_API.test(request.rawPath)) return undefined;
  const field = (name: string): string | undefined => params.find((p) => p.name === name && p.jsonType === 'string')?.value;
  if (field('type') === 'file' && field('format') === 'text') return (p) => p.name === 'content';
  return undefined;
}
