/* Blind set AB: the same raw-request format and runner as set C (blind-c.ts), with AB's case files. */
process.env.BLIND_SET = 'ab';
require('./blind-c');
