/* Blind set T: the same raw-request format and runner as set C (blind-c.ts), with T's case files. */
process.env.BLIND_SET = 't';
require('./blind-c');
