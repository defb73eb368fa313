import { SCAN_MARKER_HEADER, type HttpExchange__Output } from '../../proto';
import { verifyScanMarker } from '../../scan-marker';
import { Detector } from './detection';
import { FindingStore, type FindingObservation } from './finding-store';
import { Inventory } from './inventory';
import { AttackOutcomes } from './outcome';
import { buildMatchEvent, upstreamMs } from './match-event';
import { analyzeResponse, credentialsInUrl } from './response-analysis';
import { resolveLimits } from './limits';
import { viewRequest, viewResponse } from './message-view';
import { PathTemplater, canonicalTemplate } from './path-template';
import { SuppressionMatcher, parseSuppressionRules } from './suppression';
import { BodyText } from './text-index';
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
  const catalog = options.catalog ?? true;
  // The path trie is bounded with the inventory it serves.
  const templater = new PathTemplater(undefined, limits.maxEndpoints * 20);
  const inventory = new Inventory(limits.maxEndpoints);
  const detector = new Detector({ level: options.detectionLevel });
  const outcomes = new AttackOutcomes(limits.maxEndpoints);
  const findings = new FindingStore(limits.maxFindings, limits.maxBodyBytes, limits.exampleBudgetBytes);
  const counters: MutableCounters = {
    exchanges: 0,
    malformed: 0,
    skipped_scanner_traffic: 0,
    match_events: 0,
    findings_created: 0,
    findings_updated: 0,
    suppressed: 0,
  };

  const analyze = (exchange: HttpExchange__Output, context: ExchangeContext): AnalyzerEvent[] => {
    counters.exchanges++;
    const at = now();
    const events: AnalyzerEvent[] = [];
    try {
      const request = viewRequest(exchange, limits);
      if (markerKey) {
        const marker = request.header.get(SCAN_MARKER_HEADER);
        if (marker !== undefined && verifyScanMarker(marker, markerKey, at).valid) {
          counters.skipped_scanner_traffic++;
          return [];
        }
      }
      const response = viewResponse(exchange, limits);
      const detection = detector.detect(request, response);
      // Below the level's threshold the request is not treated as an attack, here or by the response analysis.
      const hits = detection.alert ? detection.hits : [];
      // Scanners probing for paths that do not exist (404) and attack requests do not teach the
      // inventory new endpoints; they are still analysed against the endpoints it knows.
      const learns = response?.status !== 404 && !hits.some((h) => h.rule.state === 'Exploitation');
      const templated = templater.template(request.path, learns && inventory.size < limits.maxEndpoints);
      const endpoint = templated.template;

      const reported = suppressions.empty
        ? hits
        : hits.filter((hit) => {
            const rule = suppressions.match({ endpoint, method: request.method, parameter: hit.parameter || null, classes: [hit.rule.classification] });
            if (rule) counters.suppressed++;
            return !rule;
          });
      if (reported.length > 0) {
        events.push(
          buildMatchEvent(exchange, request, response, reported, context, at, {
            score: detection.score,
            threshold: detection.threshold,
            level: detector.level,
          }),
        );
        counters.match_events++;
      }

      const observations: FindingObservation[] = credentialsInUrl(request);
      let sensitiveKinds: string[] = [];
      if (response) {
        // The body's text, lower-cased text and index are made once, for both analyses, when first needed.
        const bodyText = new BodyText(response.body);
        const analysis = analyzeResponse(request, response, hits, bodyText);
        observations.push(...analysis.findings, ...outcomes.observe(request, response, hits, endpoint, upstreamMs(exchange), bodyText));
        sensitiveKinds = analysis.sensitiveKinds;
      }
      if (catalog) inventory.record(request, response, templated, sensitiveKinds, at.getTime(), learns);
      if (observations.length > 0) {
        const observationContext = {
          host: request.host,
          scheme: request.scheme,
          method: request.method,
          endpoint,
          keyEndpoint: canonicalTemplate(request.path),
          exchange,
          sensorTags: context.sensorTags,
          at,
        };
        for (const observation of observations) {
          if (!suppressions.empty) {
            const rule = suppressions.match({
              endpoint: observation.hostWide ? '*' : endpoint,
              method: request.method,
              parameter: observation.parameter,
              classes: [observation.class, ...(observation.scanClass ? [observation.scanClass] : [])],
            });
            if (rule) {
              counters.suppressed++;
              continue;
            }
          }
          const record = findings.observe(observation, observationContext);
          if (!record) continue;
          if (record.status === 'new') counters.findings_created++;
          else counters.findings_updated++;
          events.push(record);
        }
      }
      return events;
    } catch {
      // Hostile or broken input (MalformedExchangeError, or anything unforeseen) must never take
      // the service down: count it and move on, keeping what was found before the failure (an
      // attack already detected is still reported when a later analysis of its answer fails).
      counters.malformed++;
      return events;
    }
  };

  return {
    analyze,
    openApi: () => inventory.openApi((path) => templater.template(path, false)),
    takeInventoryChanges: () => inventory.takeChanges(),
    counters: (): EngineCounters => ({ ...counters, detector_errors: detector.errors, endpoints: inventory.size }),
  };
}
