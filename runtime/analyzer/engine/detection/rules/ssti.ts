/**
 * Server-side template injection: arithmetic probes in each engine's delimiters, expressions that
 * reach runtime objects (Python, Java, .NET, Node, PHP, Ruby), and engine-specific directives.
 * Engines covered: Jinja2/Twig/Nunjucks/Tornado, FreeMarker, Velocity, Thymeleaf/SpEL, Java EL
 * and OGNL, ERB, Smarty, Handlebars/Mustache/doT, Dust, Mako, Pug/Jade, Razor, Go templates.
 */
import type { ReportRule, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, matchRegexRulesOnText, type RegexRule } from './regex-rule';

/** `7*7`, `7*'7'`, `1337+1`: the arithmetic a probe asks the engine to evaluate. */
const ARITHMETIC = String.raw`\s{0,10}['"]?\d{1,9}['"]?\s{0,10}[*+/%-]\s{0,10}['"]?\d{1,9}['"]?\s{0,10}`;

/**
 * A Pug code line: `- var x = ...` runs JavaScript, `= expr` and `!= expr` output it. A dash and
 * code (a declaration with `=`, `if (`, `each x in`), not a list item that starts with such a word.
 */
const PUG_CODE_LINE =
  /(?:^|\n)[ \t]{0,20}(?:-[ \t]{1,5}(?:(?:var|let|const)[ \t]{1,5}[\w$]{1,40}[ \t]{0,5}=|(?:if|while|for)[ \t]{0,5}\(|each[ \t]{1,5}[\w$]{1,40}(?:[ \t]{0,5},[ \t]{0,5}[\w$]{1,40})?[ \t]{1,5}in[ \t])|!?=[ \t])/;

/** Template delimiters of the engines above (one must be present for object-access rules). */
const DELIMITERS = new RegExp(
  // Python's str.format field reaching an attribute (`{user.__class__.__init__.__globals__}`) is one too.
  String.raw`\$[a-z_]\w{0,30}\.[a-z]|\{\{|\{%|\$\{|#\{|\*\{|@\{|~\{|<%|<#|\[#|\[=|@\(|#set\b|#foreach\b|#evaluate\b|\{\$|\{php\}|\{system|\{@|\{if\b|__\$\{|\{[a-z0-9_]{1,40}\.__[a-z]{2,12}__|` +
    PUG_CODE_LINE.source,
);

export const SSTI_RULES: readonly RegexRule[] = [
  {
    id: 700101,
    classification: 'TemplateInjection',
    state: 'Reconnaissance',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'TemplateAnalyzer: template expression probe',
    pattern: new RegExp(
      [
        String.raw`\{\{[=\-~]?${ARITHMETIC}[-~]?\}\}`, // Jinja2, Twig, Handlebars helpers, doT `{{=`, Go
        String.raw`\{%=?${ARITHMETIC}%\}`,
        String.raw`[$#*@~%]\{\s{0,10}\(?${ARITHMETIC}\)?\s{0,10}\}`, // FreeMarker, EL, Mako, Thymeleaf `*{}`, Pug `#{}`, OGNL `%{}` and `${(111+111)}`
        String.raw`\[\[?[=$]\{?${ARITHMETIC}\}?\]\]?`, // FreeMarker square syntax, Thymeleaf inlining
        String.raw`<%[=\-#]?${ARITHMETIC}[-=]?%>`, // ERB, EJS, JSP
        String.raw`@\(${ARITHMETIC}\)`, // Razor
        String.raw`\{\s{0,10}\d{1,9}\s{0,10}\*\s{0,10}\d{1,9}\s{0,10}\}`, // Smarty, Latte
        String.raw`\{\{\s{0,10}\d{1,9}\s{0,10}\|\s{0,10}(?:multiply|add|plus|times)\b`,
        String.raw`\{@math\s[^}]{0,100}method\s{0,5}=`, // Dust helpers
        // A Mustache or Dust section around nothing or a number (`{^xyz}1764{/xyz}`): what a probe
        // wraps its marker in. Sections around text are how these templates are written (an alert's
        // `{{#is_alert}}…{{/is_alert}}`, an e-mail's loops), in the tools that store them. An
        // inverted section right after a tag is a default value (Elasticsearch's search templates
        // write `{{size}}{{^size}}10{{/size}}`).
        String.raw`(?<!\{|\}\})\{\{?[#^][a-z]\w{0,30}\}\}?[\d\s]{0,20}\{\{?\/[a-z]\w{0,30}\}\}?`,
      ].join('|'),
    ),
  },
  {
    id: 700102,
    classification: 'TemplateInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'TemplateAnalyzer: template expression reaching runtime objects',
    pattern: new RegExp(
      [
        // Python (Jinja2, Mako, Tornado)
        String.raw`__(?:class|mro|subclasses|globals|builtins|import|init|base|bases|dict|getattribute|reduce)__`,
        String.raw`\|\s{0,5}attr\s{0,5}\(|\bgetattr\s{0,5}\(|\b(?:lipsum|cycler|joiner|namespace|url_for|get_flashed_messages)\s{0,5}\.\s{0,5}__|\brequest\.(?:application|environ|args\.|cookies\.|headers\.)|\bconfig\.(?:items|from_|__)`,
        String.raw`\.popen\s{0,5}\(|\bos\.(?:system|popen|exec)|\bsubprocess\b|\bself\.module\b|\b(?:import|from)\s{1,5}os\b`,
        // Java (FreeMarker, Velocity, Thymeleaf/SpEL, EL, OGNL)
        String.raw`\bgetruntime\s{0,5}\(|\bprocessbuilder\b|\bclass\.forname\b|\bforname\s{0,5}\(|\.getclass\s{0,5}\(|\.getclassloader\s{0,5}\(|\.getmethod\s{0,5}\(|\.getresource\s{0,5}\(|\.newinstance\s{0,5}\(|\bruntime\.exec\b|\bt\s{0,5}\(\s{0,5}java\.|\bnew\s{1,5}java\.|@java\.lang\.|java\.lang\.(?:runtime|system|processbuilder)`,
        String.raw`freemarker\.template\.utility|\?api\b|objectconstructor|#_memberaccess|@ognl|\$class\.inspect|\.class\.classloader`,
        // EL implicit objects (JSP, JSF) and FreeMarker special variables: the server's own state
        String.raw`[$#]\{\s{0,5}(?:pagecontext|applicationscope|sessionscope|requestscope|initparam|facescontext|servletcontext)\b|\$\{\s{0,5}\.(?:vars|data_model|globals|locals|main|namespace|current_namespace|template_name|main_template_name)\b`,
        // Node (Handlebars, Pug, Nunjucks, Angular expressions)
        String.raw`\bconstructor\.constructor\b|\.constructor\s{0,5}\(\s{0,5}['"]|\bchild_process\b|\.mainmodule\.require\b|\bexecsync\s{0,5}\(|\b(?:global|root)\.process\b|\bprocess\.(?:mainmodule|binding|env)\b|\brequire\s{0,5}\(\s{0,5}['"](?:child_process|fs)['"]`,
        // Twig, Smarty, PHP
        String.raw`\b_self\.env\b|registerundefinedfiltercallback|\bgetfilter\s{0,5}\(|\|\s{0,5}(?:filter|map|sort|reduce)\s{0,5}\(\s{0,5}['"](?:system|exec|passthru|shell_exec|popen)|smarty_internal_write_file|self::getstreamvariable|\$smarty\.(?:version|template)`,
        // Odoo's inline templates reaching its ORM as the superuser (`object.env['ir.config_parameter'].sudo()`)
        String.raw`\.env\s{0,3}\[\s{0,3}['"][a-z_.]{2,60}['"]\s{0,3}\]\s{0,3}\.\s{0,3}sudo\s{0,3}\(`,
        // Magento's `{{var this.getTemplateFilter().addAfterFilterCallback(system)...}}` (CVE-2022-24086)
        String.raw`\bgettemplatefilter\s{0,5}\(|\baddafterfiltercallback\s{0,5}\(`,
        String.raw`\$\{\s{0,5}@?\s{0,5}(?:print|system|exec|passthru|shell_exec|phpinfo|eval|assert|md5|file_get_contents|include|require)\s{0,5}\(`,
        // .NET (Razor) and Ruby (ERB, Slim)
        String.raw`\bsystem\.diagnostics\b|\bprocess\.start\s{0,5}\(|\bsystem\.io\.file\b|\bfile\.(?:read|open)\s{0,5}\(|\bio\.popen\b|\bkernel\.(?:exec|system)|%x\(|\bdir\.entries\b`,
        // Go templates calling a function value (`{{ call .Func }}`), or printing a whole struct (`%#v`,
        // `%+v`) or a secret's field: `define`, `template`, `index` and a number's `printf "%.2f"` make up
        // every Alertmanager and Grafana notification template
        String.raw`\{\{\s{0,5}call\s{1,5}[.$"]|\{\{\s{0,5}printf\s{1,5}"%[#+]v"|\{\{\s{0,5}printf\s{1,5}"[^"]{0,20}"\s{1,5}\.[\w.]{0,60}\b(?:config|env|secret|password|token|key|dsn|databaseurl)`,
        // Elixir (EEx), Deno and Bun (Eta, EJS), Rust (Tera): the process's environment, commands and files
        String.raw`\bsystem\s{0,3}\.\s{0,3}(?:get_env|cmd|shell)\s{0,3}\(|\bdeno\s{0,3}\.\s{0,3}(?:env|run|command|readtextfile|readfile)\b|\bbun\s{0,3}\.\s{0,3}(?:env|spawn|spawnsync|file)\b|\bget_env\s{0,3}\(\s{0,3}name\s{0,3}=|\b__tera_context\b`,
      ].join('|'),
    ),
    requires: DELIMITERS,
  },
  {
    id: 700103,
    classification: 'TemplateInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'TemplateAnalyzer: engine-specific directive',
    pattern: new RegExp(
      [
        String.raw`\{\{\s{0,5}<%|<%\[%['"]`,
        String.raw`\{\{\s{0,5}(?:config|self|settings|request|session|_self|_context|app|range\.constructor)\s{0,5}\}\}`,
        String.raw`\{\{[^{}]{0,100}\|\s{0,5}(?:system|exec|passthru|shell_exec|popen|file_excerpt)\s{0,5}(?:\}\}|\(|\|)`, // Twig filters that run commands or read files
        String.raw`\{\{\s{0,5}(?:dump\s{0,5}\(\s{0,5}(?:app|_context|_self)\b|app\.(?:request|session|user|environment|token)\b|settings\.[a-z_]{2,40}\s{0,5}\}\})`, // Twig globals, Django settings
        // A framework's secrets reached from a template variable (Tornado's `handler.settings`, Django's
        // message signer's key), and Go's whole context (`{{.}}`) as a value of its own
        String.raw`\{\{[^{}]{0,100}\b(?:handler\.settings|application\.settings|signer\.key|secret_key|cookie_secret)\b|^\s{0,3}\{\{\s{0,3}\.\s{0,3}\}\}\s{0,3}$`,
        // Not loops, assignments or filters (`{% for %}`, `{% set %}`, `<#list>`, `<#assign>`): every
        // template a CMS, e-mail or theme editor saves is made of them, and an injection through
        // them calls something named here or by the other rules.
        String.raw`\{%\s{0,10}(?:import|debug|load|include|extends|macro|sandbox|module|php|print|exec|python|code)\b`,
        // Liquid's `render` and Twig's `include()`/`source()` load a snippet by name, as every theme
        // does; one named up parent steps reads a file outside the templates (a key, a config).
        String.raw`\{%-?\s{0,10}(?:render|include_relative|embed|section)\s{1,5}['"][^'"\n]{0,200}?\.\.[\\/]|\{\{-?\s{0,10}(?:include|source)\s{0,5}\(\s{0,5}['"][^'"\n]{0,200}?\.\.[\\/]`,
        String.raw`\{\{\s{0,10}\[?['"][^'"{}]{0,40}['"]\]?\s{0,5}\|\s{0,5}(?:filter|map|reduce|sort)\s{0,5}\(`,
        String.raw`[<[]#(?:include|import|macro|function|setting|attempt|visit|recurse)\b|\?new\s{0,5}\(\s{0,5}\)|\?(?:eval|interpret)\b(?![\w=&-])`, // FreeMarker (a built-in, not a URL's query `?eval=`)
        String.raw`#set\s{0,10}\(\s{0,10}\$|#(?:foreach|evaluate|parse|include|define|macro)\s{0,10}\(`, // Velocity
        String.raw`__\$\{[^}]{1,200}\}__|\[\[\$\{|\[\(\$\{|~\{[^}]{1,100}::`, // Thymeleaf preprocessing, inlining, fragments
        String.raw`\{php\}|\{(?:system|exec|passthru|shell_exec|phpinfo|eval|include|fetch)\s{0,5}\(|\{if\s{1,5}(?:system|phpinfo|exec|passthru)\s{0,5}\(|\{\$smarty\b|\{literal\}|\{math\s{1,5}equation\s{0,5}=`, // Smarty
        String.raw`\{\{\s{0,5}#(?:with|each|if|unless|lookup|let)\s[^}]{0,100}(?:constructor|as\s{1,5}\|)|\{\{\s{0,5}lookup\s`, // Handlebars
        String.raw`<%!|<%\s{0,5}(?:import|namespace|include|inherit|page|def|block)\b`, // Mako, JSP
        String.raw`<%=?\s{0,10}(?:system|exec|eval|spawn|io\.popen|open|require|file\.|dir\.|\x60|%x|env\b|process\.|global\.)`, // ERB, EJS
        String.raw`@\{[^}]{0,200}\bsystem\.|@system\.[a-z]`, // Razor
        String.raw`#\{\s{0,10}(?:function\s{0,5}\(|global\.|root\.|process\.|require\s{0,5}\()`, // Pug
      ].join('|'),
    ),
  },
];

/**
 * A whole value that multiplies a number by itself (`7*7`, `42*42`, `1337*'1337'`): the evaluation
 * probe sent where the input already lands inside an expression, so no delimiter is needed. A
 * square, not any product: sizes and ratios (`1920*1080`) are products of different numbers.
 */
export const BARE_SQUARE_PROBE: Rule = {
  id: 700104,
  classification: 'TemplateInjection',
  state: 'Reconnaissance',
  risk: 50,
  severity: 'critical',
  confidence: 'high',
  description: 'TemplateAnalyzer: value that is an arithmetic evaluation probe (a number times itself)',
};
const BARE_SQUARE = /^\s{0,3}(['"]?)(\d{1,9})\1\s{0,3}\*\s{0,3}(['"]?)(\d{1,9})\3\s{0,3}$/;

function isBareSquareProbe(lower: string): boolean {
  const m = BARE_SQUARE.exec(lower);
  return m !== null && m[2] === m[4] && Number(m[2]) >= 2;
}

/**
 * ServiceNow's Jelly (`<j:jelly xmlns:j="jelly:core" xmlns:g="glide"><g:evaluate>…`) in a value
 * that is no template of its own, such as a page title the login page renders through Jelly twice
 * (CVE-2024-4879, `jvar_page_title=<style><j:jelly …>`): `g:evaluate` runs server-side script. A
 * UI page or macro an administrator saves opens with its `<j:jelly>` element (after an XML
 * declaration), so the markup is its own.
 */
export const JELLY_INJECTION: Rule = {
  id: 700105,
  classification: 'TemplateInjection',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  description: 'TemplateAnalyzer: Jelly template markup (j:jelly, g:evaluate) after other text in a value (ServiceNow template injection)',
};
const JELLY_TAG = /<(?:j|g2?):(?:jelly|evaluate)\b/;
const OPENS_AS_JELLY_DOCUMENT = /^\s{0,10}(?:<\?xml[^>]{0,200}\?>\s{0,10})?<j:jelly\b/;

/** A cheap look before the patterns: most values with a colon are URLs and times. */
function mentionsJelly(lower: string): boolean {
  return lower.indexOf(':jelly') >= 0 || lower.indexOf(':evaluate') >= 0;
}

function injectsJelly(lower: string): boolean {
  return JELLY_TAG.test(lower) && !OPENS_AS_JELLY_DOCUMENT.test(lower);
}

/**
 * Holds something every alternative of the rules above cannot match without (a test checks the
 * rules' own examples reach them through it): a delimiter, a directive or a FreeMarker built-in.
 */
/** String literals joined by `+` or Jinja's `~`. */
const STRING_JOINT = /['"]\s{0,5}[+~]\s{0,5}['"]/g;

const PREFILTER =
  /\{\{|\{%|[$#*@~%]\{|<%|[<[]#|@\(|#(?:set|foreach|evaluate|parse|include|define|macro)|\{php\}|\{[$@]|\{\s{0,10}\d|\{(?:system|exec|passthru|shell_exec|phpinfo|eval|include|fetch|if|literal|math|#|\^)|\[\[|\[\(|\[[=$]|@system\.|\$[a-z_]\w{0,30}\.[a-z]|\?(?:new|eval|interpret)\b|\{[a-z0-9_]{1,40}\.__[a-z]{2,12}__/;

export const templateInjectionPack: RulePack = {
  name: 'ssti',
  classification: 'TemplateInjection',
  rules: [...SSTI_RULES, BARE_SQUARE_PROBE, JELLY_INJECTION],
  prefilter: (v) => PREFILTER.test(v.lower) || BARE_SQUARE.test(v.lower) || PUG_CODE_LINE.test(v.lower) || mentionsJelly(v.lower),
  inspect: (v: InspectedValue, report: ReportRule) => {
    matchRegexRules(SSTI_RULES, v, report);
    if (isBareSquareProbe(v.lower)) report(BARE_SQUARE_PROBE);
    if (mentionsJelly(v.lower) && injectsJelly(v.lower)) report(JELLY_INJECTION);
    // Names spelled in joined pieces (`lipsum['__glo'+'bals__']`, Jinja's `~`): read once joined.
    if (v.lower.indexOf('+') < 0 && v.lower.indexOf('~') < 0) return;
    const joined = v.lower.replace(STRING_JOINT, '');
    if (joined !== v.lower) matchRegexRulesOnText(SSTI_RULES, joined, report);
  },
};
