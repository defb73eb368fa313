/**
 * The fleet table's item layout shared by the analyzer, the Scan Template Service and the construct's
 * grants. The services' SDK client is in ./client, a module of its own so that the construct library
 * does not load the DynamoDB SDK.
 */
export { evidenceHash, findingItemKey, FINDING_ITEM_PREFIX, FINDING_ITEM_SORT_KEY, SETTLED_VERDICT_STATUSES, VERDICT_ATTRIBUTES } from './finding-item';
