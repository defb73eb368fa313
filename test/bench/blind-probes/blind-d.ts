/* Blind set D: the same raw-request format and runner as set C (blind-c.ts), with D's case files. */
process.env.BLIND_SET = 'd';
require('./blind-c');
