// Original file: txprevent/v1/ingest.proto

import type { HttpExchange as _txprevent_v1_HttpExchange, HttpExchange__Output as _txprevent_v1_HttpExchange__Output } from '../../txprevent/v1/HttpExchange';
import type { SensorCounters as _txprevent_v1_SensorCounters, SensorCounters__Output as _txprevent_v1_SensorCounters__Output } from '../../txprevent/v1/SensorCounters';
import type { Long } from '@grpc/proto-loader';

export interface ExchangeBatch {
  /**
   * 1, 2, 3, ... per stream.
   */
  'seq'?: (number | string | Long);
  'exchanges'?: (_txprevent_v1_HttpExchange)[];
  /**
   * Sensor counters at the time the batch was cut, for the analyzer's metrics.
   */
  'counters'?: (_txprevent_v1_SensorCounters | null);
}

export interface ExchangeBatch__Output {
  /**
   * 1, 2, 3, ... per stream.
   */
  'seq': (number);
  'exchanges': (_txprevent_v1_HttpExchange__Output)[];
  /**
   * Sensor counters at the time the batch was cut, for the analyzer's metrics.
   */
  'counters': (_txprevent_v1_SensorCounters__Output | null);
}
