/**
 * Every rule pack, one per attack class (each file holds its prefilter, rules and fact lists).
 * The order is the order hits are reported in.
 */
import type { RulePack } from '../types';
import { commandInjectionPack } from './cmdi';
import { crlfInjectionPack } from './crlf';
import { deserializationPack } from './deserialization';
import { forcedBrowsingPack } from './forced-browsing';
import { formulaInjectionPack } from './formula';
import { javaInjectionPack } from './java';
import { jwtPack } from './jwt';
import { ldapInjectionPack } from './ldapi';
import { noSqlInjectionPack } from './nosqli';
import { openRedirectPack } from './open-redirect';
import { overflowPack } from './overflow';
import { pathTraversalPack } from './path-traversal';
import { phpInjectionPack } from './php';
import { prototypePollutionPack } from './prototype-pollution';
import { queryLanguagePack } from './query-languages';
import { rfiPack } from './rfi';
import { scannerPack } from './scanner';
import { sessionFixationPack } from './session-fixation';
import { shellshockPack } from './shellshock';
import { sqliPack } from './sqli';
import { ssrfPack } from './ssrf';
import { templateInjectionPack } from './ssti';
import { maliciousUploadPack } from './upload';
import { xpathInjectionPack } from './xpathi';
import { xssPack } from './xss';
import { xxePack } from './xxe';

export const RULE_PACKS: readonly RulePack[] = [
  sqliPack,
  xssPack,
  pathTraversalPack,
  rfiPack,
  commandInjectionPack,
  phpInjectionPack,
  shellshockPack,
  javaInjectionPack,
  deserializationPack,
  templateInjectionPack,
  xxePack,
  ssrfPack,
  noSqlInjectionPack,
  ldapInjectionPack,
  xpathInjectionPack,
  crlfInjectionPack,
  sessionFixationPack,
  openRedirectPack,
  scannerPack,
  maliciousUploadPack,
  prototypePollutionPack,
  forcedBrowsingPack,
  jwtPack,
  formulaInjectionPack,
  queryLanguagePack,
  overflowPack,
];
