/* Blind set Z: the same raw-request format and runner as set C (blind-c.ts), with Z's case files. */
process.env.BLIND_SET = 'z';
require('./blind-c');
