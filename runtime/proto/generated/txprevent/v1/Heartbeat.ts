// Original file: txprevent/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Sent by either side on a long-lived stream so that idle timeouts (ALB: 60 s) never fire.
 */
export interface Heartbeat {
  'sent_at_unix_ms'?: (number | string | Long);
}

/**
 * Sent by either side on a long-lived stream so that idle timeouts (ALB: 60 s) never fire.
 */
export interface Heartbeat__Output {
  'sent_at_unix_ms': (number);
}
