export { decide } from './decide';
export type { Decision, EvidenceItem, VerdictStatusName } from './decide';
export { htmlContextAt } from './html-context';
export type { HtmlContext } from './html-context';
export { maskSensitive, maskValue, requestExcerpt, responseExcerpt } from './redact';
