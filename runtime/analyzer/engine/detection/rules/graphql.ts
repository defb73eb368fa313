/**
 * GraphQL abuse that lies in a document's structure, not in its literals (those are read as values
 * by the other packs): introspection of the schema, documents built to exhaust the server, and
 * brute force packed into one request, which per-request rate limits never see.
 */
import { graphqlShape, type ValueCollector } from '../placements';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule } from '../types';
import { classRule } from './class-rule';

export const GRAPHQL_INTROSPECTION = classRule('ScannerDetection', 'Reconnaissance')(
  930103,
  'ScannerAnalyzer: GraphQL introspection of the whole schema (`__schema`): the API a production site serves its own clients is being mapped',
  'error',
  'high',
  40,
);
export const GRAPHQL_EXHAUSTION = classRule('ProtocolAnomaly')(
  960125,
  'ProtocolAnomaly: GraphQL document built to exhaust the server (one field recurring 4 times along a nesting path, fragments spread in a cycle, or 50 directives or more)',
  'critical',
  'high',
  60,
);
export const GRAPHQL_BRUTE_FORCE = classRule('ProtocolAnomaly')(
  960126,
  'ProtocolAnomaly: GraphQL brute force in one request (one mutation called under 10 aliases or more, or a batch of 10 mutations or more)',
  'critical',
  'high',
  70,
);

export const GRAPHQL_RULES: readonly Rule[] = [GRAPHQL_INTROSPECTION, GRAPHQL_EXHAUSTION, GRAPHQL_BRUTE_FORCE];

/** Nested lists of connections reach 3 (`comments { replies { replies`); a 4th round is a cycle walked for its cost. */
const CYCLE_REPEATS = 4;
/** Clients put a handful of directives on a document (`@include`, `@skip`, `@client`, `@connection`). */
const DIRECTIVE_FLOOD = 50;
/** A form submits a mutation once or a few times (`billing: saveAddress(…) shipping: saveAddress(…)`). */
const ALIAS_FLOOD = 10;
/** Batching clients send a few operations together; ten mutations at once are one guess each. */
const MUTATION_BATCH = 10;

/** @param values the request's values, as collected: the documents among them (see ValueCollector) */
export function graphqlHits(values: ValueCollector): AttackHit[] {
  const documents = values.graphqlDocuments;
  if (documents.length === 0) return [];
  const hits: AttackHit[] = [];
  const hit = (rule: Rule, value: string): void => {
    if (!hits.some((h) => h.rule === rule)) hits.push({ rule, location: 'body_graphql', parameter: 'query', value, score: ruleScore(rule) });
  };
  let mutations = 0;
  for (const document of documents) {
    const shape = graphqlShape(document);
    mutations += shape.mutations;
    if (shape.introspection) hit(GRAPHQL_INTROSPECTION, document);
    if (shape.mostRepeatsOnOnePath >= CYCLE_REPEATS || shape.fragmentCycle || shape.directives >= DIRECTIVE_FLOOD) hit(GRAPHQL_EXHAUSTION, document);
    if (shape.mostAliasesOfOneMutation >= ALIAS_FLOOD) hit(GRAPHQL_BRUTE_FORCE, document);
  }
  if (mutations >= MUTATION_BATCH) hit(GRAPHQL_BRUTE_FORCE, documents[0]!);
  return hits;
}
