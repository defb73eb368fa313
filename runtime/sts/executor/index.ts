export { executeTemplate } from './run-template';
export type { ExecutionContext, ProbeExecution, SentRequest, TemplateExecution, StopReason } from './run-template';
export { sendRequest, SendError } from './http-client';
export type { WireRequest, WireResponse, SendOptions } from './http-client';
export { createAuditLog } from './audit-log';
export type { AuditRecord, AuditSink } from './audit-log';
export { parseCredentials, credentialsFor, applyCredentials, CredentialsError } from './credentials';
export type { HostCredentials, CredentialStore } from './credentials';
