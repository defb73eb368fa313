/* Blind set M: the same raw-request format and runner as set C (blind-c.ts), with M's case files. */
process.env.BLIND_SET = 'm';
require('./blind-c');
