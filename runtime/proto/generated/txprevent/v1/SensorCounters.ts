// Original file: txprevent/v1/ingest.proto

import type { Long } from '@grpc/proto-loader';

export interface SensorCounters {
  'packets'?: (number | string | Long);
  'kernel_drops'?: (number | string | Long);
  'flows'?: (number | string | Long);
  'exchanges'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'spool_depth'?: (number | string | Long);
  'spool_dropped'?: (number | string | Long);
  'reconnects'?: (number | string | Long);
}

export interface SensorCounters__Output {
  'packets': (number);
  'kernel_drops': (number);
  'flows': (number);
  'exchanges': (number);
  'bytes': (number);
  'spool_depth': (number);
  'spool_dropped': (number);
  'reconnects': (number);
}
