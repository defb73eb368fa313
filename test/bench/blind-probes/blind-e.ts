/* Blind set E: the same raw-request format and runner as set C (blind-c.ts), with E's case files. */
process.env.BLIND_SET = 'e';
require('./blind-c');
