/**
 * What `export-nuclei` accepts: an STS template (JSON), a ScanVerdict as the STS sends it, or one
 * line of the analyzer's event stream (a ScanVerdict record, which carries the executed template
 * in `template_json`). A verdict that ran no template says so instead of failing obscurely.
 */
import type { ScanTemplate } from '../template/schema';
import { parseTemplateJson, TemplateError } from '../template/validate';

function verdictStatus(value: Record<string, unknown>): string {
  return String(value.status ?? 'unknown')
    .replace(/^VERDICT_STATUS_/, '')
    .toLowerCase();
}

/** The template an input names; throws TemplateError with one clear line otherwise. */
export function templateFromInput(text: string): ScanTemplate {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new TemplateError('nothing to export: the input is empty (give an STS template, a ScanVerdict or one event line)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (lines.length > 1 && lines.every((line) => line.trim().startsWith('{'))) {
      throw new TemplateError(
        `the input has ${lines.length} JSON lines; give one event line (for example: grep '"scan_id":"<id>"' events.jsonl | tx-prevent-sts export-nuclei -)`,
      );
    }
    throw new TemplateError(`the input is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TemplateError('the input is not a JSON object: give an STS template, a ScanVerdict or one event line');
  const value = parsed as Record<string, unknown>;
  const isVerdict = value.msg_type === 'ScanVerdict' || 'template_json' in value || 'scan_id' in value;
  if (!isVerdict) {
    if (typeof value.msg_type === 'string') throw new TemplateError(`the event is a ${value.msg_type}, not a ScanVerdict: only verdicts carry a template`);
    return parseTemplateJson(text);
  }
  const templateJson = value.template_json;
  if (typeof templateJson !== 'string' || templateJson === '') {
    throw new TemplateError(`the ScanVerdict (status ${verdictStatus(value)}) carries no template: the STS ran none for it, so there is nothing to export`);
  }
  return parseTemplateJson(templateJson);
}
