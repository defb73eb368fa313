import fc from 'fast-check';
import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { graphqlShape } from '@/runtime/analyzer/engine/detection/placements';
import { buildExchange } from '@/test/fixtures/traffic';

const RELAY_QUERY = `query ProductPage($handle: String!, $first: Int = 10, $withReviews: Boolean!) {
  product(handle: $handle) {
    ...ProductFields
    variants(first: $first, filter: {available: {eq: true}}) { edges { node { id price { amount currencyCode } } } }
    reviews(first: 5) @include(if: $withReviews) { edges { node { id rating author { name } } } }
    related: recommendations(intent: RELATED) { id title }
    complementary: recommendations(intent: COMPLEMENTARY) { id title }
  }
}
fragment ProductFields on Product { id title thumbnail: image(size: SMALL) { url } large: image(size: LARGE) { url } }`;

describe('GraphQL document shape', () => {
  it('reads aliases, recurring fields, directives, fragment cycles and mutations', () => {
    expect(graphqlShape(RELAY_QUERY)).toEqual({
      introspection: false,
      mostAliasesOfOneMutation: 0,
      mostRepeatsOnOnePath: 1,
      directives: 1,
      fragmentCycle: false,
      mutations: 0,
    });
    expect(graphqlShape('{ __schema { types { name } } }').introspection).toBe(true);
    expect(graphqlShape('{ __typename user(id: 1) { name } }').introspection).toBe(false);
    // A storefront reads one input type's fields to build its filters.
    expect(graphqlShape('query F { __type(name: "ProductAttributeFilterInput") { inputFields { name } } }').introspection).toBe(false);
    expect(graphqlShape('mutation { a: save(x: 1) { ok } b: save(x: 2) { ok } }').mostAliasesOfOneMutation).toBe(2);
    expect(graphqlShape('query { a: offer(id: 1) { id } b: offer(id: 2) { id } } mutation { c: offer(id: 3) { id } }').mostAliasesOfOneMutation).toBe(1);
    expect(graphqlShape('query { ...A } fragment A on Query { ...B } fragment B on Query { me { id } ...A }').fragmentCycle).toBe(true);
    expect(graphqlShape('query { ...A ...B } fragment A on Query { ...B } fragment B on Query { me { id } }').fragmentCycle).toBe(false);
    expect(graphqlShape('{ a { b { a { b { a { b { a { id } } } } } } } }').mostRepeatsOnOnePath).toBe(4);
    expect(graphqlShape('{ post { comments { replies { replies { replies { id } } } } } }').mostRepeatsOnOnePath).toBe(3);
    expect(graphqlShape('mutation A { x } mutation B { y }').mutations).toBe(2);
    // Every introspection query's type reference: not a cycle walked for its cost.
    expect(
      graphqlShape(
        'fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { name } } } } } }',
      ).mostRepeatsOnOnePath,
    ).toBe(0);
  });

  it('terminates on any text and never reports more repeats than braces', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}()[]:@."#\n abq_ ...on fragment query mutation __schema'.split(' ')), maxLength: 300 }), (text) => {
        const shape = graphqlShape(text);
        expect(shape.mostRepeatsOnOnePath).toBeLessThanOrEqual((text.match(/\{/g) ?? []).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('GraphQL abuse in requests', () => {
  const engines = { 1: createAnalysisEngine({ catalog: false }), 2: createAnalysisEngine({ catalog: false, detectionLevel: 2 }) };
  const rules = (body: string, target = '/graphql', level: 1 | 2 = 1): number[] =>
    engines[level]
      .analyze(buildExchange({ method: 'POST', target, requestHeaders: [['Content-Type', 'application/json']], requestBody: body }), {
        sensorId: 's',
        sensorTags: [],
      })
      .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
      .flatMap((e) => e.matches.map((m) => Number(m.id)));
  const query = (document: string) => JSON.stringify({ query: document });

  it('reports introspection, exhausting documents and brute force', () => {
    // Introspection is what GraphiQL and Apollo Sandbox send as well: it alerts alone from level 2.
    const introspection = query('query IntrospectionQuery { __schema { queryType { name } types { ...T } } } fragment T on __Type { kind name }');
    expect(rules(introspection, '/graphql', 2)).toContain(930103);
    expect(rules(introspection)).toEqual([]);
    expect(rules(query('{ t(first: 100) { p(first: 100) { a { t(first: 100) { p(first: 100) { a { t { p { a { t { id } } } } } } } } } } }'))).toContain(
      960125,
    );
    expect(rules(query('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'))).toContain(960125);
    expect(rules(query(`query { __typename ${'@a'.repeat(60)} }`))).toContain(960125);
    const otp = Array.from({ length: 12 }, (_, i) => `a${i}: verifyOtp(code: "${String(i).padStart(6, '0')}") { ok }`).join(' ');
    expect(rules(query(`mutation { ${otp} }`))).toContain(960126);
    const batch = JSON.stringify(
      Array.from({ length: 12 }, (_, i) => ({ query: `mutation { login(email: "admin@example.com", password: "guess${i}") { token } }` })),
    );
    expect(rules(batch)).toContain(960126);
  });

  it('leaves ordinary client documents and small batches alone', () => {
    expect(rules(JSON.stringify({ query: RELAY_QUERY, variables: { handle: 'lamp', withReviews: true } }))).toEqual([]);
    const batch = JSON.stringify([
      { query: 'mutation AddToCart($id: ID!) { cartLinesAdd(lines: [{merchandiseId: $id, quantity: 1}]) { cart { id } } }', variables: { id: 'gid://shop/1' } },
      { query: 'query Cart { cart { lines(first: 20) { edges { node { id quantity } } } } }' },
      { query: 'mutation Track { track(event: "add_to_cart") { ok } }' },
    ]);
    expect(rules(batch)).toEqual([]);
  });
});
