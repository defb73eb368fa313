/* Blind set P: the same raw-request format and runner as set C (blind-c.ts), with P's case files. */
process.env.BLIND_SET = 'p';
require('./blind-c');
