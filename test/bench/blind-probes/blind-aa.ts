/* Blind set AA: the same raw-request format and runner as set C (blind-c.ts), with AA's case files. */
process.env.BLIND_SET = 'aa';
require('./blind-c');
