/* Blind set AV: the same raw-request format and runner as set C (blind-c.ts), with AV's case files. */
process.env.BLIND_SET = 'av';
require('./blind-c');
