/* Blind set AS: the same raw-request format and runner as set C (blind-c.ts), with AS's case files. */
process.env.BLIND_SET = 'as';
require('./blind-c');
