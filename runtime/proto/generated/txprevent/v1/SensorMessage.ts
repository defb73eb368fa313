// Original file: txprevent/v1/ingest.proto

import type { SensorHello as _txprevent_v1_SensorHello, SensorHello__Output as _txprevent_v1_SensorHello__Output } from '../../txprevent/v1/SensorHello';
import type { ExchangeBatch as _txprevent_v1_ExchangeBatch, ExchangeBatch__Output as _txprevent_v1_ExchangeBatch__Output } from '../../txprevent/v1/ExchangeBatch';
import type { Heartbeat as _txprevent_v1_Heartbeat, Heartbeat__Output as _txprevent_v1_Heartbeat__Output } from '../../txprevent/v1/Heartbeat';

export interface SensorMessage {
  'hello'?: (_txprevent_v1_SensorHello | null);
  'batch'?: (_txprevent_v1_ExchangeBatch | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat | null);
  'kind'?: "hello"|"batch"|"heartbeat";
}

export interface SensorMessage__Output {
  'hello'?: (_txprevent_v1_SensorHello__Output | null);
  'batch'?: (_txprevent_v1_ExchangeBatch__Output | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat__Output | null);
  'kind'?: "hello"|"batch"|"heartbeat";
}
