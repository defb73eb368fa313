import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { deserializationPack } from '@/runtime/analyzer/engine/detection/rules/deserialization';
import type { ValueLocation } from '@/runtime/analyzer/engine/detection/types';
import { buildExchange } from '@/test/fixtures/traffic';

const idsOf = (value: string, location: ValueLocation = 'query', name = 'q'): number[] =>
  inspectValue(new InspectedValue(location, name, value), [deserializationPack]).map((r) => r.id);

// Real pickles of an object whose __reduce__ returns (os.system, ('id',)), written by Python's pickle module.
const PICKLE_2 = 'gAJjcG9zaXgKc3lzdGVtCnEAWAIAAABpZHEBhXECUnEDLg==';
const PICKLE_4 = 'gASVHQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg==';
const PICKLE_0 = 'cposix\nsystem\np0\n(Vid\np1\ntp2\nRp3\n.';
/** A pickled dict: what a legitimate pickle looks like. */
const PICKLE_DICT = 'gASVIwAAAAAAAAB9lCiMBHVzZXKUjANhbm6UjARjYXJ0lF2UKEsBSwJLA2V1Lg==';
/** Marshal 4.8 of Gem::Requirement and Gem::StubSpecification objects (the universal gadget's classes). */
const MARSHAL_GADGET = 'BAhbB286FUdlbTo6UmVxdWlyZW1lbnQGOhBAcmVxdWlyZW1lbnRzbzoZR2VtOjpTdHViU3BlY2lmaWNhdGlvbgY6DkBsb2FkZWRfZnJvbUkiDnxpZCAxPiYyBjoGRVQ=';
/** A Rails session: a Marshal hash of strings. */
const MARSHAL_SESSION =
  'BAh7B0kiD3Nlc3Npb25faWQGOgZFVEkiJTAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmBjsAVEkiEF9jc3JmX3Rva2VuBjsARkkiMWFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6MDEyMzQ1Njc4OUFCQ0RFRj0GOwBG';
/** Protocol 4, its strings as BINUNICODE (`X` and a 4-byte length) memoized with BINPUT: os.system('id'). */
const PICKLE_BINUNICODE = 'gASVIAAAAAAAAABYAgAAAG9zcQBYBgAAAHN5c3RlbXEBk3ECWAIAAABpZIVSLg==';
/** A Rails session whose flash reads "a proverb for every day" (`o` `v` `erb` is no ERB class). */
const MARSHAL_PROVERB = 'BAh7BkkiCmZsYXNoBjoGRVRJIh9hIHByb3ZlcmIgZm9yIGV2ZXJ5IGRheQY7AFQ=';
/** LosFormatter ViewState wrapping a BinaryFormatter stream of TextFormattingRunProperties. */
const VIEWSTATE_GADGET =
  '/wEyAAEAAAD/////AQAAAAAAAAAMAgAAAF5NaWNyb3NvZnQuUG93ZXJTaGVsbC5FZGl0b3IsIFZlcnNpb249My4wLjAuMAUBAAAAQk1pY3Jvc29mdC5WaXN1YWxTdHVkaW8uVGV4dC5Gb3JtYXR0aW5nLlRleHRGb3JtYXR0aW5nUnVuUHJvcGVydGllcwEAAAAPRm9yZWdyb3VuZEJydXNo';

describe('deserialization on other platforms', () => {
  it.each<[string, string, number, string?, string?]>([
    ['pickle, protocol 2, base64', PICKLE_2, 430101],
    ['pickle, protocol 4, base64', PICKLE_4, 430101],
    ['pickle, protocol 0, text', PICKLE_0, 430101],
    ['PyYAML apply', '!!python/object/apply:os.system ["id"]', 430102],
    ['jsonpickle reduce', '{"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["id"]}]}', 430102],
    ['Ruby YAML object', '--- !ruby/object:Gem::Installer\ni: x', 430103],
    [
      'Rails XML params of type yaml (CVE-2013-0156)',
      '--- !ruby/hash:ActionController::Routing::RouteSet::NamedRouteCollection\n? ! "foo; eval(1)"\n: x',
      430103,
    ],
    ['Ruby Marshal gadget, base64', MARSHAL_GADGET, 430103],
    ['ViewState with a BinaryFormatter gadget', VIEWSTATE_GADGET, 430104],
    ['Json.NET type hint', '{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start"}', 430104],
    // The type hint's own value, as a JSON body's parse gives it (its key was `\u0024type`, say)
    ['Json.NET type hint, parsed', 'System.Diagnostics.Process, System', 430104, 'body_json', 'layout.ObjectInstance.$type'],
    [
      'SharePoint ToolPane: PerformancePoint ExcelDataSet control',
      '<%@ Register Tagprefix="Scorecard" Namespace="Microsoft.PerformancePoint.Scorecards" Assembly="Microsoft.PerformancePoint.Scorecards.Client, Version=16.0.0.0" %><Scorecard:ExcelDataSet CompressedDataTable="H4sIAAAAAAAEAO29B2AcSZYlJi9tynt" DataTable-CaseSensitive="true" runat="server"/>',
      430104,
    ],
    ['XAML ObjectDataProvider', '<ObjectDataProvider x:Key="a" ObjectType="{x:Type Diag:Process}" MethodName="Start"/>', 430104],
    ['node-serialize', '{"rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'id\')}()"}', 430105],
    ['node-serialize, any expression', "_$$ND_FUNC$$_require('child_process').execSync('id')", 430105],
    ['pickle, BINUNICODE strings and BINPUT memos', PICKLE_BINUNICODE, 430101],
    ['PyYAML verbatim tag', "!<tag:yaml.org,2002:python/object/apply:os.system> ['id']", 430102],
    ['PyYAML %TAG handle', '%TAG !p! tag:yaml.org,2002:python/\n---\n!p!object/apply:os.system ["id"]', 430102],
    ['Ruby %TAG handle', '%TAG !r! !ruby/\n---\n!r!object:Gem::Installer\ni: x', 430103],
  ])('%s', (_name, value, rule, ...where) => {
    // A rest parameter: jest reads a test function's declared parameters past a row's length as its `done`.
    const [location, name] = where;
    expect(location === undefined ? idsOf(value) : idsOf(value, location as ValueLocation, name)).toContain(rule);
  });

  it.each<[string, string]>([
    ['a pickled dict', PICKLE_DICT],
    ['a Rails session cookie', MARSHAL_SESSION],
    ['a forum post about Process.Start', 'Use System.Diagnostics.Process.Start("notepad.exe") to open it'],
    ['a Rails template name', 'app/views/foo.html.erb'],
    ['YAML of an app', 'name: app\nreplicas: 3\n'],
    ['a ViewState of plain state', '/wEPDwUKMTY3NzkyNjk0MmRkZKkH7l3c0ZbK4bIqk8o3vJ3g0dA='],
    ['a Rails session holding the word "proverb"', MARSHAL_PROVERB],
    ["mkdocs' documented emoji setup", 'emoji_index: !!python/name:material.extensions.emoji.twemoji'],
    ['a Ruby hash tag quoted in a question', '--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\nname: x'],
  ])('leaves %s alone', (_name, value) => {
    expect(idsOf(value, 'cookie', 'state')).toEqual([]);
  });

  it("reads Symfony YAML's !php/object tag holding a serialized object, not its !php/const", () => {
    expect(idsOf('meta: !php/object "O:32:\\"Monolog\\\\Handler\\\\SyslogUdpHandler\\":1:{}"', 'body', 'x')).toContain(430106);
    expect(idsOf('meta: !php/object \'O:8:"stdClass":0:{}\'', 'body', 'x')).toContain(430106);
    expect(idsOf('eol: !php/const PHP_EOL', 'body', 'x')).toEqual([]);
  });

  it("reads a Python code object in marshal format (a Keras Lambda layer's function), alone or inside a model's JSON", () => {
    // marshal.dumps((lambda x: __import__('os').system('id')).__code__) on Python 3.11, in base64
    const code = Buffer.concat([
      Buffer.from([0xe3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 0xf3]),
      Buffer.from('__import__ os system id <lambda>'.repeat(4)),
    ]).toString('base64');
    expect(idsOf(code, 'body_json', 'config.layers[].config.function.config.code')).toContain(430107);
    expect(idsOf(JSON.stringify({ class_name: 'Lambda', config: { function: [code, null, null] } }), 'body_json', 'model_json')).toContain(430107);
    // An opaque token that happens to open with the same letters, and a short one
    expect(idsOf(`4wEAAAZZ${'Q'.repeat(160)}`, 'cookie', 'session')).not.toContain(430107);
    expect(idsOf('4wEAAAAAAAAAAAAA', 'query', 'q')).not.toContain(430107);
  });

  it('reads jsonpickle sent as the JSON body itself', () => {
    const events = createAnalysisEngine({ catalog: false, detectionLevel: 1 }).analyze(
      buildExchange({
        method: 'POST',
        target: '/api/restore',
        requestHeaders: [['Content-Type', 'application/json']],
        requestBody: '{"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["id"]}]}',
      }),
      { sensorId: 's', sensorTags: [] },
    );
    const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
    expect(match?.matches.map((m) => m.id)).toContain(430102);
  });

  it('reads a pickle posted as the request body itself', () => {
    const events = createAnalysisEngine({ catalog: false, detectionLevel: 1 }).analyze(
      buildExchange({
        method: 'POST',
        target: '/api/cache',
        requestHeaders: [['Content-Type', 'application/octet-stream']],
        requestBody: Buffer.from(PICKLE_4, 'base64'),
      }),
      { sensorId: 's', sensorTags: [] },
    );
    const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
    expect(match?.matches.map((m) => `${m.id}@${m.location}`)).toContain('430101@body');
  });
});
