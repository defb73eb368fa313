/* Blind set AP: the same raw-request format and runner as set C (blind-c.ts), with AP's case files. */
process.env.BLIND_SET = 'ap';
require('./blind-c');
