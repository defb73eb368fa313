/* Blind set AD: the same raw-request format and runner as set C (blind-c.ts), with AD's case files. */
process.env.BLIND_SET = 'ad';
require('./blind-c');
