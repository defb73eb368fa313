/* Blind set AQ: the same raw-request format and runner as set C (blind-c.ts), with AQ's case files. */
process.env.BLIND_SET = 'aq';
require('./blind-c');
