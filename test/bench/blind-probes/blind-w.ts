/* Blind set W: the same raw-request format and runner as set C (blind-c.ts), with W's case files. */
process.env.BLIND_SET = 'w';
require('./blind-c');
