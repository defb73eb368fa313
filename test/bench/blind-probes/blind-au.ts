/* Blind set AU: the same raw-request format and runner as set C (blind-c.ts), with AU's case files. */
process.env.BLIND_SET = 'au';
require('./blind-c');
