/* Blind set Y: the same raw-request format and runner as set C (blind-c.ts), with Y's case files. */
process.env.BLIND_SET = 'y';
require('./blind-c');
