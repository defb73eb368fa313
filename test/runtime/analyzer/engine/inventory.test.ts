import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';
import { canonicalTemplate, classifySegment, PathTemplater } from '@/runtime/analyzer/engine/path-template';

const context = { sensorId: 'sensor-1', sensorTags: ['prod'] };

type Operation = Record<string, unknown> & { parameters?: Array<Record<string, unknown>> };
function operation(doc: Record<string, unknown>, path: string, method: string): Operation {
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  expect(Object.keys(paths)).toContain(path);
  return paths[path][method];
}

describe('endpoint templating', () => {
  it.each([
    ['42', 'id'],
    ['9007199254740993123', 'id'],
    ['3f2b8c1e-9a4d-4b6e-8f00-1234567890ab', 'uuid'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'hash'],
    ['2024-01-31', 'date'],
    ['20240131', 'date'],
    ['alice@example.com', 'email'],
    ['aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRva2VuMTIz', 'token'],
    ['users', null],
    ['v1', null],
    ['getUserProfileSettings', null],
  ])('classifies %s as %s', (segment, kind) => {
    expect(classifySegment(segment)).toBe(kind);
  });

  it('templates value segments and numbers repeated kinds', () => {
    const t = new PathTemplater();
    expect(t.template('/users/42/orders/7', true).template).toBe('/users/{id}/orders/{id2}');
    expect(t.template('/files/3f2b8c1e-9a4d-4b6e-8f00-1234567890ab', true).template).toBe('/files/{uuid}');
  });

  it('collapses a position with many distinct literals (per-segment cardinality)', () => {
    const t = new PathTemplater(5);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) expect(t.template(`/u/${name}/profile`, true).template).toBe(`/u/${name}/profile`);
    // Known paths are answered from the cache until the trie changes.
    expect(t.template('/u/alice/profile', true).template).toBe('/u/alice/profile');
    expect(t.template('/u/alice/profile', false).template).toBe('/u/alice/profile');
    expect(t.template('/u/frank/profile', true).template).toBe('/u/{param}/profile');
    expect(t.template('/u/alice/profile', true).template).toBe('/u/{param}/profile');
    // Other positions keep their literals.
    expect(t.template('/static/app.js', true).template).toBe('/static/app.js');
  });
});

describe('canonical templates (finding ids)', () => {
  it.each([
    ['/users/42/orders/7', '/users/{id}/orders/{id2}'],
    ['/static/app.3f2a9c1b.js', '/static/app.{hash}.js'],
    ['/static/vendor-5D41402A.css', '/static/vendor-{hash}.css'],
    ['/static/chunk.1a2b3c4d.5e6f7a8b.js', '/static/chunk.{hash}.{hash}.js'],
    ['/commits/a1b2c3d4', '/commits/{hash}'],
    // Words of hex letters, and runs without a digit, are names.
    ['/static/deadbeefcafe.js', '/static/deadbeefcafe.js'],
    ['/files/facade-accepted.txt', '/files/facade-accepted.txt'],
    ['/u/alice/profile', '/u/alice/profile'],
    ['/a/{b}', '/a/_b_'],
    ['/', '/'],
  ])('%s → %s', (path, template) => {
    expect(canonicalTemplate(path)).toBe(template);
  });

  it('equals the learnt template where the trie learnt nothing beyond the fixed rules', () => {
    const t = new PathTemplater(5);
    for (const path of ['/users/42/orders/7', '/files/3f2b8c1e-9a4d-4b6e-8f00-1234567890ab', '/v1/items']) {
      expect(canonicalTemplate(path)).toBe(t.template(path, true).template);
    }
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) t.template(`/u/${name}`, true);
    // The trie now treats the position as a value; the canonical template does not, on any analyzer.
    expect(t.template('/u/g', false).template).toBe('/u/{param}');
    expect(canonicalTemplate('/u/g')).toBe('/u/g');
  });
});

describe('API inventory', () => {
  it('is not built with the catalog off (EnableCatalogMonitor=false), while detection goes on', () => {
    const engine = createAnalysisEngine({ catalog: false });
    engine.analyze(buildExchange({ target: '/api/users/1' }), context);
    const events = engine.analyze(buildExchange({ target: "/api/users/2?q=1' OR '1'='1" }), context);
    expect(events.map((event) => event.msg_type)).toContain('MatchEvent');
    expect(engine.counters().endpoints).toBe(0);
    expect(engine.openApi().paths).toEqual({});
  });

  it('records methods, parameters with types, content types, auth schemes and status codes as OpenAPI 3.1', () => {
    const engine = createAnalysisEngine();
    for (const id of [1, 2, 3]) {
      engine.analyze(
        buildExchange({
          target: `/api/users/${id}?verbose=true&limit=${id * 10}`,
          requestHeaders: [['Authorization', 'Bearer <redacted>']],
          responseHeaders: [['Content-Type', 'application/json; charset=utf-8']],
          responseBody: '{"id":1}',
        }),
        context,
      );
    }
    engine.analyze(
      buildExchange({
        method: 'POST',
        target: '/api/users',
        requestHeaders: [
          ['Content-Type', 'application/json'],
          ['X-Api-Key', 'redacted:k1:0011223344556677:32'],
        ],
        requestBody: JSON.stringify({ name: 'Ann', age: 31, admin: false, address: { zip: '12345' }, tags: ['a'] }),
        status: 201,
      }),
      context,
    );
    engine.analyze(buildExchange({ target: '/api/users/9', status: 404, requestHeaders: [['Cookie', 'session=redacted:k1:aa:10']] }), context);
    const doc = engine.openApi();
    expect(doc.openapi).toBe('3.1.0');
    const get = operation(doc, '/api/users/{id}', 'get');
    expect(get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer' } },
      { name: 'verbose', in: 'query', required: false, schema: { type: 'boolean' } },
    ]);
    expect(Object.keys(get.responses as object)).toEqual(['200', '404']);
    expect(get.security).toEqual([{ bearerAuth: [] }, { cookie_session: [] }]);
    const post = operation(doc, '/api/users', 'post');
    const body = post.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    expect(body.content['application/json'].schema.properties).toEqual({
      'address.zip': { type: 'string' },
      admin: { type: 'boolean' },
      age: { type: 'integer' },
      name: { type: 'string' },
      'tags[]': { type: 'string' },
    });
    expect(post.security).toEqual([{ 'apiKeyHeader_x-api-key': [] }]);
    const schemes = (doc.components as { securitySchemes: Record<string, unknown> }).securitySchemes;
    expect(schemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    expect(schemes['apiKeyHeader_x-api-key']).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(doc.servers).toEqual([{ url: 'http://api.example.com' }]);
    expect(engine.counters().endpoints).toBe(2);
  });

  it('merges endpoints recorded before a position was learnt to be a parameter', () => {
    const engine = createAnalysisEngine();
    for (let i = 0; i < 60; i++) engine.analyze(buildExchange({ target: `/catalog/item-${String.fromCharCode(97 + (i % 26))}${i}` }), context);
    const paths = Object.keys(engine.openApi().paths as object);
    expect(paths).toEqual(['/catalog/{param}']);
  });

  it('does not learn endpoints from 404 probes or attack requests, but records their status on known ones', () => {
    const engine = createAnalysisEngine();
    for (let i = 0; i < 30; i++) engine.analyze(buildExchange({ target: `/probe-${i}.php`, status: 404 }), context);
    engine.analyze(buildExchange({ target: '/admin/../../etc/passwd' }), context);
    engine.analyze(buildExchange({ target: "/api/items?q=1'%20OR%20'1'='1" }), context);
    expect(Object.keys(engine.openApi().paths as object)).toEqual([]);
    engine.analyze(buildExchange({ target: '/api/items?q=shoes' }), context);
    engine.analyze(buildExchange({ target: "/api/items?q=1'%20OR%20'1'='1", status: 400 }), context);
    const op = operation(engine.openApi(), '/api/items', 'get');
    expect(Object.keys(op.responses as object)).toEqual(['200', '400']);
  });

  it('samples the request shape of hot endpoints without losing counts or required flags', () => {
    const engine = createAnalysisEngine();
    for (let i = 0; i < 1100; i++) engine.analyze(buildExchange({ target: `/api/feed?page=${i}` }), context);
    for (let i = 0; i < 16; i++) engine.analyze(buildExchange({ target: `/api/feed?page=${i}&filter=new`, status: i === 0 ? 206 : 200 }), context);
    const op = operation(engine.openApi(), '/api/feed', 'get');
    expect(op['x-txprevent-observations']).toBe(1116);
    expect(op.parameters).toEqual([
      { name: 'filter', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'page', in: 'query', required: true, schema: { type: 'integer' } },
    ]);
    expect(Object.keys(op.responses as object)).toEqual(['200', '206']);
  });

  it('stops adding endpoints at maxEndpoints', () => {
    const engine = createAnalysisEngine({ limits: { maxEndpoints: 3 } });
    for (const p of ['/a', '/b', '/c', '/d', '/e']) engine.analyze(buildExchange({ target: p }), context);
    expect(engine.counters().endpoints).toBe(3);
    expect(Object.keys(engine.openApi().paths as object)).toEqual(['/a', '/b', '/c']);
  });

  it('reads form and multipart bodies and gzip-encoded bodies', () => {
    const { gzipSync } = require('node:zlib') as typeof import('node:zlib');
    const engine = createAnalysisEngine();
    engine.analyze(
      buildExchange({
        method: 'POST',
        target: '/login',
        requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
        requestBody: 'user=ann&remember=1',
      }),
      context,
    );
    engine.analyze(
      buildExchange({
        method: 'PUT',
        target: '/upload',
        requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XYZ']],
        requestBody:
          '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nHoliday\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nPNGDATA\r\n--XYZ--\r\n',
      }),
      context,
    );
    engine.analyze(
      buildExchange({
        method: 'PATCH',
        target: '/prefs',
        requestHeaders: [['Content-Type', 'application/json']],
        requestBody: gzipSync('{"theme":"dark"}'),
        requestContentEncoding: 'gzip',
      }),
      context,
    );
    const doc = engine.openApi();
    const props = (path: string, method: string): string[] => {
      const body = operation(doc, path, method).requestBody as { content: Record<string, { schema: { properties: object } }> };
      return Object.keys(Object.values(body.content)[0].schema.properties);
    };
    expect(props('/login', 'post')).toEqual(['remember', 'user']);
    expect(props('/upload', 'put')).toEqual(['file.filename', 'title']);
    expect(props('/prefs', 'patch')).toEqual(['theme']);
  });
});
