/**
 * Cross-site scripting: markup read as the browser's tokenizer reads it (script elements, event
 * handlers, script and active `data:` URLs, embedded content, CSS that runs code, attribute and
 * raw-text break-outs; ../html), JavaScript-context break-outs and indirect calls of script sinks,
 * and patterns for legacy and obfuscated forms (UTF-7, 7-bit stripping, split words).
 */
import { decodeUtf7, mayBeUtf7 } from '../decode';
import { EVENT_HANDLER_NAMES, HTML_ELEMENTS, localName, markupEffects, MarkupEffect, PLAYER_EMBED_ADDRESS, SCRIPT_EFFECTS } from '../html';
import type { Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';

const EVENT_HANDLERS = [...EVENT_HANDLER_NAMES].join('|');

export const XSS_RULES: readonly RegexRule[] = [
  {
    id: 200101,
    needs: ['<script', '</script'],
    classification: 'Xss',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: script element',
    pattern: /<script\b|<\/script\s{0,10}>/,
  },
  {
    id: 200102,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: event handler attribute',
    // Junk between a handler's name and "=" (`onload!#$%&()*~+-_.,:;?@[/|\]^\`=alert(1)`) shows
    // the intent even where a browser would split it into other attribute names.
    pattern: new RegExp(String.raw`[\s/"'\x60;]on(?:${EVENT_HANDLERS})(?:[^\w=>\s]|_){0,40}=`),
    requires: /<[a-z!/?]|['"\x60]\s{0,10}\/?\s{0,10}on[a-z]{3,40}\s{0,10}=/,
  },
  {
    id: 200110,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: event-handler-like attribute that calls code',
    pattern: /[\s/"'\x60;]on[a-z]{4,40}\s{0,10}=\s{0,10}['"\x60]?\s{0,10}[a-z_$][\w$.]{0,40}\s{0,10}[(\x60]/,
    requires: /<[a-z]/,
  },
  {
    id: 200111,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: meta refresh, link or UTF-7 charset injection',
    pattern: /<meta\b/,
    requires: /http-equiv\s{0,5}=\s{0,5}['"]?\s{0,5}(?:refresh|link|set-cookie)\b|charset\s{0,5}=\s{0,5}['"]?utf-7/,
  },
  {
    id: 200112,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: style element importing or running code',
    pattern: /<style\b/,
    requires: /@import\b|-moz-binding|behavior\s{0,5}:|expression\s{0,5}\(|javascript\s{0,5}:/,
  },
  {
    id: 200113,
    needs: ['adw-', '\xbc', '1/4', '\ufffd'],
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: markup in UTF-7 or 7-bit-stripped form',
    // 7-bit stripping turns ¼ (0xBC) into "<" and ¾ (0xBE) into ">"; the decoding layer folds them
    // to "1/4" and "3/4" (NFKC) or, as invalid UTF-8, to U+FFFD.
    pattern:
      /(?:^|[\s+])adw-\s{0,3}\/?(?:script|img|svg|iframe|body|meta|style)\b|(?:\xbc|1\/4|\ufffd)\/?(?:script|img|svg|iframe|body|style|object|embed)(?![a-z])[^<>\n]{0,200}?(?:\xbe|3\/4|\ufffd)/,
  },
  {
    id: 200114,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 60,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: JavaScript entity',
    pattern: /&\{\s{0,10}[a-z_$][\w$.]{0,40}\s{0,10}\(/,
  },
  {
    id: 200104,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: active content element',
    // The element with what it loads: a bare `<object>` in text ("#<Object>") loads nothing.
    // IE's `<?import implementation=...htc>` binds elements to a script behaviour; an
    // `<?xml-stylesheet href=…>` makes the page an XSLT transform that can emit script.
    // A video, map or audio player's embed address is what rich-text editors insert (a CMS post
    // with a YouTube video); another attribute of the same element still counts.
    pattern: new RegExp(
      String.raw`<(?:iframe|frame|frameset|object|embed|applet|isindex|bgsound|layer|ilayer|import|portal)[\s/][^>]{0,200}?\b(?:src|srcdoc|data|code|codebase|classid|movie|action|formaction|href)\s{0,5}=(?!\s{0,5}["']?${PLAYER_EMBED_ADDRESS})|<\?import\b[^>]{0,200}\bimplementation\s{0,5}=|<\?xml-stylesheet\b[^>]{0,200}?\bhref\s{0,5}=`,
    ),
  },
  {
    id: 200105,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: active data URI',
    // Not image/svg+xml: SVG data URIs are everyday icons, and only run script as a document,
    // which the active-element rule catches.
    pattern: /\bdata\s{0,10}:\s{0,10}(?:text\/html|application\/(?:x-)?javascript|text\/javascript)(?:\s{0,10}[;,]|\s{1,10}base64\b)/,
  },
  {
    id: 200106,
    needs: [
      'alert',
      'prompt',
      'confirm',
      'eval',
      'print',
      'settimeout',
      'setinterval',
      'execscript',
      'fetch',
      'import',
      'atob',
      'document.write',
      'window.open',
      'function',
    ],
    classification: 'Xss',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: JavaScript string break-out',
    // A string closed, a statement or operator, then a script sink: `';alert(1)//`, `"-confirm(1)-"`,
    // `"}};top.alert(1)//`; and the sinks with the arguments payloads give them (not a string: a
    // snippet such as `alert('Hello')` in a post is text about code). A colon that ends its line opens
    // a Python block (`if __name__ == '__main__':⏎    print(...)`), no JavaScript expression.
    pattern:
      /['"`][\s)\]};]{0,8}(?:[-+*/%;,|&^?]{1,2}|[-+*/%;,|&^?]?:(?![ \t]{0,5}[\r\n])|\binstanceof\b|\bin\b)\s{0,5}(?:new\s{1,5})?(?:(?:window|top|self|parent|this|globalthis|frames|document)\s{0,3}\.\s{0,3})?(?:alert|prompt|confirm|eval|print|settimeout|setinterval|execscript|fetch|import|atob|document\.write(?:ln)?|window\.open|function)\s{0,5}[(`]|\balert\s{0,5}(?:\(\s{0,5}(?:\d|document|window|top|self|parent|this|location|string\.|atob|[`/[]|[a-z_$][\w$]{1,30}\s{0,5}\.)|`)|\b(?:prompt|confirm)\s{0,5}(?:\(\s{0,5}(?:\d|document|window|location|[`/[])|`)/,
  },
  {
    id: 200118,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: script sink called indirectly or built from pieces',
    // `alert.call(null,1)`, `(alert)(1)`, `[1].some(confirm)`, `alert?.()`, `alert\`1\``,
    // `top['al'+'ert'](1)`, `Function('...')()`, `[].constructor.constructor(...)`, `throw onerror=alert`,
    // `window.onerror=alert`.
    pattern:
      /\b(?:alert|prompt|confirm|eval)\s{0,5}(?:\.\s{0,5}(?:call|apply|bind)\s{0,5}\(|\?\.\s{0,5}\(|\\{0,2}`)|\(\s{0,5}(?:alert|prompt|confirm|eval)\s{0,5}\)\s{0,5}[(`]|\.\s{0,3}(?:map|some|every|find|filter|foreach|reduce|then|catch|finally|call|apply)\s{0,5}\(\s{0,5}(?:alert|prompt|confirm|eval)\s{0,5}[,)]|\b(?:window|top|self|parent|this|globalthis|frames)\s{0,3}\[[^\]]{1,80}\]\s{0,5}[(`]|\bfunction\s{0,5}\(\s{0,5}['"`][^'"`]{1,200}['"`]\s{0,5}\)\s{0,5}\(|\bconstructor\s{0,5}(?:\.\s{0,5}|\[\s{0,5}['"`]\s{0,5})constructor\b|(?:^|[{;(,.]|\bthrow)\s{0,5}onerror\s{0,5}=\s{0,5}(?:alert|prompt|confirm|eval)\b|\b(?:settimeout|setinterval|eval|function)\s{0,5}\(\s{0,5}(?:location|name\b|document\.(?:cookie|url|referrer)|atob\s{0,5}\(|unescape\s{0,5}\(|decodeuri)|\blocation(?:\.href)?\s{0,5}=\s{0,5}(?:name\b|['"`]\s{0,5}(?:java|vb)script:)/,
  },
  {
    id: 200141,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: script sink given another name and called by it (`x=alert,x(1)`)',
    // The same name assigned and called: `type=prompt, label(optional)` is a form's text.
    pattern: /(?:^|[^\w$])([a-z_$][\w$]{0,29})\s{0,5}=\s{0,5}(?:alert|prompt|confirm|eval)\s{0,5}[,;]\s{0,5}\1\s{0,5}[(`]/,
  },
  {
    id: 200119,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: template literal running a script sink',
    pattern: /\$\{\s{0,5}(?:(?:window|top|self|this|document)\s{0,3}\.\s{0,3})?(?:alert|prompt|confirm|eval|settimeout|fetch|import)\s{0,5}[(`]/,
  },
  {
    id: 200124,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: character reference split by a tag (`&<wbr>#106`)',
    // Old parsers dropped the tag and read the reference; no writer splits one.
    pattern: /&(?:<[a-z]{1,10}\s{0,3}\/?>){1,3}#x?[0-9a-f]/,
  },
  {
    id: 200125,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: JavaScript statement or tautology after a string break-out',
    // `'; return this; var d='`, `' || this.version || '`, `' || '1'=='1` (server-side JS such as
    // a document database's where clause, or a script block echoing the value).
    pattern:
      /['"`]\s{0,5}\)?\s{0,5}(?:;|\|\||&&)\s{0,5}(?:return\s{1,5}(?:this\b|true\b|false\b|\d|[\w$.]{1,40}\s{0,3}\()|(?:var|let|const)\s{1,5}[\w$]{1,40}\s{0,5}=\s{0,5}['"`]|this\b(?:\s{0,3}\.\s{0,3}[\w$]{1,40}){0,3}\s{0,5}(?:\|\||&&|;)|['"`][\w$]{1,20}['"`]\s{0,3}[!=]==?\s{0,3}['"`])/,
  },
  {
    id: 200126,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: JavaScript function literal in a value',
    pattern: /\bfunction\s{0,5}\(\s{0,5}\)\s{0,5}\{\s{0,5}return\b/,
  },
  {
    id: 200107,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: CSS script execution',
    pattern: /[:=]\s{0,10}expression\s{0,10}\(|-moz-binding\s{0,10}:|\bbehavior\s{0,10}:\s{0,10}url\s{0,10}\(/,
  },
  {
    id: 200108,
    needs: ['document', 'window.location', '.innerhtml', 'string.fromcharcode', 'eval'],
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: DOM access from injected code',
    // Cookie and domain as code uses them (an argument, an operand), not prose naming them.
    pattern:
      /[(=+,:[]\s{0,5}document\s{0,3}(?:\.\s{0,3}|\[\s{0,3}['"`])(?:cookie|domain)|\bdocument\s{0,3}(?:\.\s{0,3}(?:cookie|domain)|\[\s{0,3}['"`](?:cookie|domain)['"`]\s{0,3}\])\s{0,5}(?:[);+,\]}]|$)|\bdocument\s{0,3}\.\s{0,3}write(?:ln)?\s{0,5}\(|\bwindow\.location\s{0,5}=|\.innerhtml\s{0,5}=|\bstring\.fromcharcode\s{0,5}\(|\beval\s{0,5}\(\s{0,5}(?:atob|unescape|string\.fromcharcode|location|name|eval|document|window|top|this)\b/,
  },
  {
    id: 200129,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: browser-local or protocol-handler URL (res://, mhtml:, ms-its:, firefoxurl:, hcp://)',
    // Schemes that reach a browser's local resources or hand the URL to a program: `res://` pages
    // of IE's DLLs (probing installed software, script in the fragment), MHTML/CHM archives read
    // across zones, the Firefox and Netscape command-line handlers (`firefoxurl:x" -chrome
    // "javascript:…`), the Windows Help Center. No web application takes such a URL as input.
    pattern:
      /(?:^|[\s=('"`<>;,])(?:res:\/\/(?:[a-z]:|[^\s/]{1,100}\.(?:dll|exe|cpl|ocx)\b)|mhtml:(?:file|https?|ftp):|(?:ms-its|mk:@msitstore):[a-z0-9/\\]|(?:firefoxurl|navigatorurl):[^\s]|hcp:\/\/[^\s])/,
  },
  {
    id: 200130,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: JavaScript written without letters (JSFuck, jjencode, aaencode)',
    // The building blocks of letter-free JavaScript: a letter taken from the string of a coerced
    // value (`(![]+[])[+[]]` is "f", `({}+"")[` is "[object Object]"), numbers counted from empty
    // arrays (`!+[]+!+[]`), jjencode's `$=~[]`, aaencode's `ﾟωﾟﾉ=` and its face-named variables
    // used as code (`(ﾟДﾟ)[…]`, `c=(ﾟΘﾟ)=(ﾟｰﾟ)`; the same faces in a chat message are text).
    pattern:
      /\(\s{0,3}(?:!{1,2}\s{0,3}\[\s{0,3}\]|\{\s{0,3}\}|\[\s{0,3}\]\s{0,3}\[\s{0,3}\[\s{0,3}\]\s{0,3}\])\s{0,3}\+\s{0,3}(?:\[\s{0,3}\]|""|'')\s{0,3}\)\s{0,3}\[|!\s{0,3}\+\s{0,3}\[\s{0,3}\]\s{0,3}\+\s{0,3}!\s{0,3}\+\s{0,3}\[\s{0,3}\]|(?:^|[;,{(\s])[$_]{1,3}\s{0,3}=\s{0,3}~\s{0,3}\[\s{0,3}\]|\((?:\uff9f|\u309a)[\u03b8\u0434\u30fc\u03c9\u03b5\uff70](?:\uff9f|\u309a)\)\s{0,3}(?:\[|=\s{0,3}\()|(?:\uff9f|\u309a)\u03c9(?:\uff9f|\u309a)[\uff89\u30ce]\s{0,3}=/,
  },
  {
    id: 200131,
    needs: ['function', 'settimeout', 'setinterval', 'setimmediate', 'eval', 'execscript', 'alert', 'prompt', 'confirm', 'tostring', 'location'],
    classification: 'Xss',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: code sink fed a string built from pieces, or reached by an indirect call',
    // `Function('ale'+'rt(1)')()`, `setTimeout("al"+"ert(1)")` (literals joined only to hide a
    // word), `(0,alert)(1)` and `(1,eval)(…)` (the comma operator's indirect call), a word or
    // letter spelt as a number literal in base 25 or more (`8680439..toString(30)` is "alert",
    // `30..toString(36)` is "u"; real code converts variables, not literals), and navigations to a
    // decoded string (`location=atob(…)`).
    pattern:
      /\b(?:function|settimeout|setinterval|setimmediate|eval|execscript)\s{0,5}\(\s{0,5}['"`][^'"`\n]{0,60}['"`]\s{0,5}\+\s{0,5}['"`]|\(\s{0,5}[\w'".]{1,10}\s{0,5},\s{0,5}(?:(?:window|top|self|parent|globalthis)\s{0,3}\.\s{0,3})?(?:alert|prompt|confirm|eval|function)\s{0,5}\)\s{0,5}[(`]|(?:\d{1,15}\s{0,3}\.\.|\(\s{0,3}\d{4,15}\s{0,3}\)\s{0,3}\.|\d{4,15}\s{0,3}\.\s)\s{0,3}tostring\s{0,3}\(\s{0,3}(?:2[5-9]|3[0-6])\s{0,3}\)|\blocation(?:\s{0,3}\.\s{0,3}(?:href|hash|search))?\s{0,5}=\s{0,5}(?:atob|unescape|decodeuri(?:component)?|string\.fromcharcode)\s{0,5}\(/,
  },
  {
    id: 200132,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 65,
    severity: 'error',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: scope tricks and remote script loading from injected code',
    // `with(document)write(…)` reaches page globals without naming them (a statement must follow:
    // "with (window) cleaning" is prose), `__parent__` climbed to
    // the window in old Gecko; `import('//host/x.js')` and jQuery's `$.getScript` load a remote
    // script. Real code does these rarely, in bundles rather than in request values: 4 points,
    // alerting at level 1 together with other evidence.
    pattern:
      /\bwith\s{0,5}\(\s{0,5}(?:document|window|top|self|frames|globalthis)\s{0,5}\)\s{0,5}(?:\{|[\w$]{1,40}\s{0,3}[.([=])|\b__parent__\b|\bimport\s{0,5}\(\s{0,5}['"`]\s{0,5}(?:(?:https?|data|blob)\s{0,3}:|\/\/)|(?:\$|\bjquery)\s{0,3}\.\s{0,3}(?:getscript|globaleval)\s{0,5}\(/,
  },
  {
    id: 200133,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 30,
    severity: 'notice',
    confidence: 'medium',
    form: 'compact',
    description: 'XssAnalyzer: script building blocks in a value (element created and loaded, regular-expression text joined)',
    // Pages' own loaders do exactly this (`createElement('script')…s.src=`), and benign bodies carry
    // page snippets: corroboration only, never alerting alone at any level.
    pattern:
      /\bcreateelement\s{0,5}\([^)]{0,40}\)[^\n]{0,200}?(?:\.\s{0,3}src\s{0,5}=|\.\s{0,3}appendchild\s{0,5}\()|\/[^/\s]{1,20}\/\s{0,3}\.\s{0,3}source\s{0,5}\+|\+\s{0,5}\/[^/\s]{1,20}\/\s{0,3}\.\s{0,3}source\b/,
  },
  {
    id: 200134,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 55,
    severity: 'error',
    confidence: 'high',
    form: 'compact',
    description: 'XssAnalyzer: script tag spaced out for filters that remove whitespace (`< script >`)',
    // Browsers do not read `< script` as a tag; a filter or template that drops spaces does.
    pattern: /<\s{1,5}\/?\s{0,5}script\b[^<>]{0,60}>|<\/\s{1,5}script\s{0,5}>/,
  },
  {
    id: 200135,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'XssAnalyzer: script sink call that ends a tag (the tail of an unquoted event handler)',
    // `…onerror=alert("x")>`, `onfocus=go(1)>`: the call is an attribute value the `>` closes;
    // text about code never closes a tag after the call.
    pattern: new RegExp(
      String.raw`\b(?:alert|prompt|confirm|eval|settimeout)\s{0,5}\([^()<>\n]{0,100}\)\s{0,5}['"]?\s{0,5}\/?>|(?:^|[\s/"'\x60;])on(?:${EVENT_HANDLERS})\s{0,5}=[^<>\n=]{0,80}\)\s{0,5}['"]?\s{0,5}\/?>`,
    ),
  },
  {
    id: 200138,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 35,
    severity: 'warning',
    confidence: 'medium',
    form: 'compact',
    description: 'XssAnalyzer: CSS in injected markup loading an SVG document (`style=…url(x.svg#a)`, an SVG font)',
    // Legacy engines (Opera before Blink) ran the script of an SVG document a style sheet referenced
    // as a background, mask, marker, clip path, filter or font. Today it loads as an image, and
    // pages reference SVG icons this way: corroboration, alerting from level 2 together with the markup.
    pattern: /\burl\s{0,5}\(\s{0,5}['"]?[^)'"\s]{0,200}\.svgz?(?:[#?][^)'"\s]{0,100})?\s{0,5}['"]?\s{0,5}\)/,
    requires: /<style\b|<[a-z][^<>]{0,400}\bstyle\s{0,5}=/,
  },
  {
    id: 200143,
    classification: 'Xss',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    form: 'compact',
    description: "XssAnalyzer: style rule matching a field's value by its first characters and loading a URL (CSS exfiltration of a token)",
    // `input[name=csrf][value^=a]{background:url(//x/a)}`: one rule per guess, each fetching the
    // attacker's URL when the page's field starts that way. Site style sheets select on what a
    // value is (`[value="1"]`), never on how it starts, and load nothing for it.
    pattern: /\[\s{0,5}value\s{0,5}[\^$*]=[^\]{}]{0,100}\][^{}]{0,100}\{[^{}]{0,300}\burl\s{0,5}\(/,
  },
];

/** Rules the markup reader reports (../html), by the effect they stand for. */
const SCRIPT_URL_RULE: Rule = {
  id: 200103,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description: 'XssAnalyzer: script URI',
};
const EVASIVE_SYNTAX_RULE: Rule = {
  id: 200120,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 60,
  severity: 'error',
  confidence: 'high',
  description: 'XssAnalyzer: tag in filter-evasion syntax (`<img/src=…>`, back-quoted value, junk after a handler name)',
};
const DOM_CLOBBERING_RULE: Rule = {
  id: 200121,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 65,
  severity: 'critical',
  confidence: 'high',
  description: 'XssAnalyzer: element named after a DOM property page scripts read (DOM clobbering)',
};
const DANGLING_MARKUP_RULE: Rule = {
  id: 200122,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 60,
  severity: 'error',
  confidence: 'high',
  description: 'XssAnalyzer: resource URL left open to carry the page after it (dangling markup)',
};
const TAG_SPLIT_RULE: Rule = {
  id: 200123,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description: 'XssAnalyzer: markup that runs script once a filter strips the tags splitting its words',
};
const ATTRIBUTE_BREAKOUT_RULE: Rule = {
  id: 200115,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description: 'XssAnalyzer: attribute break-out adding an event handler or script style',
};
const RAW_TEXT_BREAKOUT_RULE: Rule = {
  id: 200116,
  classification: 'Xss',
  state: 'Reconnaissance',
  risk: 40,
  severity: 'warning',
  confidence: 'medium',
  description: 'XssAnalyzer: end tag of a raw-text element (textarea, title, style) to leave it',
};
const FORM_FIELD_HIJACK_RULE: Rule = {
  id: 200127,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 60,
  severity: 'error',
  confidence: 'high',
  description: 'XssAnalyzer: form control whose dirname names another field (field overwrite or exfiltration on submit)',
};
const REPETITION_TEMPLATE_RULE: Rule = {
  id: 200128,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 40,
  severity: 'warning',
  confidence: 'high',
  description: 'XssAnalyzer: Web Forms 2.0 repetition template (legacy engine cloning an element, denial of service)',
};
const BACKTRACKING_PATTERN_RULE: Rule = {
  id: 200139,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 35,
  severity: 'warning',
  confidence: 'medium',
  description: 'XssAnalyzer: form control whose validation pattern backtracks exponentially (client-side denial of service)',
};
const CODE_HIDING_RULE: Rule = {
  id: 200136,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 60,
  severity: 'error',
  confidence: 'high',
  description: 'XssAnalyzer: JavaScript hiding what it builds (constant ternary over string pieces, regex literals compared, number literal called)',
};
const CODE_HIDING_REPEATED_RULE: Rule = {
  id: 200137,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 75,
  severity: 'critical',
  confidence: 'high',
  description: 'XssAnalyzer: JavaScript hiding what it builds, repeatedly (an obfuscator assembling a string or condition piece by piece)',
};
const MARKUP_RULE: Rule = {
  id: 200117,
  classification: 'Xss',
  state: 'Reconnaissance',
  risk: 30,
  severity: 'notice',
  confidence: 'high',
  description: 'XssAnalyzer: HTML markup injection',
};
const PAGE_STRUCTURE_RULE: Rule = {
  id: 200140,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 50,
  severity: 'critical',
  confidence: 'high',
  description: 'XssAnalyzer: page-structure markup injection (document, style, meta, base, form, SVG, frame or plug-in tags)',
};

const TAG_EXIT_MARKUP_RULE: Rule = {
  id: 200142,
  classification: 'Xss',
  state: 'Exploitation',
  risk: 60,
  severity: 'error',
  confidence: 'high',
  description: 'XssAnalyzer: attribute value and tag closed, then markup added (`"><b>`)',
};

const byId = (id: number): Rule => XSS_RULES.find((r) => r.id === id) as Rule;
const EFFECT_RULES: ReadonlyArray<readonly [number, Rule]> = [
  [MarkupEffect.ScriptElement, byId(200101)],
  [MarkupEffect.EventHandler, byId(200102)],
  [MarkupEffect.ScriptUrl, SCRIPT_URL_RULE],
  [MarkupEffect.EmbeddedContent, byId(200104)],
  [MarkupEffect.ActiveDataUrl, byId(200105)],
  [MarkupEffect.StyleCode, byId(200107)],
  [MarkupEffect.AttributeBreakout, ATTRIBUTE_BREAKOUT_RULE],
  [MarkupEffect.RawTextBreakout, RAW_TEXT_BREAKOUT_RULE],
  [MarkupEffect.Markup, MARKUP_RULE],
  [MarkupEffect.EvasiveSyntax, EVASIVE_SYNTAX_RULE],
  [MarkupEffect.DomClobbering, DOM_CLOBBERING_RULE],
  [MarkupEffect.DanglingMarkup, DANGLING_MARKUP_RULE],
  [MarkupEffect.FormFieldHijack, FORM_FIELD_HIJACK_RULE],
  [MarkupEffect.RepetitionTemplate, REPETITION_TEMPLATE_RULE],
  [MarkupEffect.BacktrackingPattern, BACKTRACKING_PATTERN_RULE],
  [MarkupEffect.PageStructure, PAGE_STRUCTURE_RULE],
  [MarkupEffect.TagExitMarkup, TAG_EXIT_MARKUP_RULE],
];
const UTF7_RULE = byId(200113);

/**
 * A script URL where a URL is read: the whole value, an attribute or parameter value (`=`), a CSS
 * `url(`, after a `;` (a split tag's leftovers: `<img 6;javascript:…>`); not inside other text such as a JSON document describing a page's links. Compact form:
 * browsers drop tabs and newlines in URLs.
 */
const SCRIPT_URL_IN_TEXT =
  /(?:^|[=(\s>[;]|[=(]\s{0,5}['"`]{1,2})[\x00-\x20]{0,10}(?:java|vb|live)script\s{0,10}:\s{0,10}(\/\/|\/\*|[\w$.[\]'"]{1,80}\s{0,10}[(`=][^\s'"]{0,10})/g;
/**
 * The no-op links pages are full of (`javascript:void(0)`), and ServiceNow's encoded queries, whose
 * `javascript:gs.getUserID()` is a server-side GlideSystem call (no browser defines `gs`).
 */
const NO_OP_SCRIPT = /^void\s{0,3}\(\s{0,3}0\s{0,3}\)[;\s]{0,3}$|^void\s{0,3}\($|^gs\.[a-z0-9_]{2,60}\(/;

function scriptUrlInText(compact: string): boolean {
  if (compact.indexOf('script') < 0) return false;
  SCRIPT_URL_IN_TEXT.lastIndex = 0;
  for (let m = SCRIPT_URL_IN_TEXT.exec(compact), n = 0; m !== null && n < 16; m = SCRIPT_URL_IN_TEXT.exec(compact), n++) {
    if (!NO_OP_SCRIPT.test(m[1])) return true;
  }
  return false;
}

/**
 * A short tag inside a word (`o<x>nfocus`, `alert<x>(1)`): filters that strip tags join the word
 * again, so the text is read once more without them.
 */
const TAG_IN_WORD = /([a-z])<\/?[a-z][a-z0-9]{0,10}\s{0,3}\/?>(?=[a-z(])/g;

function tagsStripped(lower: string): string | undefined {
  TAG_IN_WORD.lastIndex = 0;
  if (!TAG_IN_WORD.test(lower)) return undefined;
  TAG_IN_WORD.lastIndex = 0;
  return lower.replace(TAG_IN_WORD, '$1');
}

function reportEffects(effects: number, report: (rule: Rule) => void): void {
  for (const [effect, rule] of EFFECT_RULES) if ((effects & effect) !== 0) report(rule);
}

/**
 * In a random-token blob (bot-detection sensor data) `<`, `/`, `=` and back quotes fall together
 * by chance: only markup that runs script counts there, not the weaker signs of intent.
 */
const BLOB_EFFECTS = SCRIPT_EFFECTS;

/**
 * A value that is itself a JSON document (`{"…`, `[{…`): markup in it is a string field of data a
 * client serialised (a DOM snapshot in bot-detection telemetry, a product card in an analytics
 * event, JSON-LD), so markup that runs nothing is no sign of injection there.
 */
const JSON_DOCUMENT_START = /^\s{0,20}[[{]\s{0,20}["[{]/;

/**
 * JavaScript written to hide what it builds, idioms no compiler or minifier emits: a ternary on a
 * constant choosing between string pieces (`0?'':'ale'`), regular-expression literals compared as
 * an operand and condition (`=/s/!=/s/?`, always true), a number literal indexed and called (`0[x](y)`).
 */
const CODE_HIDING =
  /(?:^|[^\w$.])(?:[01]|!0|!1|true|false)\s{0,3}\?\s{0,3}(['"`])[^'"`\n]{0,40}\1\s{0,3}:\s{0,3}['"`]|[=(,;:?&|!]\s{0,3}\/[^/\s]{1,20}\/\s{0,3}[!=]==?\s{0,3}\/[^/\s]{1,20}\/\s{0,3}[?)&|]|(?:^|[\s;{(,=!&|?:])\d{1,3}\s{0,3}\[[^[\]\n]{1,60}\]\s{0,3}\(/g;
const CODE_HIDING_SIGN = /\?|\/|\[/;

/** How many times (0, 1 or 2 for more) the value hides code as CODE_HIDING reads it. */
function codeHidingCount(compact: string): number {
  if (!CODE_HIDING_SIGN.test(compact)) return 0;
  CODE_HIDING.lastIndex = 0;
  let count = 0;
  while (count < 2 && CODE_HIDING.exec(compact) !== null) count++;
  return count;
}

/** The start of a value that opens with a tag, after an optional XML declaration and doctype. */
const DOCUMENT_START = /^\s{0,20}(?:<\?xml[^>]{0,200}>\s{0,20})?(?:<!doctype[^>]{0,200}>\s{0,20})?<([a-z][a-z0-9:._-]{0,40})/;

/**
 * Root elements of the documents uploads and editors send whole: images, pages (also a page's body,
 * which rich-text APIs wrap their text in), formulas, style sheets.
 */
const DOCUMENT_ROOTS: ReadonlySet<string> = new Set(['svg', 'html', 'body', 'math', 'style']);

/**
 * The value is a document of its own (an SVG icon, an XML or HTML file, a SOAP envelope, a style
 * sheet): it opens with such a root, or with any element of another XML vocabulary, and ends with
 * that element's end tag. An injection is a fragment meant to land inside a page; a whole `<form>`
 * or `<iframe>` is still one.
 */
function isWholeDocument(lower: string): boolean {
  const start = DOCUMENT_START.exec(lower);
  if (start === null) return false;
  const root = start[1];
  if (!DOCUMENT_ROOTS.has(root) && HTML_ELEMENTS.has(localName(root))) return false;
  return lower.trimEnd().endsWith(`</${root}>`);
}

function inspectXss(v: InspectedValue, report: (rule: Rule) => void): void {
  matchRegexRules(XSS_RULES, v, report);
  if (scriptUrlInText(v.compact)) report(SCRIPT_URL_RULE);
  const hiding = codeHidingCount(v.compact);
  if (hiding > 0) report(hiding > 1 ? CODE_HIDING_REPEATED_RULE : CODE_HIDING_RULE);
  const lower = v.lower;
  if (lower.indexOf('<') >= 0 || lower.indexOf('=') >= 0) {
    const mask =
      (v.noisy ? BLOB_EFFECTS : ~0) & (JSON_DOCUMENT_START.test(lower) ? ~(MarkupEffect.Markup | MarkupEffect.PageStructure | MarkupEffect.TagExitMarkup) : ~0);
    let effects = markupEffects(lower) & mask;
    if ((effects & MarkupEffect.PageStructure) !== 0 && isWholeDocument(lower)) effects &= ~MarkupEffect.PageStructure;
    reportEffects(effects, report);
    const stripped = (effects & SCRIPT_EFFECTS) === 0 ? tagsStripped(lower) : undefined;
    if (stripped !== undefined && (markupEffects(stripped) & SCRIPT_EFFECTS) !== 0) report(TAG_SPLIT_RULE);
  }
  const utf7 = utf7Text(v.decoded);
  if (utf7 !== undefined && (markupEffects(decodeUtf7(utf7).toLowerCase()) & SCRIPT_EFFECTS) !== 0) report(UTF7_RULE);
}

/**
 * IMAP's modified UTF-7 (RFC 3501) shifts with `&` instead of `+` (`&ADw-img…`): webmail decodes
 * it in folder and attachment names, and decoders that accept both read it as markup.
 */
const IMAP_UTF7_SHIFT = /&(?=A[A-Za-z0-9+,]{2})/g;
const IMAP_UTF7_START = /&A[DC][A-Za-z0-9+,]/;

/** The value as UTF-7 to decode (`&` shifts read as `+`), or undefined when it holds no shifted run. */
function utf7Text(decoded: string): string | undefined {
  if (mayBeUtf7(decoded)) return decoded;
  if (decoded.indexOf('&') < 0 || !IMAP_UTF7_START.test(decoded)) return undefined;
  return decoded.replace(IMAP_UTF7_SHIFT, '+');
}

const PREFILTER =
  /[<>`]|\bon[a-z]{3,40}[^=\n]{0,40}=|style\s{0,10}=|adw-|script|expression|binding|behavior|alert|prompt|confirm|eval|data\s{0,10}:|document|innerhtml|fromcharcode|constructor|function|settimeout|setinterval|onerror|print\s{0,5}[(`]|fetch\s{0,5}[(`]|execscript|window\.(?:open|location)|location(?:\.href)?\s{0,5}=\s{0,5}name\b|&\{|\$\{|\+a[dc]|(?:window|top|self|parent|this|globalthis|frames)\s{0,3}\[|['"`]\s{0,5}\)?\s{0,5}(?:;|\|\||&&)\s{0,5}(?:return|var|let|const|this|['"`])|(?:\xbc|1\/4|\ufffd)\/?(?:script|img|svg|iframe|body|style|object|embed)/;

/**
 * Words and punctuation the rarer techniques cannot do without (protocol handlers, letter-free
 * and assembled JavaScript, scope tricks, IMAP-style UTF-7), tried only when PREFILTER fails:
 * near-literal alternatives (bounded runs of spaces: letter-free JavaScript written with spaces
 * inside its brackets, `! [ ]`), so the expression stays a fast scan.
 */
const TECHNIQUE_MARKERS =
  /[!+~]\s{0,3}\[\s{0,3}\]|\[\s{1,3}\]|\]\s{0,3}\[\s{0,3}\[|\? ?(?:''|""|\x60\x60)|\/ ?[!=]==? ?\/|[\s;{(,=!&|?:]\d\[|\{\s{0,3}\}\s{0,3}\+|\uff9f|\u309a|tostring|atob|unescape|decodeuri|setimmediate|with\s{0,5}\(|import\s{0,5}[(`]|__parent__|getscript|globaleval|createelement|\.\s{0,3}source|&a[dc]|res:\/\/|mhtml:|ms-its:|msitstore|firefoxurl:|navigatorurl:|hcp:\/\/|value\s{0,3}[\^$*]=/;

/**
 * What compactForm removes, between two letters (see ../decode/compact-form.ts): a word split for
 * a filter. Only values up to MAX_SPLIT_VALUE are read again compacted (payloads are short;
 * multi-line text is long).
 */
const WORD_SPLITTERS = /[a-z](?:[\t\n\r\x00\x0b\x0c\u200b-\u200d\u2060\ufeff\\]|\/\*|<!--|<!\[cdata\[|\]\]>)/;
const MAX_SPLIT_VALUE = 4096;

/**
 * Rules about markup put into someone else's page: an uploaded SVG or HTML file is markup by
 * nature, so only what runs script in it counts there (script elements, handlers, script URLs).
 */
const DOCUMENT_RULES: ReadonlySet<Rule> = new Set([
  MARKUP_RULE,
  PAGE_STRUCTURE_RULE,
  TAG_EXIT_MARKUP_RULE,
  ATTRIBUTE_BREAKOUT_RULE,
  RAW_TEXT_BREAKOUT_RULE,
  DOM_CLOBBERING_RULE,
  DANGLING_MARKUP_RULE,
  TAG_SPLIT_RULE,
  FORM_FIELD_HIJACK_RULE,
  REPETITION_TEMPLATE_RULE,
  BACKTRACKING_PATTERN_RULE,
]);

export const xssPack: RulePack = {
  name: 'xss',
  readsUploads: true,
  classification: 'Xss',
  rules: [
    ...XSS_RULES,
    SCRIPT_URL_RULE,
    ATTRIBUTE_BREAKOUT_RULE,
    RAW_TEXT_BREAKOUT_RULE,
    MARKUP_RULE,
    EVASIVE_SYNTAX_RULE,
    DOM_CLOBBERING_RULE,
    DANGLING_MARKUP_RULE,
    TAG_SPLIT_RULE,
    FORM_FIELD_HIJACK_RULE,
    REPETITION_TEMPLATE_RULE,
    BACKTRACKING_PATTERN_RULE,
    CODE_HIDING_RULE,
    CODE_HIDING_REPEATED_RULE,
    PAGE_STRUCTURE_RULE,
    TAG_EXIT_MARKUP_RULE,
  ],
  // Rules that read the compact form see through what splits a word for a filter (`f/**/unction`,
  // `ja\tvascript`, zero-width characters, `<!-- -->`, CSS escapes): so does the prefilter.
  prefilter: (v) =>
    PREFILTER.test(v.lower) ||
    TECHNIQUE_MARKERS.test(v.lower) ||
    (v.lower.length <= MAX_SPLIT_VALUE && WORD_SPLITTERS.test(v.lower) && (PREFILTER.test(v.compact) || TECHNIQUE_MARKERS.test(v.compact))),
  inspect: (v, report) => {
    if (v.location !== 'upload') inspectXss(v, report);
    else
      inspectXss(v, (rule) => {
        if (!DOCUMENT_RULES.has(rule)) report(rule);
      });
  },
};
