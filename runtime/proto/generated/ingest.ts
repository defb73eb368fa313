import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Ack as _txprevent_v1_Ack, Ack__Output as _txprevent_v1_Ack__Output } from './txprevent/v1/Ack';
import type { AnalyzerMessage as _txprevent_v1_AnalyzerMessage, AnalyzerMessage__Output as _txprevent_v1_AnalyzerMessage__Output } from './txprevent/v1/AnalyzerMessage';
import type { Body as _txprevent_v1_Body, Body__Output as _txprevent_v1_Body__Output } from './txprevent/v1/Body';
import type { Endpoint as _txprevent_v1_Endpoint, Endpoint__Output as _txprevent_v1_Endpoint__Output } from './txprevent/v1/Endpoint';
import type { ExchangeBatch as _txprevent_v1_ExchangeBatch, ExchangeBatch__Output as _txprevent_v1_ExchangeBatch__Output } from './txprevent/v1/ExchangeBatch';
import type { GoAway as _txprevent_v1_GoAway, GoAway__Output as _txprevent_v1_GoAway__Output } from './txprevent/v1/GoAway';
import type { Header as _txprevent_v1_Header, Header__Output as _txprevent_v1_Header__Output } from './txprevent/v1/Header';
import type { Heartbeat as _txprevent_v1_Heartbeat, Heartbeat__Output as _txprevent_v1_Heartbeat__Output } from './txprevent/v1/Heartbeat';
import type { HttpExchange as _txprevent_v1_HttpExchange, HttpExchange__Output as _txprevent_v1_HttpExchange__Output } from './txprevent/v1/HttpExchange';
import type { HttpRequest as _txprevent_v1_HttpRequest, HttpRequest__Output as _txprevent_v1_HttpRequest__Output } from './txprevent/v1/HttpRequest';
import type { HttpResponse as _txprevent_v1_HttpResponse, HttpResponse__Output as _txprevent_v1_HttpResponse__Output } from './txprevent/v1/HttpResponse';
import type { SensorCounters as _txprevent_v1_SensorCounters, SensorCounters__Output as _txprevent_v1_SensorCounters__Output } from './txprevent/v1/SensorCounters';
import type { SensorHello as _txprevent_v1_SensorHello, SensorHello__Output as _txprevent_v1_SensorHello__Output } from './txprevent/v1/SensorHello';
import type { SensorIngestClient as _txprevent_v1_SensorIngestClient, SensorIngestDefinition as _txprevent_v1_SensorIngestDefinition } from './txprevent/v1/SensorIngest';
import type { SensorMessage as _txprevent_v1_SensorMessage, SensorMessage__Output as _txprevent_v1_SensorMessage__Output } from './txprevent/v1/SensorMessage';
import type { Timing as _txprevent_v1_Timing, Timing__Output as _txprevent_v1_Timing__Output } from './txprevent/v1/Timing';
import type { Welcome as _txprevent_v1_Welcome, Welcome__Output as _txprevent_v1_Welcome__Output } from './txprevent/v1/Welcome';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  txprevent: {
    v1: {
      Ack: MessageTypeDefinition<_txprevent_v1_Ack, _txprevent_v1_Ack__Output>
      AnalyzerMessage: MessageTypeDefinition<_txprevent_v1_AnalyzerMessage, _txprevent_v1_AnalyzerMessage__Output>
      Body: MessageTypeDefinition<_txprevent_v1_Body, _txprevent_v1_Body__Output>
      Endpoint: MessageTypeDefinition<_txprevent_v1_Endpoint, _txprevent_v1_Endpoint__Output>
      ExchangeBatch: MessageTypeDefinition<_txprevent_v1_ExchangeBatch, _txprevent_v1_ExchangeBatch__Output>
      GoAway: MessageTypeDefinition<_txprevent_v1_GoAway, _txprevent_v1_GoAway__Output>
      Header: MessageTypeDefinition<_txprevent_v1_Header, _txprevent_v1_Header__Output>
      Heartbeat: MessageTypeDefinition<_txprevent_v1_Heartbeat, _txprevent_v1_Heartbeat__Output>
      HttpExchange: MessageTypeDefinition<_txprevent_v1_HttpExchange, _txprevent_v1_HttpExchange__Output>
      HttpRequest: MessageTypeDefinition<_txprevent_v1_HttpRequest, _txprevent_v1_HttpRequest__Output>
      HttpResponse: MessageTypeDefinition<_txprevent_v1_HttpResponse, _txprevent_v1_HttpResponse__Output>
      ProtocolVersion: EnumTypeDefinition
      SensorCounters: MessageTypeDefinition<_txprevent_v1_SensorCounters, _txprevent_v1_SensorCounters__Output>
      SensorHello: MessageTypeDefinition<_txprevent_v1_SensorHello, _txprevent_v1_SensorHello__Output>
      SensorIngest: SubtypeConstructor<typeof grpc.Client, _txprevent_v1_SensorIngestClient> & { service: _txprevent_v1_SensorIngestDefinition }
      SensorMessage: MessageTypeDefinition<_txprevent_v1_SensorMessage, _txprevent_v1_SensorMessage__Output>
      Severity: EnumTypeDefinition
      Timing: MessageTypeDefinition<_txprevent_v1_Timing, _txprevent_v1_Timing__Output>
      Welcome: MessageTypeDefinition<_txprevent_v1_Welcome, _txprevent_v1_Welcome__Output>
    }
  }
}

