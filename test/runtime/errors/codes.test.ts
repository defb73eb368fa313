import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '@/runtime/config';
import { UsageError } from '@/runtime/cli';
import { ERROR_CODES, errorCode, exitStatusFor } from '@/runtime/errors';
import { TemplateError } from '@/runtime/sts/template/validate';

const ROOT = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every error class declared in production code, with the code its body declares (if any). */
function errorClasses(): { name: string; file: string; code: string | undefined }[] {
  return ['runtime', 'sensor', 'lib', 'bin', 'tools'].flatMap(sourceFiles).flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return [...text.matchAll(/class (\w*Error) extends \w+ \{(\}|[\s\S]*?\n\})/g)].map((match) => ({
      name: match[1]!,
      file: relative(ROOT, join(ROOT, file)),
      code: /readonly code = '(\w+)' satisfies ErrorCode/.exec(match[2]!)?.[1],
    }));
  });
}

describe('error codes', () => {
  const classes = errorClasses();

  it('finds the error classes (the scan itself works)', () => {
    expect(classes.map((c) => c.name)).toEqual(expect.arrayContaining(['ConfigError', 'UsageError', 'TemplateError', 'CaptureError', 'DeployPolicyError']));
  });

  it('gives every error class a code from runtime/errors, and each class its own', () => {
    const missing = classes.filter((c) => c.code === undefined || !(c.code in ERROR_CODES)).map((c) => `${c.file}: ${c.name} (${c.code ?? 'no code'})`);
    expect(missing).toEqual([]);
    const byCode = new Map<string, string[]>();
    for (const c of classes) byCode.set(c.code!, [...(byCode.get(c.code!) ?? []), `${c.file}: ${c.name}`]);
    expect([...byCode].filter(([, owners]) => owners.length > 1)).toEqual([]);
  });

  it('has one ConfigError and one UsageError in the project', () => {
    expect(classes.filter((c) => c.name === 'ConfigError').map((c) => c.file)).toEqual(['runtime/config/load.ts']);
    expect(classes.filter((c) => c.name === 'UsageError').map((c) => c.file)).toEqual(['runtime/cli/usage-error.ts']);
  });

  it('uses every code it defines (TXP_INTERNAL stands for errors without one)', () => {
    const used = new Set(classes.map((c) => c.code));
    expect(Object.keys(ERROR_CODES).filter((code) => code !== 'TXP_INTERNAL' && !used.has(code))).toEqual([]);
  });

  it('names codes TXP_UPPER_CASE with a one-line meaning', () => {
    for (const [code, definition] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^TXP_[A-Z]+(_[A-Z]+)*$/);
      expect(definition.meaning).not.toContain('\n');
      expect(definition.meaning.length).toBeGreaterThan(20);
    }
  });

  it('reads the code and the exit status from an error', () => {
    expect(errorCode(new ConfigError(['X: bad']))).toBe('TXP_CONFIG_INVALID');
    expect(new ConfigError(['X: bad']).code).toBe('TXP_CONFIG_INVALID');
    expect(errorCode(new TemplateError('bad'))).toBe('TXP_STS_TEMPLATE_INVALID');
    expect(errorCode(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe('TXP_INTERNAL');
    expect(errorCode('a string')).toBe('TXP_INTERNAL');
    expect(exitStatusFor(new UsageError('x'))).toBe(2);
    expect(exitStatusFor(new Error('x'))).toBe(1);
  });
});
