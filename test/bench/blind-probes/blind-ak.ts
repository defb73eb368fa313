/* Blind set AK: the same raw-request format and runner as set C (blind-c.ts), with AK's case files. */
process.env.BLIND_SET = 'ak';
require('./blind-c');
