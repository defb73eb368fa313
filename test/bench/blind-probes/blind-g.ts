/* Blind set G: the same raw-request format and runner as set C (blind-c.ts), with G's case files. */
process.env.BLIND_SET = 'g';
require('./blind-c');
