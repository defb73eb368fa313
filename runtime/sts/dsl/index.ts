/**
 * The subset of Nuclei's matcher DSL that STS templates use, parsed and evaluated here so that
 * our executor decides exactly as Nuclei would on the exported template.
 *
 * Grammar: `||`, `&&`, `!`, comparisons (== != < <= > >=), + - * /, parentheses, numbers,
 * single- or double-quoted strings without backslashes (they mean different things in Go and
 * JavaScript, so templates avoid them), identifiers (response variables such as body_2,
 * status_code_1, duration_3, header_1) and calls to contains, regex, len, tolower.
 */
import type { ErrorCode } from '../../errors';
import { GoRegex } from '../go-regex';
export type DslValue = string | number | boolean;
export type DslVariables = Readonly<Record<string, DslValue>>;

type Node =
  | { kind: 'literal'; value: DslValue }
  | { kind: 'variable'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'unary'; op: '!' | '-'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node };

export class DslError extends Error {
  readonly code = 'TXP_STS_DSL_INVALID' satisfies ErrorCode;
}

const FUNCTIONS: Record<string, number> = { contains: 2, regex: 2, len: 1, tolower: 1 };

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?)|('[^'\\]*'|"[^"\\]*")|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>!()+\-*/,]))/y;
  let position = 0;
  while (position < source.length) {
    if (/^\s*$/.test(source.slice(position))) break;
    pattern.lastIndex = position;
    const match = pattern.exec(source);
    if (!match) throw new DslError(`DSL expression "${source}": cannot read at character ${position + 1} (strings must not contain backslashes)`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
    position = pattern.lastIndex;
  }
  return tokens;
}

/** Parses one expression; throws DslError naming the problem. */
export function parseDsl(source: string): Node {
  const tokens = tokenize(source);
  let i = 0;
  const fail = (what: string): never => {
    throw new DslError(`DSL expression "${source}": ${what}`);
  };
  const peek = () => tokens[i];
  const expect = (token: string) => (tokens[i] === token ? i++ : fail(`expected "${token}" but found "${tokens[i] ?? 'end'}"`));

  function primary(): Node {
    const token = tokens[i++];
    if (token === undefined) return fail('unexpected end');
    if (token === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token === '!' || token === '-') return { kind: 'unary', op: token, operand: primary() };
    if (/^\d/.test(token)) return { kind: 'literal', value: Number(token) };
    if (token.startsWith("'") || token.startsWith('"')) return { kind: 'literal', value: token.slice(1, -1) };
    if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() !== '(') return { kind: 'variable', name: token };
      if (!(token in FUNCTIONS)) return fail(`unknown function ${token}(); supported: ${Object.keys(FUNCTIONS).join(', ')}`);
      i++;
      const args: Node[] = [];
      if (peek() !== ')') {
        args.push(or());
        while (peek() === ',') {
          i++;
          args.push(or());
        }
      }
      expect(')');
      if (args.length !== FUNCTIONS[token]) fail(`${token}() takes ${FUNCTIONS[token]} argument(s), got ${args.length}`);
      const pattern = args[0];
      if (token === 'regex' && pattern?.kind === 'literal') {
        try {
          GoRegex.compile(String(pattern.value));
        } catch (error) {
          fail(`regex() pattern ${JSON.stringify(pattern.value)} is not a valid regular expression: ${(error as Error).message}`);
        }
      }
      return { kind: 'call', name: token, args };
    }
    return fail(`unexpected "${token}"`);
  }
  function level(next: () => Node, ops: string[]): () => Node {
    return () => {
      let left = next();
      while (ops.includes(peek())) {
        const op = tokens[i++];
        left = { kind: 'binary', op, left, right: next() };
      }
      return left;
    };
  }
  const product = level(primary, ['*', '/']);
  const sum = level(product, ['+', '-']);
  const comparison = level(sum, ['==', '!=', '<', '<=', '>', '>=']);
  const and = level(comparison, ['&&']);
  const or = level(and, ['||']);
  const tree = or();
  if (i !== tokens.length) fail(`unexpected "${tokens[i]}"`);
  return tree;
}

/** The value of an expression over responses that have not arrived yet. */
export const UNKNOWN = Symbol('unknown');
type Value = DslValue | typeof UNKNOWN;

function evaluate(node: Node, variables: DslVariables, partial: boolean): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'variable':
      if (node.name in variables) return variables[node.name];
      if (partial) return UNKNOWN;
      throw new DslError(`DSL variable ${node.name} is not defined for this probe`);
    case 'unary': {
      const value = evaluate(node.operand, variables, partial);
      if (value === UNKNOWN) return UNKNOWN;
      return node.op === '!' ? !value : -Number(value);
    }
    case 'call': {
      const args = node.args.map((a) => evaluate(a, variables, partial));
      if (args.includes(UNKNOWN)) return UNKNOWN;
      if (node.name === 'contains') return String(args[0]).includes(String(args[1]));
      if (node.name === 'regex') return GoRegex.compile(String(args[0])).test(String(args[1]));
      if (node.name === 'len') return String(args[0]).length;
      return String(args[0]).toLowerCase();
    }
    case 'binary': {
      // Kleene logic: a false operand decides &&, a true one decides ||, even if the other is unknown.
      if (node.op === '&&' || node.op === '||') {
        const decisive = node.op === '||';
        const left = evaluate(node.left, variables, partial);
        if (left !== UNKNOWN && Boolean(left) === decisive) return decisive;
        const right = evaluate(node.right, variables, partial);
        if (right !== UNKNOWN && Boolean(right) === decisive) return decisive;
        return left === UNKNOWN || right === UNKNOWN ? UNKNOWN : !decisive;
      }
      const left = evaluate(node.left, variables, partial);
      const right = evaluate(node.right, variables, partial);
      if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
      switch (node.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '<':
          return Number(left) < Number(right);
        case '<=':
          return Number(left) <= Number(right);
        case '>':
          return Number(left) > Number(right);
        case '>=':
          return Number(left) >= Number(right);
        case '+':
          return typeof left === 'string' || typeof right === 'string' ? `${left}${right}` : Number(left) + Number(right);
        case '-':
          return Number(left) - Number(right);
        case '*':
          return Number(left) * Number(right);
        default:
          return Number(left) / Number(right);
      }
    }
  }
}

/** Evaluates an expression to a boolean. */
export function evaluateDsl(source: string, variables: DslVariables): boolean {
  return Boolean(evaluate(parseDsl(source), variables, false));
}

/**
 * Evaluates with some responses still missing: true or false when the missing ones cannot change
 * the result, UNKNOWN otherwise. Lets a scan stop as soon as its outcome is certain.
 */
export function evaluateDslPartial(source: string, variables: DslVariables): boolean | typeof UNKNOWN {
  const value = evaluate(parseDsl(source), variables, true);
  return value === UNKNOWN ? UNKNOWN : Boolean(value);
}

/** Quotes a string for a DSL expression; refuses what the subset cannot carry. */
export function dslString(value: string): string {
  if (value.includes('\\')) throw new DslError(`cannot put "${value}" in a DSL string: backslashes are not portable between Go and JavaScript`);
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new DslError(`cannot put "${value}" in a DSL string: it contains both quote characters`);
}
