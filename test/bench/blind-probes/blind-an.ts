/* Blind set AN: the same raw-request format and runner as set C (blind-c.ts), with AN's case files. */
process.env.BLIND_SET = 'an';
require('./blind-c');
