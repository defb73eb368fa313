/**
 * Detection engine v2: one decoding layer (./decode), every place attackers put payloads
 * (./placements), one rule pack per attack class (./rules), and anomaly scoring per
 * DETECTION_LEVEL (./scoring).
 */
export { Detector, inspectValue, MAX_HITS, MAX_CHARS_PER_REQUEST, type DetectorOptions } from './detector';
export { DETECTION_LEVELS, DEFAULT_DETECTION_LEVEL, LEVEL_THRESHOLDS, isDetectionLevel, ruleScore, type DetectionLevel } from './scoring';
export { RULE_PACKS } from './rules';
export { PROTOCOL_RULES } from './rules/protocol';
export { isAttackPayload, isCredentialPayload } from './payload-check';
export { ruleCatalog, renderRuleCatalogMarkdown, type CatalogEntry } from './rule-catalog';
export { InspectedValue, type ValueForm } from './value';
export type { AttackClassification, AttackHit, Confidence, DetectionResult, Rule, RulePack, Severity, ValueLocation } from './types';
