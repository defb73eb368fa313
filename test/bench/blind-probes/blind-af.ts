/* Blind set AF: the same raw-request format and runner as set C (blind-c.ts), with AF's case files. */
process.env.BLIND_SET = 'af';
require('./blind-c');
