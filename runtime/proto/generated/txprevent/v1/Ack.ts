// Original file: txprevent/v1/ingest.proto

import type { Long } from '@grpc/proto-loader';

export interface Ack {
  /**
   * Every batch with seq <= acked_through_seq on this stream is durably accepted.
   */
  'acked_through_seq'?: (number | string | Long);
}

export interface Ack__Output {
  /**
   * Every batch with seq <= acked_through_seq on this stream is durably accepted.
   */
  'acked_through_seq': (number);
}
