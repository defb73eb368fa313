/* Blind set K: the same raw-request format and runner as set C (blind-c.ts), with K's case files. */
process.env.BLIND_SET = 'k';
require('./blind-c');
