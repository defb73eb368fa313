/* Blind set AC: the same raw-request format and runner as set C (blind-c.ts), with AC's case files. */
process.env.BLIND_SET = 'ac';
require('./blind-c');
