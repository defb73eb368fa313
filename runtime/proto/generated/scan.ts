import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Body as _txprevent_v1_Body, Body__Output as _txprevent_v1_Body__Output } from './txprevent/v1/Body';
import type { Endpoint as _txprevent_v1_Endpoint, Endpoint__Output as _txprevent_v1_Endpoint__Output } from './txprevent/v1/Endpoint';
import type { Finding as _txprevent_v1_Finding, Finding__Output as _txprevent_v1_Finding__Output } from './txprevent/v1/Finding';
import type { Header as _txprevent_v1_Header, Header__Output as _txprevent_v1_Header__Output } from './txprevent/v1/Header';
import type { Heartbeat as _txprevent_v1_Heartbeat, Heartbeat__Output as _txprevent_v1_Heartbeat__Output } from './txprevent/v1/Heartbeat';
import type { HttpExchange as _txprevent_v1_HttpExchange, HttpExchange__Output as _txprevent_v1_HttpExchange__Output } from './txprevent/v1/HttpExchange';
import type { HttpRequest as _txprevent_v1_HttpRequest, HttpRequest__Output as _txprevent_v1_HttpRequest__Output } from './txprevent/v1/HttpRequest';
import type { HttpResponse as _txprevent_v1_HttpResponse, HttpResponse__Output as _txprevent_v1_HttpResponse__Output } from './txprevent/v1/HttpResponse';
import type { ScanAccepted as _txprevent_v1_ScanAccepted, ScanAccepted__Output as _txprevent_v1_ScanAccepted__Output } from './txprevent/v1/ScanAccepted';
import type { ScanClientMessage as _txprevent_v1_ScanClientMessage, ScanClientMessage__Output as _txprevent_v1_ScanClientMessage__Output } from './txprevent/v1/ScanClientMessage';
import type { ScanEvidence as _txprevent_v1_ScanEvidence, ScanEvidence__Output as _txprevent_v1_ScanEvidence__Output } from './txprevent/v1/ScanEvidence';
import type { ScanServerMessage as _txprevent_v1_ScanServerMessage, ScanServerMessage__Output as _txprevent_v1_ScanServerMessage__Output } from './txprevent/v1/ScanServerMessage';
import type { ScanSubmit as _txprevent_v1_ScanSubmit, ScanSubmit__Output as _txprevent_v1_ScanSubmit__Output } from './txprevent/v1/ScanSubmit';
import type { ScanTemplateServiceClient as _txprevent_v1_ScanTemplateServiceClient, ScanTemplateServiceDefinition as _txprevent_v1_ScanTemplateServiceDefinition } from './txprevent/v1/ScanTemplateService';
import type { ScanVerdict as _txprevent_v1_ScanVerdict, ScanVerdict__Output as _txprevent_v1_ScanVerdict__Output } from './txprevent/v1/ScanVerdict';
import type { Timing as _txprevent_v1_Timing, Timing__Output as _txprevent_v1_Timing__Output } from './txprevent/v1/Timing';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  txprevent: {
    v1: {
      Body: MessageTypeDefinition<_txprevent_v1_Body, _txprevent_v1_Body__Output>
      Endpoint: MessageTypeDefinition<_txprevent_v1_Endpoint, _txprevent_v1_Endpoint__Output>
      Finding: MessageTypeDefinition<_txprevent_v1_Finding, _txprevent_v1_Finding__Output>
      Header: MessageTypeDefinition<_txprevent_v1_Header, _txprevent_v1_Header__Output>
      Heartbeat: MessageTypeDefinition<_txprevent_v1_Heartbeat, _txprevent_v1_Heartbeat__Output>
      HttpExchange: MessageTypeDefinition<_txprevent_v1_HttpExchange, _txprevent_v1_HttpExchange__Output>
      HttpRequest: MessageTypeDefinition<_txprevent_v1_HttpRequest, _txprevent_v1_HttpRequest__Output>
      HttpResponse: MessageTypeDefinition<_txprevent_v1_HttpResponse, _txprevent_v1_HttpResponse__Output>
      ScanAccepted: MessageTypeDefinition<_txprevent_v1_ScanAccepted, _txprevent_v1_ScanAccepted__Output>
      ScanClientMessage: MessageTypeDefinition<_txprevent_v1_ScanClientMessage, _txprevent_v1_ScanClientMessage__Output>
      ScanEvidence: MessageTypeDefinition<_txprevent_v1_ScanEvidence, _txprevent_v1_ScanEvidence__Output>
      ScanServerMessage: MessageTypeDefinition<_txprevent_v1_ScanServerMessage, _txprevent_v1_ScanServerMessage__Output>
      ScanSubmit: MessageTypeDefinition<_txprevent_v1_ScanSubmit, _txprevent_v1_ScanSubmit__Output>
      ScanTemplateService: SubtypeConstructor<typeof grpc.Client, _txprevent_v1_ScanTemplateServiceClient> & { service: _txprevent_v1_ScanTemplateServiceDefinition }
      ScanVerdict: MessageTypeDefinition<_txprevent_v1_ScanVerdict, _txprevent_v1_ScanVerdict__Output>
      Severity: EnumTypeDefinition
      Timing: MessageTypeDefinition<_txprevent_v1_Timing, _txprevent_v1_Timing__Output>
      VerdictStatus: EnumTypeDefinition
    }
  }
}

