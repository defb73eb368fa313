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

export const DESERIALIZATION_RULES: readonly Rule[] = [PICKLE_CALL, PYTHON_OBJECT_TAG, RUBY_GADGET, DOTNET_GADGET, NODE_FUNCTION];

/** Modules and functions a pickle's GLOBAL (protocol 0-3) or STACK_GLOBAL (4-5) imports to run something. */
const PICKLE_MODULES = 'os|posix|nt|subprocess|builtins|__builtin__|commands|pty|runpy|platform|webbrowser|code|pdb|timeit|ctypes';
const PICKLE_FUNCTIONS =
  'system|popen\\d?|exec|eval|execfile|compile|__import__|spawn\\w{0,4}|check_output|check_call|call|run|getoutput|getstatusoutput|startfile|open_new|spawnl|run_path|run_module|interact|runcall|runeval|timeit|cdll';
/**
 * GLOBAL: `c` module newline name newline. STACK_GLOBAL: two short strings (0x8c, a length byte),
 * each optionally memoized (0x94), then 0x93.
 */
const PICKLE_IMPORT = new RegExp(
  String.raw`(?:^|[^a-z0-9_])c(?:${PICKLE_MODULES})\n(?:${PICKLE_FUNCTIONS})\n|\x8c[\x01-\x20](?:${PICKLE_MODULES})\x94?\x8c[\x01-\x20](?:${PICKLE_FUNCTIONS})\x94?\x93`,
);

/** PyYAML's constructors of arbitrary objects; jsonpickle's references to a callable of those modules. */
const PYTHON_TAG = new RegExp(
  String.raw`!!python\/(?:object(?:\/apply|\/new)?|name|module)\s{0,3}:|"py\/(?:function|type|object|reduce|repr)"\s{0,3}:\s{0,3}\[?\s{0,3}(?:\{\s{0,3}"py\/function"\s{0,3}:\s{0,3})?"(?:${PICKLE_MODULES})[./]`,
);

/** Ruby's YAML object tags (Psych builds any class from them) and Marshal's gadget classes, after their `o:`/`:`/`c` and length byte. */
const RUBY_YAML_TAG = /!ruby\/(?:object|hash|struct|class|module|marshalable|sym|array|string):/;
const RUBY_MARSHAL_GADGET =
  /[o:c][\x05-\x7f](?:gem::(?:requirement|stubspecification|installer|package::tarreader|requestset|specification|source::specificfile|dependencylist)|net::(?:writeadapter|bufferedio)|activesupport::deprecation::deprecated(?:instancevariable|object)proxy|activemodel::attributemethods|erb\b)/;

/**
 * Types whose construction or property setters run code, from the published .NET gadget chains;
 * XAML's ObjectDataProvider calling a method (its type named through a namespace prefix).
 */
const DOTNET_GADGET_TYPE =
  /<(?:[a-z]{1,20}:)?objectdataprovider\b[^>]{0,500}?\bmethodname\s{0,3}=|system\.windows\.data\.objectdataprovider|system\.diagnostics\.process(?:startinfo)?\b|textformattingrunproperties|system\.configuration\.install\.assemblyinstaller|system\.activities\.presentation\.workflowdesigner|system\.windows\.resourcedictionary|activitysurrogateselector|system\.workflow\.componentmodel\.serialization|system\.web\.ui\.objectstateformatter|system\.data\.services\.internal\.expandedwrapper|system\.management\.automation\.psobject|system\.security\.principal\.windowsidentity|system\.identitymodel\.tokens\.sessionsecuritytoken|system\.web\.security\.roleprincipal|system\.runtime\.remoting\.objref|system\.windows\.forms\.axhost|system\.delegateserializationholder|system\.windows\.markup\.xamlreader/;

/**
 * In text, a gadget type counts where a serializer reads a type: a Json.NET or JavaScriptSerializer
 * type hint, XAML, or an assembly-qualified name. A forum post about `Process.Start` names it in prose.
 */
const DOTNET_TYPE_CONTEXT =
  /\$type|__type|clr-namespace:|xmlns|<[a-z]{0,20}:?objectdataprovider|,\s{0,3}(?:presentationframework|presentationcore|windowsbase|mscorlib|system(?:\.[a-z]{2,20}){0,3})\s{0,3}(?:,|"|'|$)/;

const NODE_SERIALIZE_FUNCTION = /_\$\$nd_func\$\$_\s{0,3}function\b/;

/** Base64 leads of binary formats: pickle protocols 2-5, Marshal 4.8, LosFormatter, BinaryFormatter's header. */
const BINARY_LEAD = /^(?:gA[JNSW]|BAh|\/wE|AAEAAAD\/\/\/\/\/)/;
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

const PREFILTER =
  /!!python\/|"py\/|!ruby\/|_\$\$nd_func\$\$_|objectdataprovider|system\.diagnostics\.process|textformattingrunproperties|assemblyinstaller|workflowdesigner|resourcedictionary|activitysurrogateselector|objectstateformatter|expandedwrapper|psobject|windowsidentity|sessionsecuritytoken|roleprincipal|remoting\.objref|axhost|delegateserializationholder|xamlreader|\nsystem\n|\nexec\n|\neval\n|\npopen|\x8c/;

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
  if (PYTHON_TAG.test(text)) report(PYTHON_OBJECT_TAG);
  if (RUBY_YAML_TAG.test(text)) report(RUBY_GADGET);
  if (DOTNET_GADGET_TYPE.test(text) && DOTNET_TYPE_CONTEXT.test(text)) report(DOTNET_GADGET);
  if (NODE_SERIALIZE_FUNCTION.test(text)) report(NODE_FUNCTION);
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
  readsPlainValues: (v) => BINARY_LEAD.test(v.raw),
  classification: 'Deserialization',
  rules: DESERIALIZATION_RULES,
  prefilter: (v) => PREFILTER.test(v.lower) || BINARY_LEAD.test(v.raw.trimStart()) || v.raw.startsWith(MARSHAL_MAGIC),
  inspect,
};
