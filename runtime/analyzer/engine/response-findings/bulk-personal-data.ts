/**
 * Bulk personal data (CWE-359): one response carrying many e-mail addresses, phone numbers or
 * payment card numbers is a data dump, whatever the endpoint meant to return.
 */
import type { FindingObservation } from '../finding-store';
import { findCardNumbers } from '../sensitive-data';
import type { BodyText } from '../text-index';

/** Distinct values of one kind that make a response a bulk exposure. */
export const BULK_THRESHOLD = 10;
export const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
export const PHONE = /\+[1-9][0-9]{7,14}\b|\(\d{3}\) ?\d{3}-\d{4}/g;

function distinct(text: string, pattern: RegExp, max: number): number {
  const seen = new Set<string>();
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null && seen.size < max) seen.add(m[0].toLowerCase());
  return seen.size;
}

/** Characters of a body read. */
const WINDOW = 256 * 1024;

/** The body's index (and bytes) rule out most bodies before their text is read. */
export function bulkPersonalData(body: BodyText): FindingObservation | undefined {
  const index = body.index;
  // Every e-mail address holds `@`; a body of at most WINDOW bytes is read whole.
  const mayHaveEmails = body.maxLength > WINDOW || body.includesAscii(0x40);
  // Every phone number PHONE matches starts with `+` and eight digits or `(` and three digits and `)`.
  const mayHavePhones = index.mayContain('+00000000') || index.mayContain('(000)');
  // A card is 13 to 19 digits, at most one space or hyphen between two, from a network's first digit.
  const mayHaveCards = index.mayHoldCardNumber;
  if (!mayHaveEmails && !mayHavePhones && !mayHaveCards) return undefined;
  const text = body.text;
  if (text.length < 200) return undefined;
  const window = text.slice(0, WINDOW);
  const counts: [string, number][] = [
    ['e-mail addresses', mayHaveEmails && window.includes('@') ? distinct(window, EMAIL, 1000) : 0],
    ['phone numbers', mayHavePhones ? distinct(window, PHONE, 1000) : 0],
    ['payment card numbers', mayHaveCards ? findCardNumbers(window, BULK_THRESHOLD).length : 0],
  ];
  const bulk = counts.filter(([, n]) => n >= BULK_THRESHOLD);
  if (bulk.length === 0) return undefined;
  return {
    class: 'bulk_personal_data',
    title: 'Bulk personal data in one response',
    cwe: 'CWE-359',
    severity: 'high',
    confidence: 0.8,
    parameter: bulk[0][0] === 'e-mail addresses' ? 'email' : bulk[0][0] === 'phone numbers' ? 'phone' : 'credit_card',
    parameterLocation: 'response_body',
    evidence: `response carries ${bulk.map(([what, n]) => `${n}${n >= 1000 ? '+' : ''} distinct ${what}`).join(', ')} (values not recorded)`,
    scanClass: 'bulk_personal_data',
  };
}
