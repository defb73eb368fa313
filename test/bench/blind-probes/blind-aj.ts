/* Blind set AJ: the same raw-request format and runner as set C (blind-c.ts), with AJ's case files. */
process.env.BLIND_SET = 'aj';
require('./blind-c');
