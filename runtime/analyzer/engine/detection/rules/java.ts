/**
 * Java: Log4Shell lookups, serialized objects and deserialization gadget classes, expression
 * languages that reach the runtime (OGNL, SpEL, JSP/Jakarta EL, MVEL), class-loader manipulation
 * through bean property paths, polymorphic JSON type hints and YAML tags naming classes, and Groovy
 * running commands. Fact lists written from public knowledge of the Java ecosystem's exploited classes.
 */
import { gunzipBase64Start, gunzipStart, shiroRememberMeText } from '../decode';
import type { InspectedValue } from '../value';
import type { RequestView } from '../../message-view';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule, RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

/**
 * Classes whose appearance in request input means code execution or JNDI/class loading: runtime
 * and process access, reflection and script engines, and the gadget classes of well-known
 * deserialization chains (Commons Collections, Spring, Groovy, C3P0, Rome, BeanShell, JDK-only).
 */
const DANGEROUS_CLASSES = [
  String.raw`java\.lang\.(?:runtime|processbuilder|process|system|reflect\.|classloader|thread)`,
  // Groovy, Kotlin and JSR-223 scripts, and Java's own, import java.lang: a process built or
  // started by its simple name.
  String.raw`\bnew\s{1,5}processbuilder\s{0,5}\(`,
  String.raw`\bruntime\s{0,5}\.\s{0,5}getruntime\s{0,5}\(\s{0,5}\)\s{0,5}\.\s{0,5}exec(?=\s{0,5}\()`,
  String.raw`java\.io\.(?:file(?:input|output)stream|objectinputstream)`,
  String.raw`java\.net\.(?:urlclassloader|socket|url|urlconnection|inetaddress)`,
  String.raw`javax\.script\.scriptenginemanager`,
  String.raw`javax\.naming\.initialcontext`,
  String.raw`javax\.management\.`,
  String.raw`jdk\.jshell`,
  String.raw`sun\.misc\.(?:unsafe|base64decoder)`,
  String.raw`com\.sun\.org\.apache\.xalan\.internal\.xsltc\.trax\.templatesimpl`,
  String.raw`com\.sun\.rowset\.jdbcrowsetimpl`,
  String.raw`com\.sun\.jndi\.`,
  String.raw`org\.apache\.commons\.collections4?\.(?:functors|keyvalue)\.`,
  String.raw`org\.apache\.commons\.beanutils\.beancomparator`,
  String.raw`org\.apache\.xbean\.naming\.`,
  String.raw`org\.springframework\.(?:beans\.factory\.config\.propertypathfactorybean|context\.support\.(?:classpath|filesystem)xmlapplicationcontext|aop\.)`,
  // Products ship Spring repackaged under their own package (WebLogic's com.bea.core.repackaged).
  String.raw`(?:[a-z0-9_]{1,40}\.){1,6}springframework\.context\.support\.(?:classpath|filesystem)xmlapplicationcontext`,
  String.raw`org\.codehaus\.groovy\.runtime\.(?:methodclosure|convertedclosure)`,
  String.raw`groovy\.(?:util\.expando|lang\.groovyshell)`,
  String.raw`com\.mchange\.v2\.c3p0\.`,
  String.raw`com\.rometools\.rome\.|com\.sun\.syndication\.`,
  String.raw`bsh\.(?:interpreter|xthis)`,
  String.raw`org\.mozilla\.javascript\.`,
  String.raw`org\.hibernate\.(?:engine\.spi\.typedvalue|property\.)`,
  String.raw`ch\.qos\.logback\.core\.db\.`,
  String.raw`org\.apache\.tomcat\.dbcp\.|org\.apache\.commons\.dbcp\.`,
  String.raw`com\.alibaba\.fastjson\.|oracle\.jdbc\.rowset\.`,
  String.raw`ysoserial`,
].join('|');

const DANGEROUS_CLASS_RULE: RegexRule = {
  id: 420102,
  classification: 'JavaInjection',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  description: 'JavaAnalyzer: dangerous Java class or deserialization gadget named in input',
  // A class name ends where the name does: java.net.SocketTimeoutException names no socket.
  pattern: new RegExp(`(?:^|[^a-z0-9_.])(?:${DANGEROUS_CLASSES})(?:(?<=\\.)|(?![a-z0-9_$]))`),
};

const SERIALIZED_OBJECT_RULE: RegexRule = {
  id: 420101,
  classification: 'JavaInjection',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  form: 'decoded',
  description: 'JavaAnalyzer: serialized Java object (stream magic, raw, hex, base64 or gzip)',
  pattern: /\xac\xed\x00\x05|(?:^|[^A-Za-z0-9])(?:aced0005|ACED0005)[0-9a-fA-F]{8}|(?:^|[^A-Za-z0-9+/])rO0AB[A-Za-z0-9+/]{8}/,
};

/**
 * A compiled class sent as data (its magic `CAFEBABE` and version, in hex or base64 `yv66vg…`):
 * what an in-memory web shell (Behinder, Godzilla) posts to the loader it planted, and what a
 * template-injection or deserialization chain hands `defineClass`. No form or API sends bytecode.
 */
const CLASS_BYTES_RULE: RegexRule = {
  id: 420117,
  classification: 'JavaInjection',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  form: 'decoded',
  description: 'JavaAnalyzer: compiled Java class sent as data (class-file magic in hex or base64)',
  pattern: /(?:^|[^A-Za-z0-9])(?:cafebabe|CAFEBABE)000[0-9a-fA-F]00[2-4][0-9a-fA-F]|(?:^|[^A-Za-z0-9+/])yv66vgAAA[A-E][A-Za-z0-9+/]{6}/,
};

/**
 * Polymorphic type hints name a class to construct: Jackson's `@class` and `@c`, fastjson's
 * `@type`. Classes of the JDK and of the libraries whose classes make gadgets; an application's
 * own classes (`com.example.dto.Order`) are not among them.
 */
const TYPE_HINT_CLASS = String.raw`l?(?:com\.sun\.|java\.|javax\.|org\.apache\.|org\.springframework\.|com\.mchange\.|ch\.qos\.|oracle\.|org\.hibernate\.|com\.zaxxer\.|org\.codehaus\.|br\.com\.anteros\.|com\.alibaba\.)`;

const TYPE_HINT_RULE: RegexRule = {
  id: 420106,
  classification: 'JavaInjection',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description: 'JavaAnalyzer: polymorphic JSON type hint naming a dangerous class',
  pattern: new RegExp(String.raw`["']@(?:type|class|c)["']\s{0,5}:\s{0,5}["']\s{0,5}${TYPE_HINT_CLASS}`),
};
/** A parsed JSON body's type hint: the value of a key `@type`, `@class` or `@c` (`meta.@type`). */
const TYPE_HINT_KEY = /(?:^|\.)@(?:type|class|c)$/;
const TYPE_HINT_VALUE = new RegExp(String.raw`^\s{0,5}${TYPE_HINT_CLASS}`);

export const JAVA_RULES: readonly RegexRule[] = [
  {
    id: 800101,
    classification: 'Log4Shell',
    state: 'Exploitation',
    risk: 100,
    severity: 'critical',
    confidence: 'high',
    form: 'lookup',
    description: 'Log4jAnalyzer: JNDI lookup (CVE-2021-44228)',
    pattern: /\$\{\s{0,10}jndi\s{0,10}:|\bjndi\s{0,10}:\s{0,10}(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):\/\//,
  },
  {
    id: 800102,
    classification: 'Log4Shell',
    state: 'Reconnaissance',
    risk: 60,
    severity: 'critical',
    confidence: 'high',
    form: 'lookup',
    description: 'Log4jAnalyzer: lookup that leaks environment or system data',
    pattern: /\$\{\s{0,10}(?:env|sys|java|ctx|main|bundle|sd|map|web|docker|k8s|spring|log4j|marker|event|jvmrunargs)\s{0,10}:/,
  },
  {
    id: 420108,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    form: 'lookup',
    description: 'JavaAnalyzer: Apache Commons Text interpolation that runs a script or reaches a URL, host or file (Text4Shell, CVE-2022-42889)',
    // Its lookups' own syntax: `${script:engine:code}`, `${url|file:charset:location}`,
    // `${dns:address|host}`; a Spring placeholder with a default (`${url:http://x}`) is not one.
    pattern:
      /\$\{\s{0,10}(?:script\s{0,10}:\s{0,10}[a-z]{2,20}\s{0,10}:|(?:url|file)\s{0,10}:\s{0,10}(?:utf|us-ascii|iso|windows|cp|ascii|latin)[\w-]{0,15}\s{0,10}:|dns\s{0,10}:\s{0,10}(?:address|canonical-name|name)\s{0,10}\|)/,
  },
  {
    id: 420109,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'JavaAnalyzer: XStream document rebuilding objects (custom serialization, dynamic proxies, event handlers)',
    pattern: /\sserialization\s{0,5}=\s{0,5}['"]custom['"]|<dynamic-proxy\b|<java\.beans\.eventhandler\b|<(?:java\.lang\.)?processbuilder\b[^>]{0,200}>/,
  },
  SERIALIZED_OBJECT_RULE,
  CLASS_BYTES_RULE,
  DANGEROUS_CLASS_RULE,
  {
    id: 420103,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'JavaAnalyzer: OGNL expression reaching the runtime or the member access guard',
    pattern:
      /#_memberaccess|@java\.lang\.[a-z]{2,20}@|#context\s{0,5}\[|#(?:application|session|request|parameters|attr)\s{0,5}\[|\bognlcontext\b|\bognlutil\b|#container\.getinstance|xwork\.methodaccessor|@org\.apache\.struts2|denymethodexecution|allowstaticmethodaccess|%\{\s{0,5}#|\(#\w{1,20}\s{0,5}=\s{0,5}@/,
  },
  {
    id: 420104,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'JavaAnalyzer: SpEL or EL expression calling into Java classes',
    pattern:
      /[$#]\{[^}]{0,200}\b(?:t\s{0,5}\(\s{0,5}java\.|new\s{1,5}java\.|class\.forname|\.getclass\s{0,5}\(\s{0,5}\)\s{0,5}\.\s{0,5}(?:forname|getclassloader|getmethod)|\.getruntime\s{0,5}\(|\bthread\s{0,5}\.\s{0,5}sleep\s{0,5}\(|\.exec\s{0,5}\(|\.invoke\s{0,5}\(|\.newinstance\s{0,5}\(|\.getmethod\s{0,5}\()|\bt\s{0,5}\(\s{0,5}java\.lang\.(?:runtime|system|processbuilder|class|thread)\s{0,5}\)/,
  },
  {
    id: 420105,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'JavaAnalyzer: class loader reached through a bean property path (Spring4Shell, Struts class.classLoader)',
    pattern:
      /\bclass\s{0,3}(?:\.|\[\s{0,3}['"]?)\s{0,3}(?:module\s{0,3}['"]?\s{0,3}\]?\s{0,3}(?:\.|\[\s{0,3}['"]?)\s{0,3})?classloader\b|\bclass\.module\.|classloader\.resources\.context|\.getclassloader\s{0,5}\(/,
  },
  TYPE_HINT_RULE,
  {
    id: 420107,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'medium',
    description: 'JavaAnalyzer: reflective call chain in input',
    pattern:
      /\.getclass\s{0,5}\(\s{0,5}\)\s{0,5}\.\s{0,5}(?:forname|getclassloader|getmethod|getdeclaredmethod|getresource)|\bclass\.forname\s{0,5}\(\s{0,5}['"]|\.getdeclaredconstructor\s{0,5}\(/,
  },
  {
    id: 420110,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'JavaAnalyzer: YAML tag naming a Java class to construct (SnakeYAML)',
    // `!!javax.script.ScriptEngineManager [...]`, `!<tag:yaml.org,2002:java.net.URL>`: the parser
    // builds the class with the node's values as constructor arguments. The classes type hints
    // count (an application's own are not); YAML's own tags (`!!str`, `!!binary`) have no package.
    pattern: new RegExp(String.raw`(?:!!|!<tag:yaml\.org,2002:)${TYPE_HINT_CLASS}`),
  },
  {
    id: 420111,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    description: 'JavaAnalyzer: Groovy running a command (String.execute) or fetching code (@Grab)',
    // Groovy adds execute() to strings and lists (`"id".execute().text`, `["sh","-c","id"].execute()`);
    // @Grab fetches and loads a jar while the script compiles (Jenkins script checks).
    pattern: /['"]\s{0,5}\.\s{0,5}execute\s{0,5}\(|\[\s{0,5}['"][^[\]]{0,200}['"]\s{0,5}\]\s{0,5}\.\s{0,5}execute\s{0,5}\(|@grab(?:config|resolver)?\s{0,5}\(/,
  },
  {
    id: 420113,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description: 'JavaAnalyzer: JNDI lookup target (an RMI, IIOP or CORBA naming URL) or a java.beans.XMLDecoder document in input',
    // No browser or API sends an RMI or CORBA naming URL: they are what a JNDI lookup loads a
    // remote object from. XMLDecoder documents (<java><object class=...>) build and call any object.
    pattern:
      /(?:^|[\s=("',;>])(?:rmi|iiop|iiopname|corbaname|corbaloc):(?:\/\/|:?[a-z0-9.-]{1,100}[:/#])|<java\b[^>]{0,200}>\s{0,20}<(?:object|void|class|new|array)\b/,
  },
  {
    id: 420112,
    classification: 'JavaInjection',
    state: 'Exploitation',
    risk: 85,
    severity: 'critical',
    confidence: 'high',
    description:
      'JavaAnalyzer: OGNL expression syntax: a static member reached as @package.Class@member, or chained context-variable assignments ((#a=...).(...))',
    // OGNL's own spellings, whatever class they reach (Confluence's ServletActionContext, Struts'
    // OgnlContext): an e-mail address has one @ and no package path before it.
    pattern:
      /@(?:[a-z_$][\w$]{0,60}\.){2,10}[a-z_$][\w$]{0,60}@[a-z_$#(]|\(\s{0,3}#[a-z_]\w{0,40}\s{0,3}=[^()]{0,300}(?:\([^()]{0,300}\)[^()]{0,300}){0,4}\)\s{0,3}\.\s{0,3}\(/,
  },
];

/**
 * A JDBC connection string that makes the driver act on its own (a data-source form of GeoServer,
 * Spring Boot Admin, BI and low-code tools takes one): H2 running a script fetched from a URL or
 * creating a Java alias at connect (`INIT=RUNSCRIPT FROM 'http://…'`), MySQL Connector/J
 * deserializing what the server sends (`autoDeserialize=true`, the status-diff interceptor),
 * PostgreSQL's driver building its socket or SSL factory as a Spring context or a JDK class
 * (`java.io.FileOutputStream`: CVE-2022-21724) or writing its log to a web file, DB2's client
 * reroute through a JNDI name.
 */
const JDBC_ATTACK_RULE: RegexRule = {
  id: 420116,
  classification: 'JavaInjection',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description:
    'JavaAnalyzer: JDBC connection string that runs code or loads objects at connect (H2 INIT, MySQL autoDeserialize, pgjdbc socketFactory, DB2 JNDI reroute)',
  pattern:
    /\binit\s{0,5}=\s{0,5}(?:runscript\s{1,5}from\s{1,5}['"]?(?:https?|ftp|file|classpath):|create\s{1,5}(?:alias|trigger)\b)|\bautodeserialize\s{0,3}=\s{0,3}true\b|\b(?:query|statement)interceptors\s{0,3}=\s{0,3}[\w.]{0,80}serverstatusdiffinterceptor|\b(?:socketfactory|sslfactory)\s{0,3}=\s{0,3}(?:org\.springframework|java\.(?:io|lang|beans|util|rmi)|com\.sun)\.|\bloggerfile\s{0,3}=\s{0,3}[^&;\s]{0,200}\.(?:jspx?|php|sh|war)\b|\bclientreroute\w{0,40}jndi\w{0,20}\s{0,3}=/,
};

/**
 * A stack frame (`at java.lang.Thread.run(Thread.java:833)`) in a crash report or a pasted log:
 * it names classes that ran, not ones the request asks for, and Java stack traces name
 * java.lang.Thread, reflection and class loaders in nearly every frame list.
 */
const STACK_FRAME = /\bat [\w$./]{1,300}\((?:[\w$]{1,100}\.(?:java|kt|scala|groovy):\d{1,6}|native method|unknown source)\)/g;

/**
 * The same frames as a crash reporter's JSON sends them (Sentry, Bugsnag, Crashlytics: `{"filename":
 * "Method.java","function":"invoke","module":"java.lang.reflect.Method"}`): a source file field
 * says the value holds frames, and the class and method fields are what ran.
 */
const JSON_FRAME_FILE = /"(?:filename|file|file_name|filepath|abs_path)"\s{0,3}:\s{0,3}"[\w$./-]{0,200}\.(?:java|kt)"/;
const JSON_FRAME_FIELD = /"(?:module|class|classname|class_name|declaringclass|declaring_class|method|function|symbol)"\s{0,3}:\s{0,3}"[\w$.<>]{1,300}"/g;

function withoutFrames(lower: string, jsonFrames: boolean): string {
  const text = lower.replace(STACK_FRAME, ' ');
  return jsonFrames ? text.replace(JSON_FRAME_FIELD, ' ') : text;
}

/**
 * Prose: words, spaces and the punctuation of sentences only (`java.lang.Runtime exec example`).
 * A class named among words is read about; a payload names it in syntax (a type hint, a tag, an
 * expression, a serialized stream) or alone.
 */
const PROSE = /^[\w.,@+-]{0,200}\s[\w\s.,@+-]{0,2000}$/;

const PREFILTER =
  /\$\{|jndi|java|class|#|@|aced|ro0ab|\xac\xed|ysoserial|\.(?:sun|apache|springframework|codehaus|mchange|mozilla|hibernate|qos|alibaba|rometools)\.|bsh\.|groovy\.|oracle\.|jdk\.|sun\.misc|methodaccess|methodexecution|getdeclared|ognl|serialization|dynamic-proxy|eventhandler|processbuilder|getruntime|rmi:|iiop|corba|!!|!<tag:|\.\s{0,5}execute\s{0,5}\(|runscript|init\s{0,5}=\s{0,5}create|autodeserialize|socketfactory|sslfactory|interceptors|loggerfile|clientreroute/;

/** The value is a Java serialization stream compressed and base64-wrapped (a JSF ViewState `H4sI...`). */
function isGzippedStream(raw: string): boolean {
  const inflated = gunzipBase64Start(raw);
  return inflated !== undefined && isJavaStream(inflated);
}

/** A Java serialization stream starts with its magic and version: AC ED 00 05. */
function isJavaStream(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xac && bytes[1] === 0xed && bytes[2] === 0x00 && bytes[3] === 0x05;
}

/** The bytes start a Java serialization stream, raw or gzip-compressed. */
function startsJavaStream(bytes: Uint8Array): boolean {
  if (isJavaStream(bytes)) return true;
  const inflated = gunzipStart(bytes);
  return inflated !== undefined && isJavaStream(inflated);
}

/**
 * A JMX operation, through Jolokia's HTTP bridge, that makes the JVM load configuration or code
 * from a URL or a file: logback's JMXConfigurator `reloadByURL` (a configuration with a JNDI
 * lookup or a script), the MLet loader's `getMBeansFromURL`, HotSpot's `jvmtiAgentLoad` and
 * `compilerDirectivesAdd`. Monitoring reads attributes; it does not call these.
 */
const JMX_LOADER_RULE: Rule = {
  id: 420114,
  classification: 'JavaInjection',
  state: 'Exploitation',
  risk: 85,
  severity: 'critical',
  confidence: 'high',
  description:
    "JavaAnalyzer: JMX operation loading configuration or code from a URL or file (Jolokia: logback's reloadByURL, MLet getMBeansFromURL, jvmtiAgentLoad)",
};
const JMX_LOADER_OPERATION = /\b(?:reloadbyurl|getmbeansfromurl|jvmtiagentload|compilerdirectivesadd)\b/;
/** The MBeans those operations belong to, named in a Jolokia request (GET path or JSON `mbean`). */
const JMX_LOADER_MBEAN = /jmxconfigurator|type=mlet\b|javax\.management\.loading|type=diagnosticcommand/;
const MAX_JOLOKIA_BODY = 16 * 1024;

/** Jolokia's URL, or its JSON request's `mbean` key: only such requests are read further. */
const JOLOKIA_PATH = /jolokia/i;

export function jmxLoaderHits(request: RequestView): AttackHit[] {
  const raw = request.body.text;
  const jsonRequest = raw.length <= MAX_JOLOKIA_BODY && raw.indexOf('"mbean"') >= 0;
  if (!jsonRequest && !JOLOKIA_PATH.test(request.path)) return [];
  const text = (jsonRequest ? `${request.path}\n${raw}` : request.path).toLowerCase();
  if (!JMX_LOADER_MBEAN.test(text) || !JMX_LOADER_OPERATION.test(text)) return [];
  return [{ rule: JMX_LOADER_RULE, location: jsonRequest ? 'body' : 'path', parameter: '', value: text.slice(0, 256), score: ruleScore(JMX_LOADER_RULE) }];
}
/**
 * A Shiro `rememberMe` cookie encrypted under Shiro's published default key (CVE-2016-4437) that
 * holds anything but what Shiro writes there, a principal collection: the object the server will
 * deserialize is the sender's (ysoserial's gadget chains, a URLDNS probe).
 */
const SHIRO_GADGET_RULE: Rule = {
  id: 420115,
  classification: 'JavaInjection',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  description: "JavaAnalyzer: Shiro rememberMe cookie encrypted under Shiro's default key holding an object other than a principal collection (CVE-2016-4437)",
};
const SHIRO_COOKIE = 'rememberme';
const SHIRO_PRINCIPALS = 'org.apache.shiro.subject.SimplePrincipalCollection';
/** A stream's first object and its class descriptor: TC_OBJECT, TC_CLASSDESC, then the class name's length. */
const TC_OBJECT = 0x73;
const TC_CLASSDESC = 0x72;

function isShiroCookie(v: InspectedValue): boolean {
  return v.location === 'cookie' && v.lowerName === SHIRO_COOKIE;
}

function holdsShiroGadget(raw: string): boolean {
  const plain = shiroRememberMeText(raw);
  if (plain === undefined || !isJavaStream(plain)) return false;
  const named = plain.length >= 8 && plain[4] === TC_OBJECT && plain[5] === TC_CLASSDESC;
  return !named || plain.toString('latin1', 8, 8 + plain.readUInt16BE(6)) !== SHIRO_PRINCIPALS;
}

/** The class-file magic in any of CLASS_BYTES_RULE's spellings (a cheap look before its pattern). */
function holdsClassMagic(v: InspectedValue): boolean {
  return v.raw.indexOf('yv66vg') >= 0 || v.lower.indexOf('cafebabe') >= 0;
}

export const javaInjectionPack: RulePack = {
  name: 'java',
  readsUploads: true,
  readsPlainValues: true,
  classification: 'JavaInjection',
  rules: [...JAVA_RULES, JMX_LOADER_RULE, SHIRO_GADGET_RULE, JDBC_ATTACK_RULE],
  prefilter: (v) => PREFILTER.test(v.lower) || v.raw.indexOf('rO0AB') >= 0 || holdsClassMagic(v) || v.raw.startsWith('H4sI') || isShiroCookie(v),
  inspect: (v, report) => {
    if (isShiroCookie(v) && holdsShiroGadget(v.raw)) report(SHIRO_GADGET_RULE);
    const lower = v.lower;
    if (v.raw.startsWith('H4sI') && isGzippedStream(v.raw)) report(SERIALIZED_OBJECT_RULE);
    if (TYPE_HINT_KEY.test(v.lowerName) && TYPE_HINT_VALUE.test(lower)) report(TYPE_HINT_RULE);
    if (JDBC_ATTACK_RULE.pattern.test(lower)) report(JDBC_ATTACK_RULE);
    const jsonFrames = lower.indexOf('.java"') >= 0 || lower.indexOf('.kt"') >= 0 ? JSON_FRAME_FILE.test(lower) : false;
    const frames = jsonFrames || lower.indexOf('.java:') >= 0 || lower.indexOf('(native method)') >= 0 || lower.indexOf('(unknown source)') >= 0;
    const prose = PROSE.test(lower);
    if (!frames && !prose) {
      matchRegexRules(JAVA_RULES, v, report);
      return;
    }
    // A stack frame names classes that ran and prose names classes it is about: neither asks for one.
    matchRegexRules(JAVA_RULES, v, (rule) => {
      if (rule !== DANGEROUS_CLASS_RULE || (!prose && DANGEROUS_CLASS_RULE.pattern.test(withoutFrames(lower, jsonFrames)))) report(rule);
    });
  },
};

/**
 * A request body that is a Java serialization stream, raw or gzip-compressed without a
 * Content-Encoding: what JBoss's JMXInvokerServlet, Spring's HTTP invoker and RMI over HTTP read,
 * and what ysoserial writes. Such a body is binary, so no value of it is read: its first bytes are.
 */
export function serializedBodyHits(request: RequestView): AttackHit[] {
  const lead = request.body.lead;
  if (lead === undefined || !startsJavaStream(lead)) return [];
  return [
    {
      rule: SERIALIZED_OBJECT_RULE,
      location: 'body',
      parameter: '',
      value: 'Java serialization stream (AC ED 00 05)',
      score: ruleScore(SERIALIZED_OBJECT_RULE),
    },
  ];
}
