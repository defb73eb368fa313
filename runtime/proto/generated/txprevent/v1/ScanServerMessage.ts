// Original file: txprevent/v1/scan.proto

import type { ScanAccepted as _txprevent_v1_ScanAccepted, ScanAccepted__Output as _txprevent_v1_ScanAccepted__Output } from '../../txprevent/v1/ScanAccepted';
import type { ScanVerdict as _txprevent_v1_ScanVerdict, ScanVerdict__Output as _txprevent_v1_ScanVerdict__Output } from '../../txprevent/v1/ScanVerdict';
import type { Heartbeat as _txprevent_v1_Heartbeat, Heartbeat__Output as _txprevent_v1_Heartbeat__Output } from '../../txprevent/v1/Heartbeat';

export interface ScanServerMessage {
  'accepted'?: (_txprevent_v1_ScanAccepted | null);
  'verdict'?: (_txprevent_v1_ScanVerdict | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat | null);
  'kind'?: "accepted"|"verdict"|"heartbeat";
}

export interface ScanServerMessage__Output {
  'accepted'?: (_txprevent_v1_ScanAccepted__Output | null);
  'verdict'?: (_txprevent_v1_ScanVerdict__Output | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat__Output | null);
  'kind'?: "accepted"|"verdict"|"heartbeat";
}
