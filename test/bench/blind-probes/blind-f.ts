/* Blind set F: the same raw-request format and runner as set C (blind-c.ts), with F's case files. */
process.env.BLIND_SET = 'f';
require('./blind-c');
