/** The validation engines of `@aws/cloudformation-validate`, as both threads build them. */
import type { RegoRule } from './protocol';

export interface TemplateFile {
  readonly content: string | Uint8Array;
  readonly name: string;
}
export interface Engine {
  validateTemplate(template: TemplateFile, options: unknown): unknown;
  free?(): void;
}
export interface Validator {
  CompositeEngine: new (config: object) => Engine;
  TemplateContent: new (content: string | Uint8Array, name: string) => TemplateFile;
}

/**
 * One engine per set of rego rules, configured as aws-cdk-lib configures its one engine (rules
 * passed only when there are any). aws-cdk-lib builds a single engine with the rules of all
 * templates' resource types; each template here brings the rules of its own types, which finds
 * the same (a rule only ever applies to resources of its types), and templates with the same
 * rules, the usual case, share one engine.
 */
export class EnginesByRules {
  private readonly engines = new Map<string, Engine>();

  constructor(public readonly validator: Validator) {}

  public get(rules: readonly RegoRule[]): Engine {
    const key = rules.map((rule) => rule.name).join('\n');
    let engine = this.engines.get(key);
    if (!engine) {
      engine = new this.validator.CompositeEngine(rules.length > 0 ? { regoRules: [...rules] } : {});
      this.engines.set(key, engine);
    }
    return engine;
  }

  public free(): void {
    for (const engine of this.engines.values()) engine.free?.();
    this.engines.clear();
  }
}
