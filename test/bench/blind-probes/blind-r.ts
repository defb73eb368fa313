/* Blind set R: the same raw-request format and runner as set C (blind-c.ts), with R's case files. */
process.env.BLIND_SET = 'r';
require('./blind-c');
