/* Blind set AE: the same raw-request format and runner as set C (blind-c.ts), with AE's case files. */
process.env.BLIND_SET = 'ae';
require('./blind-c');
