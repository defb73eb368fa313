/**
 * SQL injection: break-outs, UNION, stacked and blind queries, catalog access.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

const SQL_OPERAND_COMPARISON =
  String.raw`(?:not\s{1,10})?(?:\(\s{0,3}){0,3}['"\x60]{0,2}[\w.@$-]{0,40}['"\x60)]{0,3}\s{0,10}(?:=|<=?>?|>=?|!=|\blike\b|\bregexp\b|\brlike\b|\bis\s{1,10}(?:not\s{1,10})?null\b|\bbetween\b|\bin\s{0,10}\()`;

export const SQLI_RULES: readonly RegexRule[] = [
  {
    id: 100101, classification: 'SqlInjection', state: 'Exploitation', risk: 90, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: UNION SELECT',
    pattern: /\bunion\b[\s(]{0,20}(?:all\b[\s(]{0,20}|distinct\b[\s(]{0,20})?select\b/,
  },
  {
    id: 100102, classification: 'SqlInjection', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: boolean condition after a string or number break-out',
    pattern: new RegExp(
      String.raw`(?:^\s{0,10}-?\d{1,20}|['"\x60)])\s{0,10}(?:\b(?:or|and|xor)\b\s{0,10}(?:${SQL_OPERAND_COMPARISON}|\d{1,20}\s{0,10}(?:--|#|;|$)|(?:true|false)\b|(?:sleep|benchmark|pg_sleep|exists|ascii|substr|substring|length|char|mid|ord|if|case|updatexml|extractvalue)\s{0,10}\()|(?:\|\||&&)\s{0,10}(?:['"\x60]|\d|\(\s{0,10}select\b)[\w.@$-]{0,40}['"\x60]?\s{0,10}(?:=|<|>|\blike\b))`,
    ),
  },
  {
    id: 100109, classification: 'SqlInjection', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: value starting with a boolean tautology',
    pattern: /^\s{0,5}(?:or|and|xor|\|\||&&)\s{1,10}(?:\d{1,10}\s{0,5}(?:=|<|>|like\b)\s{0,5}\d|'[^'\n]{0,20}'\s{0,5}=\s{0,5}'|"[^"\n]{0,20}"\s{0,5}=\s{0,5}"|true\b|not\s{1,5}false\b)/,
  },
  {
    id: 100103, classification: 'SqlInjection', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: quote followed by a comment that cuts the query',
    pattern: /['"`]\){0,5}(?:--|#|\/\*)(?:[\s+-]|$)|['"`]\s{0,5}\){0,5}\s{0,5}(?:--|#)\s{0,5}-?$/,
  },
  {
    id: 100104, classification: 'SqlInjection', state: 'Exploitation', risk: 90, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: stacked query',
    pattern:
      /(?:['"`)]|\b\d{1,20})\s{0,10};\s{0,10}(?:drop\s{1,10}(?:table|database|schema|user|view)\b|delete\s{1,10}from\b|insert\s{1,10}into\b|update\s{1,10}\w{1,64}\s{1,10}set\b|select\s|exec(?:ute)?\s|declare\s{1,10}@|shutdown\b|create\s{1,10}(?:table|user|database|function|procedure)\b|alter\s{1,10}(?:table|user|database)\b|truncate\s{1,10}table\b|waitfor\s{1,10}delay\b|set\s{1,10}@|call\s{1,10}\w|grant\s)/,
  },
  {
    id: 100105, classification: 'SqlInjection', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: time-based blind injection',
    pattern:
      /^\s{0,5}(?:sleep|pg_sleep|benchmark)\s{0,5}\(\s{0,5}\d{1,9}\s{0,5}(?:,[^()]{0,40})?\)\s{0,5}(?:--|#|;|$)|(?:\b(?:and|or|xor|select|if|then|else|when|not|by)\b|[,;'"|&=])[\s(]{0,10}(?:sleep|pg_sleep|randomblob|dbms_lock\.sleep|dbms_pipe\.receive_message)\s{0,10}\(\s{0,10}['"\w(]|\bbenchmark\s{0,10}\(\s{0,10}\d{3,12}\s{0,10},|\bwaitfor\s{1,10}(?:delay|time)\s{1,10}['"]/,
  },
  {
    id: 100106, classification: 'SqlInjection', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: database catalog or dangerous function',
    pattern:
      /\b(?:information_schema|sysobjects|syscolumns|sysdatabases|pg_catalog|pg_shadow|sqlite_master|mysql\.user|all_tables|user_tables|dba_users|msysobjects)\b|\b(?:xp_cmdshell|sp_executesql|sp_oacreate|sp_makewebtask|xp_regread|xp_dirtree|load_file|utl_http\.request|utl_inaddr|dbms_xmlgen|extractvalue|updatexml|pg_read_file|lo_import|dbms_java)\s{0,10}\(|@@(?:version|datadir|hostname|basedir|servername)\b|\binto\s{1,10}(?:out|dump)file\b|\bdeclare\s{1,10}@\w{1,64}\s{1,10}(?:n?varchar|n?char|int|sysname|table)\b|\bexec(?:ute)?\s{0,10}\(\s{0,10}@\w/,
  },
  {
    id: 100107, classification: 'SqlInjection', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: subquery after a break-out',
    pattern: /(?:\b(?:and|or|xor|not|rlike|regexp|like|in)\b|['"`=]|\|\|)\s{0,10}\(\s{0,10}select\b/,
  },
  {
    id: 100108, classification: 'SqlInjection', state: 'Reconnaissance', risk: 60, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: column-count probing (ORDER BY / GROUP BY / HAVING)',
    pattern: /(?:['"`)]|^\s{0,5}\d{1,10})\s{0,10}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\b|^\s{0,5}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\s{0,5}(?:--|#|$)|\bhaving\s{1,10}\d{1,10}\s{0,10}=\s{0,10}\d/,
  },
  {
    id: 100110, classification: 'SqlInjection', state: 'Exploitation', risk: 75, severity: 'critical', confidence: 'high', form: 'sql',
    description: 'SqlAnalyzer: literal tautology',
    pattern: /\b(?:or|and|xor)\s{1,10}(?:\(\s{0,3}){0,3}(?:-?\d{1,10}|'[^'\n]{0,20}'|"[^"\n]{0,20}")\s{0,5}(?:=|\blike\b)\s{0,5}(?:-?\d{1,10}|'[^'\n]{0,20}'|"[^"\n]{0,20}")(?=\s|$|--|#|;|\))/,
  },
];

const PREFILTER = /['\"`;#()=|&@<>]|--|\/\*|\bunion\b|\bhaving\b|\b(?:or|and|xor)\s|\border\s/;

export const sqliPack: RulePack = {
  name: 'sqli',
  readsPlainValues: true,
  classification: 'SqlInjection',
  rules: SQLI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(SQLI_RULES, v, report),
};
