// Original file: txprevent/v1/scan.proto

import type { ScanSubmit as _txprevent_v1_ScanSubmit, ScanSubmit__Output as _txprevent_v1_ScanSubmit__Output } from '../../txprevent/v1/ScanSubmit';
import type { Heartbeat as _txprevent_v1_Heartbeat, Heartbeat__Output as _txprevent_v1_Heartbeat__Output } from '../../txprevent/v1/Heartbeat';

export interface ScanClientMessage {
  'submit'?: (_txprevent_v1_ScanSubmit | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat | null);
  'kind'?: "submit"|"heartbeat";
}

export interface ScanClientMessage__Output {
  'submit'?: (_txprevent_v1_ScanSubmit__Output | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat__Output | null);
  'kind'?: "submit"|"heartbeat";
}
