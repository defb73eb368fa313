import type { CommandSpec } from './command-spec';

const WIDTH = 100;
const MAX_LEFT = 30;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** Two columns: the left one padded to a common width, the right one wrapped. */
function table(rows: readonly (readonly [string, string])[]): string {
  const left = Math.min(MAX_LEFT, Math.max(...rows.map(([name]) => name.length)));
  const indent = ' '.repeat(2 + left + 2);
  const out: string[] = [];
  for (const [name, text] of rows) {
    const wrapped = wrap(text, WIDTH - indent.length);
    if (name.length > left) out.push(`  ${name}`, ...wrapped.map((l) => `${indent}${l}`));
    else out.push(`  ${name.padEnd(left)}  ${wrapped[0]}`, ...wrapped.slice(1).map((l) => `${indent}${l}`));
  }
  return out.join('\n');
}

/**
 * `--help` for every CLI, in one layout: the usage lines, the description, the commands, the
 * options table (-h/--help last), then any further sections such as settings and exit codes.
 */
export function renderHelp(spec: CommandSpec): string {
  const parts: string[] = [];
  parts.push(spec.usage.map((usage, index) => `${index === 0 ? 'Usage: ' : '       '}${spec.name}${usage ? ` ${usage}` : ''}`).join('\n'));
  parts.push(
    spec.description
      .split(/\n\s*\n/)
      .map((paragraph) => wrap(paragraph, WIDTH).join('\n'))
      .join('\n\n'),
  );
  if (spec.commands) parts.push(`Commands:\n${table(Object.entries(spec.commands))}`);
  const options: [string, string][] = Object.entries(spec.options).map(([name, option]) => [
    `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`,
    option.description,
  ]);
  options.push(['-h, --help', 'Show this help and exit.']);
  parts.push(`Options:\n${table(options)}`);
  for (const section of spec.sections ?? []) parts.push(`${section.title}:\n${withoutTrailingNewlines(section.body)}`);
  return `${parts.join('\n\n')}\n`;
}

/** The text without its final line feeds (a loop: `/\n+$/` backtracks on long runs of them). */
function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return text.slice(0, end);
}

/** The "Exit codes" section every CLI shows, in one wording. */
export function exitCodesSection(meanings: { readonly ok: string; readonly failure: string; readonly input: string }): { title: string; body: string } {
  return {
    title: 'Exit codes',
    body: table([
      ['0', meanings.ok],
      ['1', meanings.failure],
      ['2', meanings.input],
    ]),
  };
}
