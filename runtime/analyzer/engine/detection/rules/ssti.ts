/**
 * Server-side template injection: expression probes and expressions that reach runtime objects.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const SSTI_RULES: readonly RegexRule[] = [
  {
    id: 700101, classification: 'TemplateInjection', state: 'Reconnaissance', risk: 70, severity: 'critical', confidence: 'high',
    description: 'TemplateAnalyzer: template expression probe',
    pattern:
      /\{\{\s{0,10}\d{1,6}\s{0,10}[*+/-]\s{0,10}['"]?\d{1,6}['"]?\s{0,10}\}\}|[$#*@]\{\s{0,10}\d{1,6}\s{0,10}[*+/]\s{0,10}\d{1,6}\s{0,10}\}|<%=\s{0,10}\d{1,6}\s{0,10}[*+/]\s{0,10}\d{1,6}\s{0,10}%>|@\(\s{0,10}\d{1,6}\s{0,10}[*+/]\s{0,10}\d{1,6}\s{0,10}\)|\{\{\s{0,10}\d{1,6}\s{0,10}\|\s{0,10}(?:multiply|add)\b/,
  },
  {
    id: 700102, classification: 'TemplateInjection', state: 'Exploitation', risk: 90, severity: 'critical', confidence: 'high',
    description: 'TemplateAnalyzer: template expression reaching runtime objects',
    pattern:
      /__(?:class|mro|subclasses|globals|builtins|import|init)__|\bgetruntime\s{0,5}\(|\bprocessbuilder\b|\bclass\.forname\b|\.popen\s{0,5}\(|\bos\.system\b|\bsubprocess\b|\bruntime\.exec\b|\bt\s{0,5}\(\s{0,5}java\.|\bnew\s{1,5}java\.|freemarker\.template\.utility|\bconstructor\.constructor\b|\bself\._templateref\b|\b(?:lipsum|cycler|joiner|namespace)\.__|\brequest\.application\b|\bconfig\.items\s{0,5}\(|\burl_for\.__globals|\.constructor\s{0,5}\(\s{0,5}['"]|\bchild_process\b|\.mainmodule\.require\b|\bexecsync\s{0,5}\(/,
    requires: /\{\{|\{%|\$\{|#\{|\*\{|<%|<#/,
  },
  {
    id: 700103, classification: 'TemplateInjection', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high',
    description: 'TemplateAnalyzer: engine-specific directive',
    pattern: /\{\{\s{0,5}<%|<%\[%['"]|\{\{\s{0,5}(?:config|self|settings|request|session)\s{0,5}\}\}|<#assign\b|<#list\b|\?new\s{0,5}\(\s{0,5}\)|#set\s{0,10}\(\s{0,10}\$|\$class\.inspect|\{php\}|\{\{\s{0,10}_self\.env|\{%\s{0,10}(?:import|debug|load)\b|\{\{\s{0,10}\[?['"][^'"{}]{0,40}['"]\]?\s{0,5}\|\s{0,5}(?:filter|map|reduce|sort)\s{0,5}\(|<%=?\s{0,10}(?:system|exec|eval|spawn|io\.popen|\x60)/,
  },
];

const PREFILTER = /\{\{|\{%|[$#*@]\{|<%|<#|@\(|#set|\{php\}/;

export const templateInjectionPack: RulePack = {
  name: 'ssti',
  classification: 'TemplateInjection',
  rules: SSTI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(SSTI_RULES, v, report),
};
