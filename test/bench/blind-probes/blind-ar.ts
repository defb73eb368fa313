/* Blind set AR: the same raw-request format and runner as set C (blind-c.ts), with AR's case files. */
process.env.BLIND_SET = 'ar';
require('./blind-c');
