/* Blind set AM: the same raw-request format and runner as set C (blind-c.ts), with AM's case files. */
process.env.BLIND_SET = 'am';
require('./blind-c');
