import type { HttpExchange__Output } from '../../proto';
import { SCAN_MARKER_HEADER } from '../../proto';
import { verifyScanMarker } from '../../scan-marker';
import { Inventory } from './inventory';
import { resolveLimits } from './limits';
import { MalformedExchangeError, viewRequest, viewResponse } from './message-view';
import { PathTemplater } from './path-template';
import { SuppressionMatcher, parseSuppressionRules } from './suppression';
import type { AnalysisEngine, AnalyzerEvent, EngineCounters, EngineOptions, ExchangeContext } from './types';

interface MutableCounters {
  exchanges: number;
  malformed: number;
  skipped_scanner_traffic: number;
  match_events: number;
  findings_created: number;
  findings_updated: number;
  suppressed: number;
}

export function createAnalysisEngine(options: EngineOptions = {}): AnalysisEngine {
  const limits = resolveLimits(options.limits);
  const now = options.now ?? (() => new Date());
  const markerKey = options.scanMarkerKey;
  if (markerKey !== undefined && (!Buffer.isBuffer(markerKey) || markerKey.length < 16)) {
    throw new Error('scanMarkerKey must be a Buffer of at least 16 bytes (the STS scan-marker key)');
  }
  // Re-validate so programmatic callers get the same errors as configuration does.
  const suppressions = new SuppressionMatcher(parseSuppressionRules(options.suppressions ?? []));
  const templater = new PathTemplater();
  const inventory = new Inventory(limits.maxEndpoints);
  const counters: MutableCounters = {
    exchanges: 0,
    malformed: 0,
    skipped_scanner_traffic: 0,
    match_events: 0,
    findings_created: 0,
    findings_updated: 0,
    suppressed: 0,
  };

  const isScannerTraffic = (exchange: HttpExchange__Output, at: Date): boolean => {
    if (!markerKey) return false;
    for (const header of exchange.request?.headers ?? []) {
      if (typeof header?.name === 'string' && header.name.toLowerCase() === SCAN_MARKER_HEADER) {
        if (verifyScanMarker(String(header.value), markerKey, at).valid) return true;
      }
    }
    return false;
  };

  const analyze = (exchange: HttpExchange__Output, context: ExchangeContext): AnalyzerEvent[] => {
    counters.exchanges++;
    const at = now();
    try {
      if (isScannerTraffic(exchange, at)) {
        counters.skipped_scanner_traffic++;
        return [];
      }
      const request = viewRequest(exchange, limits);
      const response = viewResponse(exchange, limits);
      const templated = templater.template(request.path, inventory.size < limits.maxEndpoints);
      inventory.record(request, response, templated, [], at.toISOString());
      void context;
      void suppressions;
      return [];
    } catch (error) {
      // Hostile or broken input must never take the service down: count it and move on.
      void (error instanceof MalformedExchangeError);
      counters.malformed++;
      return [];
    }
  };

  return {
    analyze,
    openApi: () => inventory.openApi((path) => templater.template(path, false)),
    counters: (): EngineCounters => ({ ...counters, endpoints: inventory.size }),
  };
}
