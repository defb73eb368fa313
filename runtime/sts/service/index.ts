export { startScanTemplateService } from './server';
export type { RunningScanTemplateService, StsServiceConfig, StsSettings } from './server';
export { createLogger } from './log';
export type { Logger, LogLevel } from './log';
export { loadStsConfig } from './load-config';
export type { LoadedStsConfig } from './load-config';
