/* Blind set AL: the same raw-request format and runner as set C (blind-c.ts), with AL's case files. */
process.env.BLIND_SET = 'al';
require('./blind-c');
