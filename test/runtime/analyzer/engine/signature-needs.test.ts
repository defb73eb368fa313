/**
 * The literal gates in front of the response signatures: a body's index (../text-index) rules a
 * signature out when, for every alternative of its `needs`, some literal does not occur, and one
 * prefilter regex rules a whole family out. A gate that asks for a literal a match can lack hides
 * real findings without a sign, so each is checked against the signature it guards: every string
 * the signature matches (generated from each of its top-level alternatives, in random text) must
 * hold every literal of one alternative of the needs, and pass the family's prefilter.
 */
import fc from 'fast-check';
import { ERROR_FAMILIES, FILE_SIGNATURES, OUTCOME_PREFILTER, type OutcomeSignature } from '@/runtime/analyzer/engine/outcome/outcome-signatures';
import {
  DEBUG_PAGES,
  SQL_ERROR_PREFILTER,
  SQL_ERROR_PREFILTER_NEEDS,
  SQL_ERRORS,
  TRACE_OR_DEBUG_PREFILTER,
  TRACE_OR_DEBUG_PREFILTER_NEEDS,
} from '@/runtime/analyzer/engine/response-patterns';
import { SECRET_FIELD_PREFILTER, SECRET_FIELD_PREFILTER_NEEDS, SECRET_MARKERS } from '@/runtime/analyzer/engine/sensitive-data';
import type { LiteralNeeds } from '@/runtime/analyzer/engine/text-index';

const RUNS = 60;

/** Digits read as `0`, as the index holds the text and looks literals up. */
function folded(text: string): string {
  return text.replace(/[0-9]/g, '0');
}

/** Whether every literal of one alternative occurs in `lower` (exactly: the index can only answer "maybe" more often). */
function satisfies(needs: LiteralNeeds, lower: string): boolean {
  const text = folded(lower);
  return needs.some((all) => all.every((literal) => text.includes(folded(literal))));
}

/** The top-level alternatives of a regex source (split at `|` outside groups and classes). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/**
 * Texts that `pattern` matches through `alternative`, inside random text; `read` is what the
 * analyzer matches (the lower-cased body for lower-case signatures). fast-check cannot generate
 * `\b`, so it is left out of the generator and the original pattern keeps only the texts it matches.
 */
function matchesOf(pattern: RegExp, alternative: string, read: (text: string) => string): fc.Arbitrary<string> {
  const generator = new RegExp(alternative.replace(/((?:^|[^\\])(?:\\\\)*)\\b/g, '$1'));
  return fc
    .tuple(fc.string({ maxLength: 12 }), fc.stringMatching(generator), fc.string({ maxLength: 12 }))
    .map((parts) => read(parts.join('')))
    .filter((text) => pattern.test(text));
}

const lowerCased = (text: string) => text.toLowerCase();

/** Asserts that every match of each alternative of `pattern` satisfies `gate` (read as the analyzer reads the body). */
function everyMatch(pattern: RegExp, gate: (text: string) => boolean, read: (text: string) => string = lowerCased): void {
  for (const alternative of alternatives(pattern.source)) {
    fc.assert(
      fc.property(matchesOf(pattern, alternative, read), (text) => gate(text)),
      { numRuns: RUNS },
    );
  }
}

const OUTCOME_SIGNATURES: readonly OutcomeSignature[] = [...FILE_SIGNATURES, ...ERROR_FAMILIES.flatMap((family) => family.signatures)];

describe('the generator of matches', () => {
  it('splits a pattern into its top-level alternatives only', () => {
    expect(alternatives(String.raw`a(?:b|c)|[|x]d|e\|f`)).toEqual(['a(?:b|c)', '[|x]d', String.raw`e\|f`]);
  });

  it('finds a needs list that a match can lack', () => {
    const postgres = SQL_ERRORS.find((s) => s.name === 'PostgreSQL')!;
    expect(() => everyMatch(postgres.pattern, (text) => satisfies([...postgres.needs.slice(1)], text))).toThrow(/Property failed/);
  });
});

describe('literal needs of the response signatures', () => {
  it.each(SQL_ERRORS.map((s) => [s.name, s] as const))('%s: every match holds the literals of one alternative of its needs', (_name, signature) => {
    everyMatch(signature.pattern, (text) => satisfies(signature.needs, text));
  });

  it.each(OUTCOME_SIGNATURES.map((s) => [s.kind, s] as const))(
    'outcome %s: every match holds the literals of one alternative of its needs',
    (_kind, signature) => {
      everyMatch(signature.pattern, (text) => satisfies(signature.needs, text));
    },
  );

  it('secret markers: every match holds the marker literal (the markers match the body as it is, the index holds it lower-cased)', () => {
    for (const marker of SECRET_MARKERS)
      everyMatch(
        marker.pattern,
        (text) => folded(text.toLowerCase()).includes(folded(marker.needs)),
        (text) => text,
      );
  });
});

describe('the prefilters in front of whole families', () => {
  it('SQL_ERROR_PREFILTER_NEEDS holds for every text SQL_ERROR_PREFILTER matches', () => {
    everyMatch(SQL_ERROR_PREFILTER, (text) => satisfies(SQL_ERROR_PREFILTER_NEEDS, text));
  });

  it('every database error signature passes SQL_ERROR_PREFILTER and its needs', () => {
    for (const signature of SQL_ERRORS) {
      everyMatch(signature.pattern, (text) => SQL_ERROR_PREFILTER.test(text) && satisfies(SQL_ERROR_PREFILTER_NEEDS, text));
    }
  });

  it('SECRET_FIELD_PREFILTER_NEEDS holds for every text SECRET_FIELD_PREFILTER matches', () => {
    everyMatch(SECRET_FIELD_PREFILTER, (text) => satisfies(SECRET_FIELD_PREFILTER_NEEDS, text));
  });

  it('TRACE_OR_DEBUG_PREFILTER_NEEDS holds for every text TRACE_OR_DEBUG_PREFILTER matches, and every debug page passes both', () => {
    everyMatch(TRACE_OR_DEBUG_PREFILTER, (text) => satisfies(TRACE_OR_DEBUG_PREFILTER_NEEDS, text));
    for (const page of DEBUG_PAGES) everyMatch(page.pattern, (text) => TRACE_OR_DEBUG_PREFILTER.test(text) && satisfies(TRACE_OR_DEBUG_PREFILTER_NEEDS, text));
  });

  it('every outcome signature passes OUTCOME_PREFILTER', () => {
    for (const signature of OUTCOME_SIGNATURES) everyMatch(signature.pattern, (text) => OUTCOME_PREFILTER.test(text));
  });
});

describe('database errors as servers print them', () => {
  const EXAMPLES: readonly (readonly [string, string])[] = [
    [
      'MySQL',
      "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''1''' at line 1",
    ],
    ['MySQL', "Unknown column '1' in 'where clause'"],
    ['MySQL', 'Warning: mysql_fetch_array() expects parameter 1 to be resource, boolean given in /var/www/item.php on line 12'],
    ['PostgreSQL', 'org.postgresql.util.PSQLException: ERROR: syntax error at or near "\'"'],
    ['PostgreSQL', 'ERROR:  invalid input syntax for type integer: "1\'"'],
    ['Microsoft SQL Server', "Unclosed quotation mark after the character string ''."],
    ['Microsoft SQL Server', "System.Data.SqlClient.SqlException (0x80131904): Incorrect syntax near 'abc'."],
    // Errors that name no database product: the prefilters once let them through to no signature
    ['Microsoft SQL Server', "Incorrect syntax near the keyword 'OR'."],
    ['Oracle', 'Warning: oci_execute() expects parameter 1 to be resource'],
    ['generic SQL', 'QuerySyntaxException: unexpected token: OR near line 1, column 42'],
    ['Oracle', 'ORA-01756: quoted string not properly terminated'],
    ['Oracle', 'java.sql.SQLSyntaxErrorException: ORA-00933: SQL command not properly ended'],
    ['SQLite', 'SQLite3::SQLException: near "\'": syntax error'],
    ['SQLite', 'sqlite3.OperationalError: unrecognized token: "\'"'],
    ['generic SQL', 'SQLSTATE[42000]: Syntax error or access violation: 1064 You have an error in your SQL syntax'],
    ['generic SQL', 'Microsoft JET Database Engine error 80040e14: Syntax error in query expression'],
  ];

  it.each(EXAMPLES)('%s: %s', (name, message) => {
    const signature = SQL_ERRORS.find((s) => s.name === name)!;
    const lower = message.toLowerCase();
    expect(signature.pattern.test(lower)).toBe(true);
    expect(satisfies(signature.needs, lower)).toBe(true);
    expect(SQL_ERROR_PREFILTER.test(lower) && satisfies(SQL_ERROR_PREFILTER_NEEDS, lower)).toBe(true);
  });

  it('in any page around them', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...EXAMPLES), fc.string(), (before, [name, message], after) => {
        const signature = SQL_ERRORS.find((s) => s.name === name)!;
        const lower = `${before}${message}${after}`.toLowerCase();
        expect(satisfies(signature.needs, lower) && satisfies(SQL_ERROR_PREFILTER_NEEDS, lower) && SQL_ERROR_PREFILTER.test(lower)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
