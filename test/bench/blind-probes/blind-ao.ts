/* Blind set AO: the same raw-request format and runner as set C (blind-c.ts), with AO's case files. */
process.env.BLIND_SET = 'ao';
require('./blind-c');
