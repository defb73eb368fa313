/* Blind set V: the same raw-request format and runner as set C (blind-c.ts), with V's case files. */
process.env.BLIND_SET = 'v';
require('./blind-c');
