export { HttpConnection, emptyHttpCounters } from './connection';
export type { DecodedExchange, HttpConnectionOptions, HttpCounters, SkipKind } from './connection';
export { HttpMessageParser } from './message-parser';
export type { MessageSink, ParsedMessage, ParserLimits, Role } from './message-parser';
export type { MessageHead } from './head';
export { DEFAULT_RESPONSE_BODY_SKIP_TYPES, ResponseBodyPolicy, SKIPPED_BODY_SIGNATURE_BYTES, skipTypeProblem } from './capture-policy';
