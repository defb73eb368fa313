/* Blind set O: the same raw-request format and runner as set C (blind-c.ts), with O's case files. */
process.env.BLIND_SET = 'o';
require('./blind-c');
