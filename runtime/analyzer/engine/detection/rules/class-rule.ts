import type { AttackClassification, Confidence, Rule, Severity } from '../types';

/**
 * The rule maker of one attack class's pack: the class (and state) are fixed, each rule gives its
 * id, description, severity, confidence and risk.
 */
export function classRule<C extends AttackClassification>(classification: C, state: Rule['state'] = 'Exploitation') {
  return (id: number, description: string, severity: Severity, confidence: Confidence, risk: number): Rule & { readonly classification: C } => ({
    id,
    classification,
    state,
    severity,
    confidence,
    risk,
    description,
  });
}
