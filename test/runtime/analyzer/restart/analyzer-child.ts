/**
 * The analyzer as a child process for the restart test: the real service (settings from env,
 * spool, sinks, gRPC+TLS) with the real engine, plus one marker event per accepted exchange so
 * the test can account for every acknowledged exchange whatever the detectors find.
 */
import { loadAnalyzerConfig, startAnalyzer } from '../../../../runtime/analyzer';
import { analysisOnMainThread } from '../../../../runtime/analyzer/analysis';
import { createAnalysisEngine, type AnalysisEngine, type AnalyzerEvent } from '../../../../runtime/analyzer/engine';
import { createLogger } from '../../../../runtime/analyzer/log';

async function main() {
  const { config } = await loadAnalyzerConfig(process.env);
  const real = createAnalysisEngine();
  const engine: AnalysisEngine = {
    analyze(exchange, context) {
      const marker = { msg_type: 'MatchEvent', request_id: exchange.id, message: 'restart-test marker', matches: [] } as unknown as AnalyzerEvent;
      return [...real.analyze(exchange, context), marker];
    },
    openApi: () => real.openApi(),
    counters: () => real.counters(),
  };
  const analyzer = await startAnalyzer(config, { analysis: analysisOnMainThread(engine), logger: createLogger('info') });
  process.on('SIGTERM', () => {
    void analyzer.shutdown().then(() => process.exit(0));
  });
}

void main();
