import { decodeHttpExchange } from '../../proto/exchange-codec';
import type { AnalysisEngine, ExchangeContext } from '../engine';
import { eventJson } from '../events';

/** What one batch produced, ready for the spool. */
export interface BatchResult {
  /** Events as the JSON lines the spool stores, in the order the exchanges came. */
  readonly events: string[];
  readonly matchEvents: number;
  readonly findings: number;
  /** Exchanges that could not be decoded or analyzed: counted as malformed and skipped. */
  readonly failures: readonly { readonly index: number; readonly error: string }[];
}

/** Decodes and analyzes a batch's exchanges in order; a bad exchange is skipped, never fatal. */
export function analyzeBatch(engine: AnalysisEngine, exchanges: readonly Uint8Array[], context: ExchangeContext): BatchResult {
  const events: string[] = [];
  const failures: { index: number; error: string }[] = [];
  let matchEvents = 0;
  let findings = 0;
  for (let index = 0; index < exchanges.length; index++) {
    try {
      const exchange = decodeHttpExchange(exchanges[index]!);
      const exchangeContext = exchange.tags.length > 0 ? { ...context, sensorTags: exchange.tags } : context;
      for (const event of engine.analyze(exchange, exchangeContext)) {
        if (event.msg_type === 'MatchEvent') matchEvents++;
        else findings++;
        events.push(eventJson(event));
      }
    } catch (error) {
      failures.push({ index, error: (error as Error).message });
    }
  }
  return { events, matchEvents, findings, failures };
}
