// Original file: txprevent/v1/scan.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ScanClientMessage as _txprevent_v1_ScanClientMessage, ScanClientMessage__Output as _txprevent_v1_ScanClientMessage__Output } from '../../txprevent/v1/ScanClientMessage';
import type { ScanServerMessage as _txprevent_v1_ScanServerMessage, ScanServerMessage__Output as _txprevent_v1_ScanServerMessage__Output } from '../../txprevent/v1/ScanServerMessage';

export interface ScanTemplateServiceClient extends grpc.Client {
  Scans(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_ScanClientMessage, _txprevent_v1_ScanServerMessage__Output>;
  Scans(options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_ScanClientMessage, _txprevent_v1_ScanServerMessage__Output>;
  scans(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_ScanClientMessage, _txprevent_v1_ScanServerMessage__Output>;
  scans(options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_ScanClientMessage, _txprevent_v1_ScanServerMessage__Output>;
  
}

export interface ScanTemplateServiceHandlers extends grpc.UntypedServiceImplementation {
  Scans: grpc.handleBidiStreamingCall<_txprevent_v1_ScanClientMessage__Output, _txprevent_v1_ScanServerMessage>;
  
}

export interface ScanTemplateServiceDefinition extends grpc.ServiceDefinition {
  Scans: MethodDefinition<_txprevent_v1_ScanClientMessage, _txprevent_v1_ScanServerMessage, _txprevent_v1_ScanClientMessage__Output, _txprevent_v1_ScanServerMessage__Output>
}
