/**
 * The Scan Template Service: turns passive findings into targeted, safe scans and answers with
 * verdicts. Entry points: the gRPC service, and the pieces it is built from for embedding and
 * tooling (template generation, Nuclei export/import, the scanner).
 */
export { startScanTemplateService, createLogger, loadStsConfig } from './service';
export type { RunningScanTemplateService, StsServiceConfig, StsSettings, Logger, LogLevel, LoadedStsConfig } from './service';
export { STS_SETTINGS, STS_SSM_SERVICE, STS_VERSION } from './settings';
export type { StsSettingDefinitions } from './settings';
export { generateTemplate, templateClassFor, TEMPLATE_CLASSES } from './generate';
export type { GenerationResult, TemplateClass } from './generate';
export { exportNucleiTemplate, importNucleiTemplate, checkNucleiTemplate, templateFromInput } from './nuclei';
export { parseTemplateJson, validateTemplate, TemplateError, TEMPLATE_SCHEMA } from './template';
export type { ScanTemplate, Probe, TemplateRequest, Matcher, Extractor } from './template';
export { Scanner } from './scanner';
export type { ScanOutcome, ScannerOptions, OutcomeStatus } from './scanner';
