import { parse } from 'yaml';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { generateTemplate } from '@/runtime/sts/generate';
import { checkNucleiTemplate, exportNucleiTemplate, importNucleiTemplate, NUCLEI_MATCHER_FIELDS } from '@/runtime/sts/nuclei';
import { TemplateError, type ScanTemplate } from '@/runtime/sts/template';
import { testScanner } from './scanner-fixture';

describe('Nuclei export', () => {
  let app: VulnerableApp;
  beforeAll(async () => {
    app = await startVulnerableApp();
  });
  afterAll(() => app.close());
  const { scanner } = testScanner();

  async function templateFor(name: string): Promise<ScanTemplate> {
    const c = ENDPOINT_CASES.find((e) => e.name === name);
    if (!c) throw new Error(`no case ${name}`);
    const result = generateTemplate(await observeFinding(app.url, c), { timeDelaySeconds: 2 });
    if (result.kind !== 'template') throw new Error(result.reason);
    return result.template;
  }

  it.each(ENDPOINT_CASES.map((c) => [c.name, c.expected] as const))(
    '%s: export is valid Nuclei, parses back identically and re-runs to %s',
    async (name, expected) => {
      const template = await templateFor(name);
      const yamlText = exportNucleiTemplate(template);
      expect(checkNucleiTemplate(yamlText)).toEqual([]);

      const document = parse(yamlText) as { id: string; info: Record<string, unknown>; http: Record<string, unknown>[] };
      expect(document.info).toMatchObject({ name: template.name, author: 'tx-prevent-sts', severity: template.severity, tags: template.tags.join(',') });
      expect(document.info.classification).toEqual({ 'cwe-id': template.cwe });
      for (const block of document.http) {
        expect(block.redirects).toBe(false);
        for (const matcher of block.matchers as Record<string, unknown>[]) expect(Object.keys(NUCLEI_MATCHER_FIELDS)).toContain(matcher.type);
        for (const raw of block.raw as string[]) expect(raw).toMatch(/^[A-Z]+ \/\S* HTTP\/1\.1\nHost: \{\{Hostname\}\}\n/);
      }

      const reimported = importNucleiTemplate(yamlText);
      expect(reimported).toEqual(JSON.parse(JSON.stringify(template)));

      const original = await scanner.runTemplate(template, `orig-${name}`, new AbortController().signal);
      const rerun = await scanner.runTemplate(reimported, `rerun-${name}`, new AbortController().signal);
      expect([original.status, rerun.status]).toEqual([expected, expected]);
    },
  );

  it('writes the multi-request comparison with req-condition and the DSL the executor evaluates', async () => {
    const document = parse(exportNucleiTemplate(await templateFor('sqli-blind'))) as { http: Record<string, unknown>[] };
    const boolean = document.http.find((b) => b.id === 'boolean-differential') as Record<string, unknown>;
    expect(boolean['req-condition']).toBe(true);
    expect((boolean.raw as string[]).length).toBe(5);
    expect((boolean.matchers as { dsl: string[] }[])[0].dsl[0]).toContain('status_code_1 == status_code_2');
  });

  it('reports what breaks the documented format', () => {
    const broken = [
      'id: has spaces in it',
      'info:',
      '  severity: urgent',
      'http:',
      '  - raw:',
      '      - "GET / HTTP/1.1\\nHost: example.com\\n\\n"',
      '    matchers-condition: maybe',
      '    matchers:',
      '      - type: wordlist',
      '      - type: regex',
      '    extractors:',
      '      - type: regex',
      '        name: Bad_Name',
      '        regex: ["x"]',
    ].join('\n');
    const problems = checkNucleiTemplate(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('id "has spaces in it"'),
        'info.name is required',
        'info.author is required',
        expect.stringContaining('info.severity must be one of'),
        'http[0].raw[0] must send Host: {{Hostname}}',
        'http[0].matchers-condition must be and/or',
        'http[0].matchers[0].type "wordlist" is not a Nuclei matcher type',
        'http[0].matchers[1] of type regex needs a non-empty regex list',
        'http[0].extractors[0].name must be lower-case without spaces or underscores',
      ]),
    );
  });

  it('refuses to import YAML it cannot run, naming the field', () => {
    expect(() =>
      importNucleiTemplate(
        'id: x\ninfo: {name: n, author: a, severity: low}\nhttp:\n  - path: ["{{BaseURL}}/"]\n    matchers: [{type: status, status: [200]}]\n',
        { target: 'http://127.0.0.1:1' },
      ),
    ).toThrow(/http\[0\]\.raw: must be a list of raw requests/);
    expect(() => importNucleiTemplate('id: [unclosed', {})).toThrow(TemplateError);
    expect(() => importNucleiTemplate('id: x\ninfo: {name: n, author: a, severity: low}\nhttp: []\n', { target: 'not a url' })).toThrow(
      /target: "not a url" is not a URL/,
    );
  });
});
