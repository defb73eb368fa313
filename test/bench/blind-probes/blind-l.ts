/* Blind set L: the same raw-request format and runner as set C (blind-c.ts), with L's case files. */
process.env.BLIND_SET = 'l';
require('./blind-c');
