export { startScanTemplateService } from './server';
export type { RunningScanTemplateService, StsServiceConfig, StsSettings } from './server';
export { createLogger } from './log';
export type { Logger, LogLevel } from './log';
