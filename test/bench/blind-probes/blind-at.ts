/* Blind set AT: the same raw-request format and runner as set C (blind-c.ts), with AT's case files. */
process.env.BLIND_SET = 'at';
require('./blind-c');
