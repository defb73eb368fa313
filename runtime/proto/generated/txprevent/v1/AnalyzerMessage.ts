// Original file: txprevent/v1/ingest.proto

import type { Welcome as _txprevent_v1_Welcome, Welcome__Output as _txprevent_v1_Welcome__Output } from '../../txprevent/v1/Welcome';
import type { Ack as _txprevent_v1_Ack, Ack__Output as _txprevent_v1_Ack__Output } from '../../txprevent/v1/Ack';
import type { Heartbeat as _txprevent_v1_Heartbeat, Heartbeat__Output as _txprevent_v1_Heartbeat__Output } from '../../txprevent/v1/Heartbeat';
import type { GoAway as _txprevent_v1_GoAway, GoAway__Output as _txprevent_v1_GoAway__Output } from '../../txprevent/v1/GoAway';

export interface AnalyzerMessage {
  'welcome'?: (_txprevent_v1_Welcome | null);
  'ack'?: (_txprevent_v1_Ack | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat | null);
  'go_away'?: (_txprevent_v1_GoAway | null);
  'kind'?: "welcome"|"ack"|"heartbeat"|"go_away";
}

export interface AnalyzerMessage__Output {
  'welcome'?: (_txprevent_v1_Welcome__Output | null);
  'ack'?: (_txprevent_v1_Ack__Output | null);
  'heartbeat'?: (_txprevent_v1_Heartbeat__Output | null);
  'go_away'?: (_txprevent_v1_GoAway__Output | null);
  'kind'?: "welcome"|"ack"|"heartbeat"|"go_away";
}
