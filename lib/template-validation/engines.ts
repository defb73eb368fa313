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
 * One engine per set of rego rules, with aws-cdk-lib's configuration for that set (it builds
 * one engine per set of resource types, whose rules it passes only when there are any).
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
