/**
 * Deserialization on platforms other than Java (../java): Python pickle, PyYAML and jsonpickle,
 * Ruby Marshal and YAML, .NET formatters (BinaryFormatter and LosFormatter ViewState, Json.NET and
 * JavaScriptSerializer type hints, XAML) and node-serialize. What sets an attack apart from the
 * serialized state applications pass around (Rails sessions, ViewState, pickled ML models) is what
 * the payload makes the deserializer build or call: an OS, process or eval function, or a class of
 * a published gadget chain. Fact lists written from public knowledge of those chains.
 *
 * Binary streams travel base64-wrapped: a value that starts like one (pickle `gA…`, Marshal
 * `BAh…`, ViewState `/wE…`, BinaryFormatter `AAEAAAD/////`) has its first kilobytes decoded and
 * read as bytes.
 */
import type { RequestView } from '../../message-view';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { classRule } from './class-rule';

const rule = classRule('Deserialization');

export const PICKLE_CALL = rule(430101, 'DeserializationAnalyzer: Python pickle that imports an OS, process or eval function', 'critical', 'high', 90);
export const PYTHON_OBJECT_TAG = rule(
  430102,
  'DeserializationAnalyzer: PyYAML python/ tag or jsonpickle reference that builds an object or calls a function',
  'critical',
  'high',
  90,
);
export const RUBY_GADGET = rule(430103, 'DeserializationAnalyzer: Ruby YAML object tag or Marshal stream naming a gadget class', 'critical', 'high', 90);
export const DOTNET_GADGET = rule(
  430104,
  'DeserializationAnalyzer: .NET formatter payload, type hint or XAML naming a gadget type (ObjectDataProvider, Process, TextFormattingRunProperties, ...)',
  'critical',
  'high',
  90,
);
export const NODE_FUNCTION = rule(430105, 'DeserializationAnalyzer: node-serialize function to be called on unserialize', 'critical', 'high', 90);
/** Symfony's YAML parser unserializes what `!php/object` tags when objects are on (PARSE_OBJECT): a gadget chain's entry. */
export const PHP_YAML_OBJECT = rule(430106, 'DeserializationAnalyzer: Symfony YAML !php/object tag holding a serialized PHP object', 'critical', 'high', 90);

/**
 * A Python code object in marshal's format, in base64 (`4wEAAAAA…`): how Keras saves a Lambda
 * layer's function, which loading the model runs (CVE-2024-3660); nothing else a web request
 * carries looks so.
 */
export const MARSHALLED_CODE = rule(
  430107,
  "DeserializationAnalyzer: Python code object in marshal format (a Keras Lambda layer's function), run when the model is loaded",
  'critical',
  'high',
  90,
);

export const DESERIALIZATION_RULES: readonly Rule[] = [
  PICKLE_CALL,
  PYTHON_OBJECT_TAG,
  RUBY_GADGET,
  DOTNET_GADGET,
  NODE_FUNCTION,
  PHP_YAML_OBJECT,
  MARSHALLED_CODE,
];

/**
 * Base64 of marshal's code type (`c`, with or without its reference flag) and a small argument
 * count, as a value or a string inside one (a Keras model's JSON sent as a string field).
 */
const MARSHALLED_CODE_LEAD = /(?:^|[^A-Za-z0-9+/])((?:4w|Yw)[A-P]AAAAA[A-Za-z0-9+/]{4})/;

/** Whether a value holds base64 of a marshalled code object: the type byte, then two small 32-bit counts, and more. */
function holdsMarshalledCode(raw: string): boolean {
  // Both counts' zero bytes are base64 `AAAAA`: a cheap look before the pattern's.
  if (raw.length < 128 || raw.indexOf('AAAAA') < 0) return false;
  const lead = MARSHALLED_CODE_LEAD.exec(raw)?.[1];
  if (lead === undefined) return false;
  const head = Buffer.from(lead.slice(0, 12), 'base64');
  return head[2] === 0 && head[3] === 0 && head[4] === 0 && head[6] === 0 && head[7] === 0 && head[8] === 0;
}

/** Modules and functions a pickle's GLOBAL (protocol 0-3) or STACK_GLOBAL (4-5) imports to run something. */
const PICKLE_MODULES = 'os|posix|nt|subprocess|builtins|__builtin__|commands|pty|runpy|platform|webbrowser|code|pdb|timeit|ctypes|importlib|pydoc|operator';
const PICKLE_FUNCTIONS =
  'system|popen\\d?|exec|eval|execfile|compile|__import__|spawn\\w{0,4}|check_output|check_call|call|run|getoutput|getstatusoutput|startfile|open_new|spawnl|run_path|run_module|interact|runcall|runeval|timeit|cdll|getattr|import_module|pipepager|pager|attrgetter|methodcaller';
/**
 * GLOBAL: `c` module newline name newline. STACK_GLOBAL: two strings (SHORT_BINUNICODE 0x8c and a
 * length byte, or BINUNICODE `X` and four length bytes), each optionally memoized (MEMOIZE 0x94,
 * BINPUT `q` and an index, LONG_BINPUT `r` and four), then 0x93. Read lower-cased (`X` is `x`).
 */
const PICKLE_STRING = String.raw`(?:\x8c[\x01-\x20]|x[\x01-\x20]\x00\x00\x00)`;
const PICKLE_MEMO = String.raw`(?:\x94|q[\s\S]|r[\s\S]{4})?`;
const PICKLE_IMPORT = new RegExp(
  String.raw`(?:^|[^a-z0-9_])c(?:${PICKLE_MODULES})\n(?:${PICKLE_FUNCTIONS})\n|${PICKLE_STRING}(?:${PICKLE_MODULES})${PICKLE_MEMO}${PICKLE_STRING}(?:${PICKLE_FUNCTIONS})${PICKLE_MEMO}\x93`,
);

/** PyYAML's constructors of arbitrary objects; jsonpickle's references to a callable of those modules. */
const PYTHON_TAG = new RegExp(
  [
    // `name:` and `module:` only for those modules: mkdocs names its extensions so (`!!python/name:material...`)
    String.raw`!!python\/(?:object(?:\/apply|\/new)?\s{0,3}:|(?:name|module)\s{0,3}:\s{0,3}(?:${PICKLE_MODULES})\b)`,
    // the verbatim tag, and a %TAG directive giving python/ a handle
    String.raw`!<\s{0,3}tag:yaml\.org,2002:python\/object`,
    String.raw`%tag\s{1,5}!\w{0,10}!\s{1,5}tag:yaml\.org,2002:python\/`,
    String.raw`"py\/(?:function|type|object|reduce|repr)"\s{0,3}:\s{0,3}\[?\s{0,3}(?:\{\s{0,3}"py\/function"\s{0,3}:\s{0,3})?"(?:${PICKLE_MODULES})[./]`,
  ].join('|'),
);

/** A jsonpickle reference parsed out of a JSON body: its key names the parameter, its module the value (`py/function` = `os.system`). */
const JSONPICKLE_KEY = /(?:^|[.\]])py\/(?:function|type|object|reduce|newobj)(?:\[\])?$/;
const DANGEROUS_CALLABLE = new RegExp(String.raw`^\s{0,3}(?:${PICKLE_MODULES})\.[a-z_]`);

function namesJsonpickleCall(v: InspectedValue): boolean {
  return v.location === 'body_json' && JSONPICKLE_KEY.test(v.lowerName) && DANGEROUS_CALLABLE.test(v.lower);
}

/** Ruby's YAML object tags (Psych builds any class from them) and Marshal's gadget classes, after their `o:`/`:`/`c` and length byte. */
const RUBY_GADGET_CLASS = String.raw`gem::(?:requirement|stubspecification|installer|package::tarreader|requestset|specification|source::specificfile|dependencylist)|net::(?:writeadapter|bufferedio)|activesupport::deprecation::deprecated(?:instancevariable|object)proxy|activemodel::attributemethods|actioncontroller::routing::routeset::namedroutecollection`;
/** Object tags build any class; a hash or other tag counts when it names a gadget class. */
const RUBY_YAML_TAG = new RegExp(
  String.raw`!ruby\/(?:object|struct|class|module|marshalable)\s{0,3}:|!ruby\/\w{1,12}\s{0,3}:\s{0,3}(?:${RUBY_GADGET_CLASS}|erb\b)|!<\s{0,3}tag:yaml\.org,2002:ruby\/object|%tag\s{1,5}!\w{0,10}!\s{1,5}(?:!ruby\/|tag:yaml\.org,2002:ruby\/)`,
);
/** A Marshal symbol (`:`, its length byte) or class reference (`c`) naming a gadget class; ERB by its exact length byte. */
const RUBY_MARSHAL_GADGET = new RegExp(String.raw`[:c][\x05-\x7f](?:${RUBY_GADGET_CLASS})|:\x08erb`);

/**
 * Types whose construction or property setters run code, from the published .NET gadget chains;
 * XAML's ObjectDataProvider calling a method (its type named through a namespace prefix);
 * PerformancePoint's ExcelDataSet control, whose CompressedDataTable is a serialized DataSet
 * (SharePoint's ToolPane exploits, CVE-2020-1147 and CVE-2025-53770).
 */
const DOTNET_GADGET_TYPE =
  /<(?:[a-z]{1,20}:)?objectdataprovider\b[^>]{0,500}?\bmethodname\s{0,3}=|system\.windows\.data\.objectdataprovider|system\.diagnostics\.process(?:startinfo)?\b|textformattingrunproperties|system\.configuration\.install\.assemblyinstaller|system\.activities\.presentation\.workflowdesigner|system\.windows\.resourcedictionary|activitysurrogateselector|system\.workflow\.componentmodel\.serialization|system\.web\.ui\.objectstateformatter|system\.data\.services\.internal\.expandedwrapper|system\.management\.automation\.psobject|system\.security\.principal\.windowsidentity|system\.identitymodel\.tokens\.sessionsecuritytoken|system\.web\.security\.roleprincipal|system\.runtime\.remoting\.objref|system\.windows\.forms\.axhost|system\.delegateserializationholder|system\.windows\.markup\.xamlreader|<[a-z]{1,40}:exceldataset\b[^>]{0,300}?\bcompresseddatatable\s{0,3}=/;

/**
 * In text, a gadget type counts where a serializer reads a type: a Json.NET or JavaScriptSerializer
 * type hint, XAML, an ASP.NET `Register` directive, or an assembly-qualified name. A forum post about `Process.Start` names it in prose.
 */
const DOTNET_TYPE_CONTEXT =
  /\$type|__type|clr-namespace:|xmlns|<%@\s{0,3}register\b|<[a-z]{0,20}:?objectdataprovider|,\s{0,3}(?:presentationframework|presentationcore|windowsbase|mscorlib|system(?:\.[a-z]{2,20}){0,3})\s{0,3}(?:,|"|'|$)/;

/**
 * A JSON field that is a serializer's type hint itself (Json.NET's `$type`, JavaScriptSerializer's
 * `__type`): its value is a type name, plain text the other packs skip.
 */
const TYPE_HINT_NAME = /(?:^|\.)(?:\$type|__type)$/;

/** node-serialize evaluates whatever follows the marker: a function, an arrow, any expression. */
const NODE_SERIALIZE_FUNCTION = /_\$\$nd_func\$\$_\s{0,3}\S/;

/** Base64 leads of binary formats: pickle protocols 2-5 (any opcode after the version), Marshal 4.8, LosFormatter, BinaryFormatter's header, and a protocol 0-1 pickle opening with the GLOBAL of a listed module. */
const BINARY_LEAD = /^(?:gA[I-X]|BAh|\/wE|AAEAAAD\/\/\/\/\/|Y29zCn|Y3Bvc2l4|Y250Cn|Y3N1YnByb2Nlc3M|Y2J1aWx0aW5z|Y19fYnVpbHRpbl9f)/;
/** Base64 characters decoded from a lead: enough for the classes and calls near a stream's start. */
const MAX_BASE64_CHARS = 8192;

/** Marshal's version bytes: a raw Ruby stream. */
const MARSHAL_MAGIC = '\x04\x08';

/** The first bytes of a binary stream, raw (Marshal) or base64-wrapped, as latin1 text lower-cased, or undefined. */
function unwrappedStream(raw: string): string | undefined {
  if (raw.startsWith(MARSHAL_MAGIC)) return raw.slice(0, MAX_BASE64_CHARS).toLowerCase();
  const text = raw.trim();
  if (!BINARY_LEAD.test(text)) return undefined;
  const lead = text.slice(0, MAX_BASE64_CHARS);
  const urlSafe = lead.indexOf('-') >= 0 || lead.indexOf('_') >= 0;
  return Buffer.from(lead, urlSafe ? 'base64url' : 'base64')
    .toString('latin1')
    .toLowerCase();
}

/** What a YAML tag rule needs after a `!`; what a protocol-0 pickle's GLOBAL needs after a newline. */
const YAML_TAG_HINT = /!!python\/|!ruby\/|!php\/object|!<\s{0,3}tag:yaml/;
/** The tag, then a serialized object or class (`O:32:"Monolog\\Handler\\…"`, quoted or not). */
const PHP_YAML_OBJECT_TAG = /!php\/object\s{0,3}['"]?\s{0,3}[oc]:\d{1,4}:/;
const PICKLE_TEXT_HINT = /\n(?:system|exec|eval|popen|check_output|getoutput|call|run|spawn|getattr|import_module|__import__|pipepager)/;
/** What a .NET gadget in text needs around it (DOTNET_TYPE_CONTEXT) and XAML's provider. */
const DOTNET_HINTS = [
  '$type',
  '__type',
  'clr-namespace',
  'objectdataprovider',
  'xmlns',
  'presentationframework',
  'presentationcore',
  'windowsbase',
  'mscorlib',
  ',system',
  ', system',
  'compresseddatatable',
];

/** Cheap looks (substring searches, then a short pattern) for what any rule of the pack needs in text. */
function mayHoldPayload(lower: string): boolean {
  if (lower.indexOf('!') >= 0 && YAML_TAG_HINT.test(lower)) return true;
  if (lower.indexOf('py/') >= 0 || lower.indexOf('%tag') >= 0 || lower.indexOf('_$$nd_func$$_') >= 0 || lower.indexOf('\x8c') >= 0) return true;
  if (lower.indexOf('\n') >= 0 && PICKLE_TEXT_HINT.test(lower)) return true;
  for (const hint of DOTNET_HINTS) if (lower.indexOf(hint) >= 0) return true;
  return false;
}

/** The rules a binary stream's first bytes (latin1, lower-cased) show. */
function streamRules(stream: string): Rule[] {
  const found: Rule[] = [];
  if (PICKLE_IMPORT.test(stream)) found.push(PICKLE_CALL);
  if (RUBY_MARSHAL_GADGET.test(stream)) found.push(RUBY_GADGET);
  if (DOTNET_GADGET_TYPE.test(stream)) found.push(DOTNET_GADGET);
  return found;
}

function inspect(v: InspectedValue, report: (rule: Rule) => void): void {
  const text = v.lower;
  if (PICKLE_IMPORT.test(text)) report(PICKLE_CALL);
  if (PYTHON_TAG.test(text) || namesJsonpickleCall(v)) report(PYTHON_OBJECT_TAG);
  if (RUBY_YAML_TAG.test(text)) report(RUBY_GADGET);
  if (PHP_YAML_OBJECT_TAG.test(text)) report(PHP_YAML_OBJECT);
  if (DOTNET_GADGET_TYPE.test(text) && (DOTNET_TYPE_CONTEXT.test(text) || TYPE_HINT_NAME.test(v.lowerName))) report(DOTNET_GADGET);
  if (NODE_SERIALIZE_FUNCTION.test(text)) report(NODE_FUNCTION);
  if (holdsMarshalledCode(v.raw)) report(MARSHALLED_CODE);
  // A binary stream names its classes and calls in its own framing: no syntax around them to check.
  const stream = unwrappedStream(v.raw);
  if (stream !== undefined) for (const found of streamRules(stream)) report(found);
}

/**
 * A request body that is a serialized stream itself (a pickle, a Marshal or BinaryFormatter
 * stream posted as such): binary, so no value of it is read, only its first bytes.
 */
export function serializedStreamBodyHits(request: RequestView): AttackHit[] {
  const lead = request.body.lead;
  // A text body's values are read as values (inspect above), with the syntax around a name checked.
  if (lead === undefined || request.body.kind !== 'binary') return [];
  const stream = Buffer.from(lead.buffer, lead.byteOffset, Math.min(lead.length, MAX_BASE64_CHARS)).toString('latin1').toLowerCase();
  return streamRules(stream).map((rule) => ({ rule, location: 'body', parameter: '', value: stream.slice(0, 120), score: ruleScore(rule) }));
}

export const deserializationPack: RulePack = {
  name: 'deserialization',
  readsUploads: true,
  readsXmlDocuments: true,
  readsPlainValues: (v) => BINARY_LEAD.test(v.raw) || holdsMarshalledCode(v.raw) || namesJsonpickleCall(v) || TYPE_HINT_NAME.test(v.lowerName),
  classification: 'Deserialization',
  rules: DESERIALIZATION_RULES,
  prefilter: (v) =>
    mayHoldPayload(v.lower) ||
    BINARY_LEAD.test(v.raw.trimStart()) ||
    v.raw.startsWith(MARSHAL_MAGIC) ||
    holdsMarshalledCode(v.raw) ||
    namesJsonpickleCall(v) ||
    TYPE_HINT_NAME.test(v.lowerName),
  inspect,
};
