// Original file: txprevent/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Capture timestamps in microseconds since the Unix epoch (0 when unknown).
 */
export interface Timing {
  'request_start_us'?: (number | string | Long);
  'request_end_us'?: (number | string | Long);
  'response_start_us'?: (number | string | Long);
  'response_end_us'?: (number | string | Long);
}

/**
 * Capture timestamps in microseconds since the Unix epoch (0 when unknown).
 */
export interface Timing__Output {
  'request_start_us': (number);
  'request_end_us': (number);
  'response_start_us': (number);
  'response_end_us': (number);
}
