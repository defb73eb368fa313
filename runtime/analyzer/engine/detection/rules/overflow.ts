/**
 * Memory-corruption probes: what fuzzers and exploit scripts send at native code behind a web
 * front (CGI programs, ISAPI filters, embedded servers). A printf-style format string read as the
 * format (`%08x.%08x.%n` dumps the stack, then writes through it), and a value that is mostly one
 * byte repeated hundreds of times (`AAAA…`: a buffer overflow's padding). Neither is input a person
 * or an application writes.
 */
import type { RulePack } from '../types';
import type { InspectedValue } from '../value';
import { classRule } from './class-rule';

const rule = classRule('ProtocolAnomaly');

export const FORMAT_STRING = rule(
  960129,
  'ProtocolAnomaly: printf format string of three conversions or more in a row (%08x.%08x.%n, %s%x%s%x: a stack read or write in native code)',
  'critical',
  'high',
  75,
);
export const REPEATED_BYTE_RUN = rule(
  960130,
  'ProtocolAnomaly: value that is mostly one character other than whitespace repeated 512 times or more (AAAA…: buffer overflow padding)',
  'critical',
  'high',
  70,
);

/**
 * Three printf conversions in a row, at most one punctuation character apart. A `%d` has no width
 * or one of two digits or more: `%7d` and `%0d` are also a percent-escape (`}}}` encoded is
 * `%7d%7d%7d`).
 */
const FORMAT_CONVERSIONS = /(?:%(?:\d{1,3}\$)?(?:[-+ #0]{0,3}\d{0,4}(?:\.\d{1,3})?(?:hh|h|ll|l)?[sxnp]|(?:\d{2,4}|\.\d{1,3})?(?:hh|h|ll|l)?d)[^\w%\s]?){3}/i;
/** Shortest run that reads as padding (it must also be half the value or more). */
const MIN_RUN = 512;
/** Documents (a whole body, an uploaded file) have rules of `====` and blank padding of their own. */
const DOCUMENT_LOCATIONS: ReadonlySet<string> = new Set(['body', 'xml_document', 'upload']);

/** The longest run of one character other than whitespace in the text (one pass): fixed-width records pad with spaces. */
function longestRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 32) run = 0;
    else {
      run = i > 0 && code === text.charCodeAt(i - 1) ? run + 1 : 1;
      if (run > longest) longest = run;
    }
  }
  return longest;
}

function inspect(v: InspectedValue, report: (rule: typeof FORMAT_STRING) => void): void {
  // The value as the program gets it, before the decoding layer reads `%08` as a byte escape.
  if ((v.raw.indexOf('%') >= 0 && FORMAT_CONVERSIONS.test(v.raw)) || (v.lower.indexOf('%') >= 0 && FORMAT_CONVERSIONS.test(v.lower))) report(FORMAT_STRING);
  if (v.raw.length >= MIN_RUN && !DOCUMENT_LOCATIONS.has(v.location)) {
    const run = longestRun(v.decoded);
    if (run >= MIN_RUN && run * 2 >= v.decoded.length) report(REPEATED_BYTE_RUN);
  }
}

export const overflowPack: RulePack = {
  name: 'overflow',
  classification: 'ProtocolAnomaly',
  rules: [FORMAT_STRING, REPEATED_BYTE_RUN],
  // `AAAA…` is a plain value; the few that long are read.
  readsPlainValues: (v) => v.raw.length >= MIN_RUN,
  prefilter: (v) => v.raw.length >= MIN_RUN || v.raw.indexOf('%') >= 0 || v.lower.indexOf('%') >= 0,
  inspect,
};
