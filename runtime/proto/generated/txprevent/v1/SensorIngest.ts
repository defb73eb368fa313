// Original file: txprevent/v1/ingest.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AnalyzerMessage as _txprevent_v1_AnalyzerMessage, AnalyzerMessage__Output as _txprevent_v1_AnalyzerMessage__Output } from '../../txprevent/v1/AnalyzerMessage';
import type { SensorMessage as _txprevent_v1_SensorMessage, SensorMessage__Output as _txprevent_v1_SensorMessage__Output } from '../../txprevent/v1/SensorMessage';

export interface SensorIngestClient extends grpc.Client {
  Stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_SensorMessage, _txprevent_v1_AnalyzerMessage__Output>;
  Stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_SensorMessage, _txprevent_v1_AnalyzerMessage__Output>;
  stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_SensorMessage, _txprevent_v1_AnalyzerMessage__Output>;
  stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_txprevent_v1_SensorMessage, _txprevent_v1_AnalyzerMessage__Output>;
  
}

export interface SensorIngestHandlers extends grpc.UntypedServiceImplementation {
  Stream: grpc.handleBidiStreamingCall<_txprevent_v1_SensorMessage__Output, _txprevent_v1_AnalyzerMessage>;
  
}

export interface SensorIngestDefinition extends grpc.ServiceDefinition {
  Stream: MethodDefinition<_txprevent_v1_SensorMessage, _txprevent_v1_AnalyzerMessage, _txprevent_v1_SensorMessage__Output, _txprevent_v1_AnalyzerMessage__Output>
}
