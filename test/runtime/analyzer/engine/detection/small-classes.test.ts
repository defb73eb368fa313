import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { InspectedValue, LEVEL_THRESHOLDS, inspectValue } from '@/runtime/analyzer/engine/detection';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';

const context = { sensorId: 'sensor-1', sensorTags: [] };
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** The MatchEvent's rule ids and score for one exchange at level 4 (every hit reported), or none. */
function judge(spec: Partial<ExchangeSpec>): { ids: number[]; score: number } {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 4 });
  const events = engine.analyze(
    buildExchange({ method: 'GET', target: '/', host: 'shop.example.com', ...spec, requestHeaders: [['User-Agent', UA], ...(spec.requestHeaders ?? [])] }),
    context,
  );
  const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
  return match === undefined ? { ids: [], score: 0 } : { ids: [...new Set(match.matches.map((m) => m.id))].sort(), score: match.anomaly_score };
}
const query = (q: string): Partial<ExchangeSpec> => ({ target: `/search?${q}` });
const form = (body: string, target = '/login'): Partial<ExchangeSpec> => ({
  method: 'POST',
  target,
  requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
  requestBody: body,
});
const json = (body: unknown, target = '/api/items', method = 'POST'): Partial<ExchangeSpec> => ({
  method,
  target,
  requestHeaders: [['Content-Type', 'application/json']],
  requestBody: typeof body === 'string' ? body : JSON.stringify(body),
});
const alertsAtLevel1 = (spec: Partial<ExchangeSpec>): boolean => judge(spec).score >= LEVEL_THRESHOLDS[1];

describe('LDAP injection', () => {
  it.each([
    'jsmith)(userPassword=s*',
    '*)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example',
    'x)(sn~=smith',
    'a*)(cn>=m',
    'guest))%00',
    'op)%00',
    '*(|(description=*))',
  ])('reads a break-out without a leading wildcard at level 1: %s', (payload) => {
    const result = judge(query(`uid=${encodeURIComponent(payload)}`));
    expect(result.ids).toContain(910101);
    expect(result.score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[1]);
  });

  it('weighs a whole filter of real assertions (a directory admin search) as weak evidence, one of presence tests only as an attack', () => {
    for (const filter of ['(&(objectClass=person)(cn=Jane*))', '(|(mail=*@example.org)(uid=asmith))', '(&(objectClass=*)(sn=Lee))']) {
      const result = judge(query(`filter=${encodeURIComponent(filter)}`));
      expect({ filter, ids: result.ids }).toEqual({ filter, ids: [910104] });
      expect(result.score).toBeLessThan(LEVEL_THRESHOLDS[3]);
    }
    expect(judge(query(`filter=${encodeURIComponent('(|(cn=*)(mail=*))')}`)).ids).toContain(910102);
    expect(judge(query(`filter=${encodeURIComponent('(objectClass=*)')}`)).ids).toEqual([]);
    expect(judge(query(`q=${encodeURIComponent('see note 1) (a=b) and (c)')}`)).ids).toEqual([]);
  });

  it('reads a wildcard login name and password together at level 1, a wildcard password alone from level 3', () => {
    expect(alertsAtLevel1(form('username=*&password=*'))).toBe(true);
    expect(alertsAtLevel1(json({ login: { user: '*', pass: '*' } }))).toBe(true);
    const password = judge(form('email=ann%40example.org&password=*'));
    expect(password.ids).toEqual([910105]);
    expect(password.score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[3]);
    expect(password.score).toBeLessThan(LEVEL_THRESHOLDS[2]);
    expect(judge(form('username=*&password=hunter2')).score).toBeLessThan(LEVEL_THRESHOLDS[3]);
    expect(judge(query('q=*&type=*')).ids).toEqual([]);
    expect(judge(form('username=ann&password=********')).ids).toEqual([]);
  });
});

describe('XPath injection', () => {
  it.each(["TAL-500']/../*['", "x']//*['"])('reads a step to the parent or any node between a closed and a reopened predicate: %s', (payload) => {
    expect(judge(query(`codigo=${encodeURIComponent(payload)}`)).ids).toContain(910201);
  });

  it.each(["gsml:specification|//*[local-name()='password']", 'name | //*[1]'])(
    'reads a union with any node under a predicate where a parameter is a path itself (WFS propertyName): %s',
    (payload) => {
      expect(judge(query(`propertyName=${encodeURIComponent(payload)}`)).ids).toContain(910201);
    },
  );

  it('reads an XQuery FLWOR over a whole document or collection after a break-out, not a query on its own', () => {
    const flwor = 'x" return 1} ; for $u in doc("users.xml")//user return <r>{$u/name/text()}</r> (:';
    expect(judge(query(`title=${encodeURIComponent(flwor)}`)).ids).toContain(910203);
    expect(judge(query(`title=${encodeURIComponent("x') or 1=1] | for $d in collection('/db') return $d")}`)).ids).toContain(910203);
    expect(judge(query(`q=${encodeURIComponent('for $b in doc("books.xml")//book return $b/title')}`)).ids).not.toContain(910203);
  });

  it('reads a predicate closed after a quote and cut with a NUL, not a NUL or a closed predicate alone', () => {
    expect(judge(form('username=admin%27%5D%00&password=x')).ids).toContain(910204);
    expect(judge(form('username=admin%22%5D%00rest&password=x')).ids).toContain(910204);
    expect(judge(form('username=admin%27%5D&password=x')).ids).not.toContain(910204);
    expect(judge(form('username=admin%00&password=x')).ids).not.toContain(910204);
  });

  it.each(["x')]|//user/password|//product[contains(name,'x", '0 or //employee[salary>100000]/name'])(
    'reads a union after a predicate closed past a function call, and `or //` after a number: %s',
    (payload) => {
      expect(judge(query(`q=${encodeURIComponent(payload)}`)).ids).toContain(910201);
    },
  );

  it.each(["a']/b/c['", "//book[@category='web']/title", 'title|author|//book', 'see page 2 or //comments'])(
    'leaves a path stepping to named nodes alone: %s',
    (payload) => {
      expect(judge(query(`codigo=${encodeURIComponent(payload)}`)).ids).not.toContain(910201);
    },
  );

  it.each([
    '//user[position()=1]/child::node()',
    '/*[1]/descendant::node()',
    '//account[last()]/ancestor::*',
    '/child::*/child::*[position()<3]',
    'count(/child::node())',
  ])('reads document enumeration at level 1: %s', (payload) => {
    expect(judge(query(`path=${encodeURIComponent(payload)}`)).ids).toContain(910202);
  });

  it.each(["//book[@category='web']/title", '//*[@id="main"]/div[2]/a', '/html/body/div[3]/section[1]', 'std::vector<int>', 'parent::__construct()'])(
    'leaves a path that names what it selects alone: %s',
    (value) => {
      expect(judge(query(`path=${encodeURIComponent(value)}`)).ids).toEqual([]);
    },
  );
});

describe('NoSQL injection', () => {
  it("leaves a document that names its own fields with `$` (Sift's events): MongoDB refuses such a key", () => {
    const nosql = (value: string) =>
      inspectValue(new InspectedValue('query', 'b', value))
        .map((r) => r.id)
        .filter((id) => id >= 900101 && id <= 900199);
    expect(nosql('{"$type":"$link","$session_id":"233d1195","$url":"https://shop.example.com/items/1"}')).toEqual([]);
    expect(nosql('{"username":{"$ne":null},"password":{"$ne":null}}')).toContain(900101);
  });

  it('reads an operator name alone as a path segment as a route (FHIR and OData operations), as a value as injection', () => {
    const nosql = (location: 'path' | 'query', value: string) =>
      inspectValue(new InspectedValue(location, location === 'path' ? '' : 'q', value))
        .map((r) => r.id)
        .filter((id) => id >= 900101 && id <= 900199);
    expect(nosql('path', '$lookup')).toEqual([]);
    expect(nosql('path', '$match')).toEqual([]);
    expect(nosql('query', '$where')).toContain(900101);
    expect(nosql('path', '{"$where":"sleep(5000)"}')).toContain(900101);
  });

  it("reads server-side JavaScript that reaches MongoDB's database handle (a mapReduce map function) as injection", () => {
    for (const map of [
      "function(){ emit(1, db.getSiblingDB('admin').system.users.find().toArray()) }",
      'function(){ emit(1, tojson(db.getCollectionNames())); }',
      'function(){ return db.runCommand({ listDatabases: 1 }) }',
    ])
      expect(inspectValue(new InspectedValue('body_json', 'map', map)).map((r) => r.id)).toContain(900102);
    expect(inspectValue(new InspectedValue('body_json', 'map', 'function(){ emit(this.customerId, this.total) }')).map((r) => r.id)).toEqual([]);
  });

  it('reads comparison and logical operators under a filter parameter as a filter API (level 3), elsewhere as injection', () => {
    for (const spec of [
      query('filters[price][$gte]=10&filters[title][$containsi]=shirt'),
      query('filters[$or][0][status][$eq]=published&filters[$or][1][featured][$ne]=false'),
      query(`where=${encodeURIComponent('{"qty":{"$lt":5}}')}`),
      json({ collection: 'orders', filter: { status: 'shipped', total: { $gt: 100 } } }, '/admin/api/find'),
      json({ selector: { year: { $gte: 2020 } } }, '/db/_find'),
      // Parse's SDK searches with $regex under `where` (startsWith, contains)
      query(`where=${encodeURIComponent('{"title":{"$regex":"^Linen","$options":"i"}}')}`),
      // and counts with $or over ranges
      query(`where=${encodeURIComponent('{"$or":[{"total":{"$gt":100}},{"priority":true}]}')}`),
      // a reporting API's aggregation pipeline: its $match compares, also two fields with $expr
      json(
        { pipeline: [{ $match: { status: { $in: ['paid'] }, at: { $gte: '2024-04-01' } } }, { $group: { _id: '$region', n: { $sum: 1 } } }] },
        '/api/reports/aggregate',
      ),
      json({ collection: 'budgets', pipeline: [{ $match: { $expr: { $gt: ['$spent', '$limit'] } } }] }, '/api/reports/aggregate'),
      // System.Text.Json's polymorphic discriminator under a field (or a type test on an ordinary one)
      json({ trigger: { $type: 'schedule', cron: '0 * * * *' } }, '/api/v1/notifications'),
    ]) {
      const result = judge(spec);
      expect({ target: spec.target, ids: result.ids }).toEqual({ target: spec.target, ids: [900105] });
      expect(result.score).toBeLessThan(LEVEL_THRESHOLDS[2]);
    }
    for (const spec of [
      query('price[$gte]=10'),
      // an $or whose branch holds on every document widens any filter, under `where` as well
      query(`where=${encodeURIComponent('{"$or":[{"visibility":"public"},{"_id":{"$exists":true}}]}')}`),
      query('user_id[$ne]=0'),
      query('filters[password][$ne]=x'),
      json({ where: { reset_token: { $gt: '' } } }),
      query('name[$regex]=^a'),
      query('filters[password][$regex]=.*'),
      json({ filter: { $where: 'sleep(100)' } }),
      json({ username: 'admin', password: { $in: ['a', 'b'] } }),
      // a type test on a secret matches every account, or every invitation
      json({ username: 'admin', password: { $type: 'string' } }),
      json({ invite_code: { $type: 'string' } }, '/api/invitations/accept'),
      query(`next=${encodeURIComponent('/list?id[$ne]=0')}`),
      // a pipeline stage that reads another collection or runs code, and $expr outside a filter
      json({ pipeline: [{ $lookup: { from: 'users', localField: 'uid', foreignField: '_id', as: 'u' } }] }, '/api/reports/aggregate'),
      json({ pipeline: [{ $match: { $expr: { $function: { body: 'function(){sleep(5000);return true}', args: [], lang: 'js' } } } }] }),
      json({ username: 'admin', password: { $expr: { $eq: [1, 1] } } }),
      // $expr under a filter that reads a secret field piece by piece: an oracle for it
      json({ filter: { $expr: { $eq: [{ $substrCP: ['$apiKey', 0, 3] }, 'sk_'] } } }),
      query(`filter=${encodeURIComponent('{"$expr":{"$eq":[{"$substrCP":["$password",0,1]},"a"]}}')}`),
    ]) {
      expect({ target: spec.target, body: spec.requestBody, level1: alertsAtLevel1(spec) }).toEqual({
        target: spec.target,
        body: spec.requestBody,
        level1: true,
      });
    }
  });

  it("reads $type as MongoDB's operator only when its value is a BSON type, not a dotted type name (AT Protocol, Json.NET)", () => {
    expect(judge(json({ user: 'admin', password: { $type: 'string' } }, '/login')).ids).toContain(900101);
    const post = json({
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text: 'hi', facets: [{ features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://a.example' }] }] },
    });
    expect(judge(post).ids).toEqual([]);
  });

  it('reads aggregation stages that reach other collections or write at level 1, analytics $-keys not at all', () => {
    expect(judge(json({ pipeline: [{ $unionWith: { coll: 'admins' } }] })).ids).toContain(900101);
    expect(judge(json({ stages: [{ $match: {} }, { $out: 'dump' }] })).ids).toContain(900101);
    expect(judge(json({ $set: { $email: 'ann@example.org' }, $distinct_id: 'u1', $setOnce: { plan: 'pro' } }, '/engage')).ids).toEqual([]);
  });

  it.each(["'; while(1){}; var a='", '"; for(;;){} "', "'; sleep(3000); var b='", '7; while(true){}'])(
    'reads a statement after a break-out at level 1: %s',
    (payload) => {
      expect(judge(query(`name=${encodeURIComponent(payload)}`)).ids).toContain(900104);
    },
  );

  it("reads `|| true` after a quote as the $where tautology, not a shell line's `cmd || true`", () => {
    expect(judge(query(`name=${encodeURIComponent("admin' || true")}`)).ids).toContain(900104);
    expect(judge(json({ message: 'ci: run e2e\n- after_script: docker compose down -v || true\n' }, '/project/hooks')).ids).not.toContain(900104);
  });

  it("leaves a source file's statements on lines of their own, as a code gist holds them", () => {
    const gist = {
      files: { 'routes.js': { content: "const express = require('express');\nconst config = require('../lib/config');\nmodule.exports = config;\n" } },
    };
    expect(judge(json(gist, '/gists')).ids).not.toContain(900104);
  });

  it('reads a CouchDB user document claiming _admin through a repeated roles key, and the query-server config, at level 1', () => {
    const body = '{"_id":"org.couchdb.user:eve","name":"eve","type":"user","roles":["_admin"],"roles":[],"password":"x"}';
    expect(judge(json(body, '/_users/org.couchdb.user:eve', 'PUT')).ids).toContain(900106);
    expect(alertsAtLevel1({ method: 'PUT', target: '/_node/_local/_config/query_servers/cmd' })).toBe(true);
    const signup = judge(json({ _id: 'org.couchdb.user:eve', name: 'eve', type: 'user', roles: [], password: 'x' }, '/_users/org.couchdb.user:eve', 'PUT'));
    expect(signup.ids).toEqual([]);
  });

  it('weighs CouchDB administration endpoints as level-3 evidence and leaves database reads alone', () => {
    for (const target of ['/_all_dbs', '/_users/_all_docs?include_docs=true', '/couch/_membership']) {
      const result = judge({ target });
      expect({ target, ids: result.ids }).toEqual({ target, ids: [900107] });
      expect(result.score).toBeLessThan(LEVEL_THRESHOLDS[2]);
    }
    for (const target of ['/notes/_all_docs?include_docs=true', '/notes/_changes?since=now', '/_session']) expect(judge({ target }).ids).toEqual([]);
  });

  it("reads a document id that steps up to CouchDB's user documents at level 1", () => {
    const spec = query(`id=${encodeURIComponent('../_users/_all_docs?include_docs=true&limit=1000')}`);
    expect(judge(spec).ids).toContain(900109);
    expect(alertsAtLevel1(spec)).toBe(true);
  });

  it('reads a JSON string that closes the document the server builds around it and adds members, at level 1', () => {
    for (const term of ['shoe"}},{"script":{"script":{"source":"doc[\'price\'].value > 0"}}}],"must_not":[{"match":{"x":"y', 'bob","role":"admin']) {
      const spec = json({ term, page: 1 }, '/api/catalog/search');
      // An Elasticsearch clause added this way is also the search-engine rule's (900113).
      expect({ term, ids: judge(spec).ids.filter((id) => id !== 900113) }).toEqual({ term, ids: [900108] });
      expect(alertsAtLevel1(spec)).toBe(true);
    }
  });

  it('leaves JSON text in a JSON string, quotes in prose, and raw JSON cut into form fields alone', () => {
    for (const value of ['{"a":"x","b":1}', 'He said "yes", then "no": fine', '[{"id":"7","n":2}]'])
      expect({ value, ids: judge(json({ note: value })).ids }).toEqual({ value, ids: [] });
    expect(judge(form('subid=7kvz1x2","rp":"originalurl","wt":0}', '/log')).ids).toEqual([]);
  });
});

describe('prototype pollution through parameter names', () => {
  it.each([
    'populate[constructor][prototype][polluted]=yes',
    'where[constructor][prototype][isAdmin]=true&where[title][like]=hello',
    "a['constructor']['prototype'][x]=1",
    'a.constructor.prototype.x=1',
  ])('%s alerts at level 1 (950101)', (params) => {
    const spec = query(params);
    expect(judge(spec).ids).toContain(950101);
    expect(alertsAtLevel1(spec)).toBe(true);
  });
});

describe('prototype pollution through property paths given as values', () => {
  it.each<[string, Partial<ExchangeSpec>]>([
    ['a dotted path', json({ path: '__proto__.polluted', value: 'yes' }, '/api/config/set')],
    ['a bracketed path', json({ key: 'settings["__proto__"].isAdmin', value: true }, '/api/config/set')],
    ['a JSON Pointer', json([{ op: 'add', path: '/constructor/prototype/isAdmin', value: true }], '/api/users/7', 'PATCH')],
    ['a path split into array elements', json({ path: ['constructor', 'prototype', 'polluted'], value: true }, '/api/config/set')],
    ['a query array', query('path[]=constructor&path[]=prototype&path[]=x&value=1')],
    ['a bare key', query('key=__proto__&value=x')],
    ['JSON text in a value', query(`data=${encodeURIComponent('{"__proto__":{"isAdmin":true}}')}`)],
    ['an assignment in a value', form(`expr=${encodeURIComponent('constructor.prototype.isAdmin=1')}`, '/api/eval')],
  ])('%s alerts at level 1', (_what, spec) => {
    expect(judge(spec).ids).toContain(950102);
    expect(alertsAtLevel1(spec)).toBe(true);
  });

  it.each<[string, Partial<ExchangeSpec>]>([
    ['a search about the language', query(`q=${encodeURIComponent('Object.prototype.__proto__')}`)],
    ['a search naming the prototype', query('q=constructor.prototype')],
    ['car fields', json({ constructor: 'Ferrari', prototype: 'SF90 Stradale' }, '/api/cars')],
    ['tags in the other order', json({ tags: ['prototype', 'constructor'] })],
    ['prose about prototypes', query(`q=${encodeURIComponent('JavaScript prototype chain and __proto__ explained')}`)],
    ['a networking field', json({ proto: 'tcp', port: 443 })],
    ['two fields holding the words', query('role=constructor&stage=prototype')],
  ])('%s do not', (_what, spec) => {
    expect(judge(spec).ids).toEqual([]);
  });
});

describe('session fixation: a session id the server adopted', () => {
  const adopted = (spec: Partial<ExchangeSpec>, setCookie: string, cookie?: string, date?: string): number[] =>
    judge({
      ...spec,
      status: 302,
      responseHeaders: [['Location', '/home'], ['Set-Cookie', setCookie], ...(date === undefined ? [] : ([['Date', date]] as Array<[string, string]>))],
      requestHeaders: cookie ? [['Cookie', cookie]] : [],
    }).ids;

  it('alerts at level 1 when the response sets the session cookie to the id the URL or form gave', () => {
    expect(adopted({ target: '/login?sessionid=fixed-abc-123' }, 'sessionid=fixed-abc-123; Path=/; HttpOnly')).toContain(920206);
    expect(adopted(form('user=eve&pass=x&PHPSESSID=attackerchosen42'), 'PHPSESSID=attackerchosen42; path=/; HttpOnly')).toContain(920206);
    expect(adopted({ target: '/app/login;jsessionid=0A1B2C3D4E5F6071' }, 'JSESSIONID=0A1B2C3D4E5F6071; Path=/app')).toContain(920206);
    expect(
      alertsAtLevel1({ target: '/signin?connect.sid=s%3Aplanted1234', status: 200, responseHeaders: [['Set-Cookie', 'connect.sid=s:planted1234; Path=/']] }),
    ).toBe(true);
  });

  it('does not when the server issues its own id, already had it, deletes it, or echoes a campaign id', () => {
    expect(adopted({ target: '/login?sessionid=fixed-abc-123' }, 'sessionid=9f8e7d6c5b4a3921; Path=/')).toEqual([]);
    expect(adopted({ target: '/login?sessionid=fixed-abc-123' }, 'sessionid=fixed-abc-123; Path=/', 'sessionid=fixed-abc-123')).not.toContain(920206);
    expect(adopted({ target: '/login?sessionid=fixed-abc-123' }, 'sessionid=fixed-abc-123; Max-Age=0')).toEqual([]);
    expect(adopted({ target: '/?sid=newsletter2024' }, 'sid=newsletter2024; Path=/')).toEqual([]);
    expect(adopted({ target: '/?lang=en-US' }, 'lang=en-US; Path=/')).toEqual([]);
    // A generic name echoed into a script-readable cookie is a site's own value (a talk, a campaign).
    expect(adopted({ target: '/live?sessionId=keynote-2024' }, 'sessionId=keynote-2024; Path=/')).toEqual([]);
    // An expiry in the past of the response's own Date deletes the cookie, whenever it is analysed.
    expect(
      adopted(
        { target: '/login?PHPSESSID=attackerchosen42' },
        'PHPSESSID=attackerchosen42; Expires=Thu, 01 Jan 2026 00:00:00 GMT',
        undefined,
        'Fri, 02 Jan 2026 00:00:00 GMT',
      ),
    ).not.toContain(920206);
  });
});
