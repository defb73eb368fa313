/**
 * Anomaly scoring: each rule contributes by severity and confidence; a request alerts when the sum
 * of its distinct rules reaches the threshold of the configured DETECTION_LEVEL. Level 1 alerts on
 * one sure, serious rule; each higher level lowers the bar, so weaker evidence alone alerts too
 * (more recall, more noise). The measured figures per level are in docs/detection.md.
 */
import type { Confidence, Rule, Severity } from './types';

export const DETECTION_LEVELS = [1, 2, 3, 4] as const;
export type DetectionLevel = (typeof DETECTION_LEVELS)[number];
export const DEFAULT_DETECTION_LEVEL: DetectionLevel = 1;

const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { critical: 5, error: 4, warning: 3, notice: 2 };
const CONFIDENCE_FACTOR: Readonly<Record<Confidence, number>> = { high: 1, medium: 0.8, low: 0.6 };

/** Score a request needs to alert, per level. */
export const LEVEL_THRESHOLDS: Readonly<Record<DetectionLevel, number>> = { 1: 5, 2: 4, 3: 3, 4: 2 };

export function ruleScore(rule: Pick<Rule, 'severity' | 'confidence'>): number {
  return Math.round(SEVERITY_POINTS[rule.severity] * CONFIDENCE_FACTOR[rule.confidence] * 10) / 10;
}

export function isDetectionLevel(value: unknown): value is DetectionLevel {
  return value === 1 || value === 2 || value === 3 || value === 4;
}
