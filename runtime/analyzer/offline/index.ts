/**
 * Offline analysis: `tx-prevent-analyzer analyze FILE...` runs the service's detection engine,
 * with the service's settings, over HAR exports and pcap/pcapng captures.
 */
export { runAnalyzeCommand } from './command';
export type { AnalyzeCommandIo } from './command';
export { harEntries, harEntryExchange } from './har';
export type { HarEntryResult } from './har';
export { identifyInput } from './input-format';
export type { InputFile, InputKind } from './input-format';
export { InputError } from './input-error';
export { ProgressReporter } from './progress';
export type { ProgressOptions } from './progress';
