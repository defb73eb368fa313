/* Blind set S: the same raw-request format and runner as set C (blind-c.ts), with S's case files. */
process.env.BLIND_SET = 's';
require('./blind-c');
