/* Blind set X: the same raw-request format and runner as set C (blind-c.ts), with X's case files. */
process.env.BLIND_SET = 'x';
require('./blind-c');
