/* Blind set AG: the same raw-request format and runner as set C (blind-c.ts), with AG's case files. */
process.env.BLIND_SET = 'ag';
require('./blind-c');
