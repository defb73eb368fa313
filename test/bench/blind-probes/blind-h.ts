/* Blind set H: the same raw-request format and runner as set C (blind-c.ts), with H's case files. */
process.env.BLIND_SET = 'h';
require('./blind-c');
