/**
 * The Runtime Analyzer's analysis engine: API inventory, attack detection (MatchEvent records) and
 * passive vulnerability findings from observed HTTP exchanges. The analyzer service feeds it
 * exchanges and delivers the events it returns.
 */
export { createAnalysisEngine } from './engine';
export { parseSuppressionRules } from './suppression';
export { DEFAULT_LIMITS } from './limits';
export { inventoryDocument } from './inventory-document';
export type { EndpointSnapshot } from './inventory';
export type {
  AnalysisEngine,
  AnalyzerEvent,
  EngineCounters,
  EngineLimits,
  EngineOptions,
  ExchangeContext,
  FindingRecord,
  FindingSeverity,
  MatchEventRecord,
  MatchRecord,
  SuppressionRule,
} from './types';
