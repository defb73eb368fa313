import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** A pattern found in the source, as the regex engine will see it. */
export interface SourcePattern {
  /** "path/to/file.ts:line". */
  readonly where: string;
  readonly source: string;
  readonly flags: string;
  /** How it was found: a literal, `new RegExp(...)` evaluated statically, or a Go-syntax `regex:` string. */
  readonly origin: 'literal' | 'RegExp constructor' | 'regex property';
}

/** A regex built from something the source alone does not determine (a parameter, a template's field). */
export interface DynamicPattern {
  readonly file: string;
  readonly line: number;
  /** The construction as written, whitespace collapsed. */
  readonly expression: string;
}

export interface CollectedPatterns {
  readonly files: number;
  readonly patterns: SourcePattern[];
  readonly dynamic: DynamicPattern[];
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Evaluates an expression that only combines constants: string literals, templates (String.raw
 * too), `+`, `[...].join(sep)`, `regex.source`, and `const` names declared in the same file.
 * Undefined when any part depends on something else.
 */
function evaluateConstant(node: ts.Expression, constants: ReadonlyMap<string, ts.Expression>, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  const evaluate = (child: ts.Expression) => evaluateConstant(child, constants, depth + 1);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return evaluate(node.expression);
  if (ts.isRegularExpressionLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const value = evaluate(span.expression);
      if (value === undefined) return undefined;
      text += value + span.literal.text;
    }
    return text;
  }
  if (ts.isTaggedTemplateExpression(node) && node.tag.getText() === 'String.raw') {
    const template = node.template;
    if (ts.isNoSubstitutionTemplateLiteral(template)) return template.rawText;
    let text = template.head.rawText ?? '';
    for (const span of template.templateSpans) {
      const value = evaluate(span.expression);
      if (value === undefined) return undefined;
      text += value + (span.literal.rawText ?? '');
    }
    return text;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = evaluate(node.left);
    const right = evaluate(node.right);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (ts.isIdentifier(node)) {
    const initializer = constants.get(node.text);
    return initializer ? evaluate(initializer) : undefined;
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'source') {
    const target = ts.isIdentifier(node.expression) ? constants.get(node.expression.text) : node.expression;
    if (target && ts.isRegularExpressionLiteral(target)) {
      const literal = target.text;
      return literal.slice(1, literal.lastIndexOf('/'));
    }
    return undefined;
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join') {
    const list = ts.isIdentifier(node.expression.expression) ? constants.get(node.expression.expression.text) : node.expression.expression;
    const separatorNode = node.arguments[0];
    const separator = separatorNode ? evaluate(separatorNode) : ',';
    if (!list || !ts.isArrayLiteralExpression(list) || separator === undefined) return undefined;
    const items = list.elements.map((element) => evaluate(element));
    return items.every((item) => item !== undefined) ? items.join(separator) : undefined;
  }
  return undefined;
}

/** Flags of a regex literal's text ("/a+/gi" → "gi"). */
function literalParts(text: string): { source: string; flags: string } {
  const end = text.lastIndexOf('/');
  return { source: text.slice(1, end), flags: text.slice(end + 1) };
}

/**
 * A Go-syntax pattern as JavaScript reads it: its leading inline flags (`(?im)`) become flags. The
 * STS runs these with a linear-time engine, but the same sources also run in JavaScript (the
 * shared secret patterns), so they are checked as JavaScript runs them.
 */
function goAsJavaScript(pattern: string): { source: string; flags: string } {
  const inline = /^\(\?([ims]+)\)/.exec(pattern);
  return inline ? { source: pattern.slice(inline[0].length), flags: [...new Set(inline[1])].join('') } : { source: pattern, flags: '' };
}

/**
 * Every regular expression in the TypeScript sources under `directories`: regex literals, `new
 * RegExp(...)` / `RegExp(...)` whose arguments are constants, and Go-syntax pattern strings in
 * `regex:` properties (scan templates and the shared secret patterns). Constructions that cannot
 * be evaluated from the source are returned as `dynamic`, for review.
 */
export function collectPatterns(directories: readonly string[]): CollectedPatterns {
  const files = directories.flatMap((directory) => typeScriptFiles(join(REPOSITORY_ROOT, directory)));
  const patterns: SourcePattern[] = [];
  const dynamic: DynamicPattern[] = [];
  for (const file of files) {
    const name = relative(REPOSITORY_ROOT, file);
    const sourceFile = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const constants = new Map<string, ts.Expression>();
    const collectConstants = (node: ts.Node): void => {
      if (ts.isVariableDeclarationList(node) && node.flags & ts.NodeFlags.Const) {
        for (const declaration of node.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.initializer) constants.set(declaration.name.text, declaration.initializer);
        }
      }
      ts.forEachChild(node, collectConstants);
    };
    collectConstants(sourceFile);
    const lineOf = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        patterns.push({ where: `${name}:${lineOf(node)}`, ...literalParts(node.text), origin: 'literal' });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [patternArgument, flagsArgument] = node.arguments ?? [];
        const source = patternArgument ? evaluateConstant(patternArgument, constants) : undefined;
        const flags = flagsArgument ? evaluateConstant(flagsArgument, constants) : '';
        if (source === undefined || flags === undefined)
          dynamic.push({ file: name, line: lineOf(node), expression: node.getText(sourceFile).replace(/\s+/g, ' ') });
        else patterns.push({ where: `${name}:${lineOf(node)}`, source, flags, origin: 'RegExp constructor' });
      } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'regex') {
        const values = ts.isArrayLiteralExpression(node.initializer) ? [...node.initializer.elements] : [node.initializer];
        for (const value of values) {
          if (ts.isRegularExpressionLiteral(value)) continue; // a literal: collected as one
          const text = evaluateConstant(value, constants);
          if (text === undefined) {
            // A string property named regex that is not a constant (a probe's canary is spliced in).
            if (ts.isTemplateExpression(value) || ts.isStringLiteral(value))
              dynamic.push({ file: name, line: lineOf(value), expression: value.getText(sourceFile).replace(/\s+/g, ' ') });
            continue;
          }
          patterns.push({ where: `${name}:${lineOf(value)}`, ...goAsJavaScript(text), origin: 'regex property' });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return { files: files.length, patterns, dynamic };
}
