/* Blind set I: the same raw-request format and runner as set C (blind-c.ts), with I's case files. */
process.env.BLIND_SET = 'i';
require('./blind-c');
