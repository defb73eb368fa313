/* Blind set Q: the same raw-request format and runner as set C (blind-c.ts), with Q's case files. */
process.env.BLIND_SET = 'q';
require('./blind-c');
