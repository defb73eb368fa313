/**
 * Template generation: finding → targeted scan template (see ../template/schema.ts), built from
 * the observed request so the scan looks like the endpoint's real traffic.
 */
import { createHash } from 'node:crypto';
import type { Finding__Output } from '../../proto';
import { TEMPLATE_SCHEMA, type Probe, type ScanTemplate, type TemplateSeverity } from '../template/schema';
import { templateClassFor, type TemplateClass } from './classes';
import { randomCanary, randomInteger, type GenerationContext } from './context';
import { authBypassProbes } from './probes/auth-bypass';
import { bulkPersonalDataProbes } from './probes/bulk-personal-data';
import { commandInjectionProbes } from './probes/command-injection';
import { corsProbes } from './probes/cors';
import { directoryListingProbes } from './probes/directory-listing';
import { exposedFileProbes } from './probes/exposed-file';
import { filterBypassProbes } from './probes/filter-bypass';
import { insecureCookieProbes } from './probes/insecure-cookie';
import { jwtWeaknessProbes } from './probes/jwt-weakness';
import { verboseErrorProbes } from './probes/verbose-error';
import { openRedirectProbes } from './probes/open-redirect';
import { pathTraversalProbes } from './probes/path-traversal';
import { reflectedXssProbes } from './probes/reflected-xss';
import { securityHeaderProbes } from './probes/security-headers';
import { sensitiveDataProbes } from './probes/sensitive-data';
import { sqlInjectionProbes } from './probes/sql-injection';
import { templateInjectionProbes } from './probes/template-injection';
import { injectionPoint, observedRequest, RequestShapeError, type ObservedRequest } from './request-shape';

export { templateClassFor, normaliseClassName, TEMPLATE_CLASSES, CLASS_NAME_RULES, CWE_RULES } from './classes';
export type { TemplateClass } from './classes';
export { RequestShapeError } from './request-shape';
export { SENSITIVE_PATTERNS, SQL_ERROR_REGEX, KNOWN_FILE_REGEX } from './signatures';

export interface GenerateOptions {
  /** Seconds a time-based payload asks the target to wait. @default 2 */
  readonly timeDelaySeconds?: number;
  /** Canary source, for reproducible tests. @default random */
  readonly canary?: () => string;
  readonly integer?: (min: number, max: number) => number;
}

export type GenerationResult =
  | { readonly kind: 'template'; readonly template: ScanTemplate; readonly needsCredentials: boolean }
  | { readonly kind: 'unsupported'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string };

interface ClassSpec {
  readonly name: string;
  readonly tags: readonly string[];
  readonly usesParameter: boolean;
  readonly build: (context: GenerationContext) => Probe[];
}

const CLASS_SPECS: Record<TemplateClass, ClassSpec> = {
  sql_injection: { name: 'SQL injection', tags: ['sqli', 'injection'], usesParameter: true, build: sqlInjectionProbes },
  reflected_xss: { name: 'Reflected cross-site scripting', tags: ['xss', 'injection'], usesParameter: true, build: reflectedXssProbes },
  path_traversal: { name: 'Path traversal', tags: ['lfi', 'traversal'], usesParameter: true, build: pathTraversalProbes },
  command_injection: { name: 'OS command injection', tags: ['rce', 'cmdi', 'injection'], usesParameter: true, build: commandInjectionProbes },
  open_redirect: { name: 'Open redirect', tags: ['redirect'], usesParameter: true, build: openRedirectProbes },
  template_injection: { name: 'Server-side template injection', tags: ['ssti', 'injection'], usesParameter: true, build: templateInjectionProbes },
  sensitive_data: { name: 'Sensitive data exposure', tags: ['exposure', 'sensitive'], usesParameter: false, build: sensitiveDataProbes },
  missing_security_headers: { name: 'Missing security headers', tags: ['misconfig', 'headers'], usesParameter: false, build: securityHeaderProbes },
  directory_listing: { name: 'Directory listing', tags: ['exposure', 'listing'], usesParameter: false, build: directoryListingProbes },
  exposed_file: { name: 'Exposed file', tags: ['exposure', 'files'], usesParameter: false, build: exposedFileProbes },
  verbose_error: { name: 'Verbose error', tags: ['exposure', 'error'], usesParameter: false, build: verboseErrorProbes },
  bulk_personal_data: { name: 'Bulk personal data', tags: ['exposure', 'pii'], usesParameter: false, build: bulkPersonalDataProbes },
  cors_misconfiguration: { name: 'CORS misconfiguration', tags: ['misconfig', 'cors'], usesParameter: false, build: corsProbes },
  insecure_cookie: { name: 'Insecure session cookie', tags: ['misconfig', 'cookie'], usesParameter: false, build: insecureCookieProbes },
  jwt_weakness: { name: 'JWT weakness', tags: ['auth', 'jwt'], usesParameter: false, build: jwtWeaknessProbes },
  auth_bypass: { name: 'Authentication bypass', tags: ['auth', 'sqli', 'injection'], usesParameter: true, build: authBypassProbes },
  filter_bypass: { name: 'Extension filter bypass', tags: ['exposure', 'bypass'], usesParameter: false, build: filterBypassProbes },
};

const SEVERITIES: Record<string, TemplateSeverity> = {
  SEVERITY_INFO: 'info',
  SEVERITY_LOW: 'low',
  SEVERITY_MEDIUM: 'medium',
  SEVERITY_HIGH: 'high',
  SEVERITY_CRITICAL: 'critical',
};

function templateId(templateClass: TemplateClass, finding: Finding__Output): string {
  const digest = createHash('sha256').update(`${finding.finding_id}\n${finding.version}`).digest('hex').slice(0, 12);
  return `txprevent-${templateClass.replace(/_/g, '-')}-${digest}`;
}

function schemeOf(finding: Finding__Output): 'http' | 'https' {
  const scheme = (finding.scheme || (finding.exchange?.tls ? 'https' : 'http')).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw new RequestShapeError(`finding.scheme "${finding.scheme}" is not http or https`);
  return scheme;
}

function hostOf(finding: Finding__Output, request: ObservedRequest): string {
  const fromHeader = finding.exchange?.request?.headers.find((h) => h.name.toLowerCase() === 'host')?.value ?? '';
  const server = finding.exchange?.server;
  const host = finding.host || fromHeader || (server?.ip ? `${server.ip.includes(':') ? `[${server.ip}]` : server.ip}:${server.port}` : '');
  if (!host)
    throw new RequestShapeError(`finding.host is empty and the observed request ${request.method} ${request.path} has no Host header or server address`);
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host))
    throw new RequestShapeError(`finding.host "${host.slice(0, 100)}" is not a host name or address with an optional port`);
  return host;
}

/** Builds the scan template for a finding, or says why there is none. */
export function generateTemplate(finding: Finding__Output, options: GenerateOptions = {}): GenerationResult {
  const templateClass = templateClassFor(finding.finding_class, finding.cwe);
  if (!templateClass) {
    return { kind: 'unsupported', reason: `no scan template for finding class "${finding.finding_class}"${finding.cwe ? ` (${finding.cwe})` : ''}` };
  }
  const spec = CLASS_SPECS[templateClass];
  try {
    const request = observedRequest(finding);
    const scheme = schemeOf(finding);
    const host = hostOf(finding, request);
    const context: GenerationContext = {
      finding,
      request,
      point: spec.usesParameter ? injectionPoint(finding, request) : undefined,
      scheme,
      timeDelaySeconds: options.timeDelaySeconds ?? 2,
      canary: options.canary ?? randomCanary,
      integer: options.integer ?? randomInteger,
    };
    const probes = spec.build(context);
    const where = context.point ? ` (${context.point.describe})` : '';
    const template: ScanTemplate = {
      schema: TEMPLATE_SCHEMA,
      id: templateId(templateClass, finding),
      name: `${spec.name} in ${request.method} ${finding.endpoint || request.path.split('?')[0]}${where}`,
      description: `Confirms the passive finding ${finding.finding_id} (${finding.finding_class}) with targeted requests built from the observed traffic.`,
      severity: SEVERITIES[finding.severity] ?? 'info',
      tags: ['txprevent', ...spec.tags],
      cwe: finding.cwe || '',
      finding: {
        id: finding.finding_id,
        version: finding.version,
        class: finding.finding_class,
        template_class: templateClass,
        parameter: finding.parameter,
        parameter_location: finding.parameter_location,
        observed_status: finding.exchange?.response?.status ?? 0,
      },
      target: { scheme, host },
      probes,
    };
    return { kind: 'template', template, needsCredentials: request.hadCredentials };
  } catch (error) {
    if (error instanceof RequestShapeError) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}
