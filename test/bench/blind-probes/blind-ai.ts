/* Blind set AI: the same raw-request format and runner as set C (blind-c.ts), with AI's case files. */
process.env.BLIND_SET = 'ai';
require('./blind-c');
