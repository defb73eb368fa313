/**
 * Which template a finding class gets. Analyzers name classes in many ways ("sql_error_disclosure",
 * "SQLi", "blind-sql-injection"), so names are normalised and matched by the words they contain,
 * then by CWE; the full table is in docs/sts.md.
 */
export type TemplateClass =
  | 'sql_injection'
  | 'reflected_xss'
  | 'path_traversal'
  | 'command_injection'
  | 'open_redirect'
  | 'template_injection'
  | 'sensitive_data'
  | 'missing_security_headers'
  | 'directory_listing'
  | 'exposed_file'
  | 'verbose_error'
  | 'bulk_personal_data'
  | 'cors_misconfiguration'
  | 'insecure_cookie'
  | 'jwt_weakness'
  | 'auth_bypass'
  | 'filter_bypass';

export const TEMPLATE_CLASSES: readonly TemplateClass[] = [
  'sql_injection',
  'reflected_xss',
  'path_traversal',
  'command_injection',
  'open_redirect',
  'template_injection',
  'sensitive_data',
  'missing_security_headers',
  'directory_listing',
  'exposed_file',
  'verbose_error',
  'bulk_personal_data',
  'cors_misconfiguration',
  'insecure_cookie',
  'jwt_weakness',
  'auth_bypass',
  'filter_bypass',
];

/** Ordered rules: the first whose pattern matches the normalised class name wins. */
export const CLASS_NAME_RULES: readonly (readonly [RegExp, TemplateClass | 'unsupported'])[] = [
  // Classes that sound alike but cannot be confirmed by a reflected request.
  [/(^|_)(stored|persistent|dom)_?(xss|cross_site)/, 'unsupported'],
  [/nosql|crlf|header_injection|response_splitting|host_header/, 'unsupported'],
  [/auth(entication)?_bypass|login_bypass/, 'auth_bypass'],
  [/filter_bypass|extension_bypass|null_byte/, 'filter_bypass'],
  [/directory_listing|dir_listing|directory_browsing|autoindex/, 'directory_listing'],
  [/exposed_file|backup_file|source_disclosure|vcs_exposure|git_exposure|config_exposure/, 'exposed_file'],
  [/bulk_personal|bulk_pii/, 'bulk_personal_data'],
  [/verbose_error|stack_trace|debug_error/, 'verbose_error'],
  [/cors/, 'cors_misconfiguration'],
  [/cookie/, 'insecure_cookie'],
  [/jwt|json_web_token/, 'jwt_weakness'],
  [/sql|sqli/, 'sql_injection'],
  [/(^|_)(xss|cross_site_scripting|html_injection|reflected_input)/, 'reflected_xss'],
  [/traversal|(^|_)lfi($|_)|file_inclusion|path_manipulation/, 'path_traversal'],
  [/command|cmdi|shell_injection|(^|_)rce($|_)/, 'command_injection'],
  [/redirect/, 'open_redirect'],
  [/ssti|template_injection|template_expression/, 'template_injection'],
  [/sensitive|secret|credential|(^|_)pii($|_)|personal_data|data_exposure|data_leak|api_key|private_key|password_hash/, 'sensitive_data'],
  [/header/, 'missing_security_headers'],
];

export const CWE_RULES: Readonly<Record<string, TemplateClass>> = {
  'CWE-89': 'sql_injection',
  'CWE-564': 'sql_injection',
  'CWE-79': 'reflected_xss',
  'CWE-80': 'reflected_xss',
  'CWE-22': 'path_traversal',
  'CWE-23': 'path_traversal',
  'CWE-36': 'path_traversal',
  'CWE-98': 'path_traversal',
  'CWE-77': 'command_injection',
  'CWE-78': 'command_injection',
  'CWE-601': 'open_redirect',
  'CWE-1336': 'template_injection',
  'CWE-200': 'sensitive_data',
  'CWE-209': 'verbose_error',
  'CWE-548': 'directory_listing',
  'CWE-538': 'exposed_file',
  'CWE-530': 'exposed_file',
  'CWE-942': 'cors_misconfiguration',
  'CWE-1004': 'insecure_cookie',
  'CWE-614': 'insecure_cookie',
  'CWE-347': 'jwt_weakness',
  'CWE-613': 'jwt_weakness',
  'CWE-287': 'auth_bypass',
  'CWE-158': 'filter_bypass',
  'CWE-321': 'sensitive_data',
  'CWE-916': 'sensitive_data',
  'CWE-312': 'sensitive_data',
  'CWE-359': 'sensitive_data',
  'CWE-693': 'missing_security_headers',
  'CWE-1021': 'missing_security_headers',
  'CWE-16': 'missing_security_headers',
};

export function normaliseClassName(name: string): string {
  // Every run of other characters is one "_" here, so at most one each side is left to trim.
  const joined = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  const start = joined.startsWith('_') ? 1 : 0;
  const end = joined.length > start && joined.endsWith('_') ? joined.length - 1 : joined.length;
  return joined.slice(start, end);
}

/** The template class for a finding class (and CWE), or undefined when there is none. */
export function templateClassFor(findingClass: string, cwe = ''): TemplateClass | undefined {
  const name = normaliseClassName(findingClass);
  for (const [pattern, result] of CLASS_NAME_RULES) {
    if (pattern.test(name)) return result === 'unsupported' ? undefined : result;
  }
  return CWE_RULES[cwe.trim().toUpperCase()];
}
