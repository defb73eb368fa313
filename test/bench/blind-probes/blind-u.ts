/* Blind set U: the same raw-request format and runner as set C (blind-c.ts), with U's case files. */
process.env.BLIND_SET = 'u';
require('./blind-c');
