/* Blind set AH: the same raw-request format and runner as set C (blind-c.ts), with AH's case files. */
process.env.BLIND_SET = 'ah';
require('./blind-c');
