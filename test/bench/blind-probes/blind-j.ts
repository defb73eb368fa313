/* Blind set J: the same raw-request format and runner as set C (blind-c.ts), with J's case files. */
process.env.BLIND_SET = 'j';
require('./blind-c');
