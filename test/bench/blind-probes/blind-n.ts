/* Blind set N: the same raw-request format and runner as set C (blind-c.ts), with N's case files. */
process.env.BLIND_SET = 'n';
require('./blind-c');
