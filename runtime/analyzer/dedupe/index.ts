export { ExchangeIdIndex } from './exchange-id-index';
export type { ExchangeIdIndexOptions, OpenedExchangeIdIndex } from './exchange-id-index';
