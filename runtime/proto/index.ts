import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import descriptor from './generated/descriptor.json';
import type { ProtoGrpcType as IngestGrpc } from './generated/ingest';
import type { ProtoGrpcType as ScanGrpc } from './generated/scan';
import type { ProtoGrpcType as HealthGrpc } from './generated/health';

/**
 * How the .proto files are turned into JavaScript objects. runtime/proto/gen-types.sh generates
 * the TypeScript types with the same options, so the types describe what the loader returns.
 */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** Both ends accept messages up to 16 MiB (DESIGN.md); batches stay well below that. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Application heartbeat interval on long-lived streams; the ALB idle timeout is 60 s. */
export const HEARTBEAT_INTERVAL_MS = 20_000;

/** Channel/server options every txprevent gRPC endpoint uses. */
export const GRPC_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
};

/** The protocol version this contract describes (ProtocolVersion.PROTOCOL_VERSION_1). */
export const PROTOCOL_VERSION = 1;

/** Metadata key that carries the sensor/peer bearer token. */
export const AUTHORIZATION_METADATA_KEY = 'authorization';

/** HTTP header every STS scan request carries: `<scan id>.<unix time>.<hex HMAC-SHA256>`. */
export const SCAN_MARKER_HEADER = 'x-txprevent-scan';

export type TxPreventGrpc = IngestGrpc & ScanGrpc & HealthGrpc;

let cached: TxPreventGrpc | undefined;

/** The loaded gRPC package objects for txprevent.v1 and grpc.health.v1 (service constructors). */
export function loadTxPreventGrpc(): TxPreventGrpc {
  if (!cached) {
    const definition = protoLoader.fromJSON(descriptor as Parameters<typeof protoLoader.fromJSON>[0], PROTO_LOADER_OPTIONS);
    cached = grpc.loadPackageDefinition(definition) as unknown as TxPreventGrpc;
  }
  return cached;
}

export type { SensorMessage, SensorMessage__Output } from './generated/txprevent/v1/SensorMessage';
export type { AnalyzerMessage, AnalyzerMessage__Output } from './generated/txprevent/v1/AnalyzerMessage';
export type { SensorHello, SensorHello__Output } from './generated/txprevent/v1/SensorHello';
export type { Welcome, Welcome__Output } from './generated/txprevent/v1/Welcome';
export type { ExchangeBatch, ExchangeBatch__Output } from './generated/txprevent/v1/ExchangeBatch';
export type { SensorCounters, SensorCounters__Output } from './generated/txprevent/v1/SensorCounters';
export type { Ack, Ack__Output } from './generated/txprevent/v1/Ack';
export type { GoAway, GoAway__Output } from './generated/txprevent/v1/GoAway';
export type { Heartbeat, Heartbeat__Output } from './generated/txprevent/v1/Heartbeat';
export type { HttpExchange, HttpExchange__Output } from './generated/txprevent/v1/HttpExchange';
export type { HttpRequest, HttpRequest__Output } from './generated/txprevent/v1/HttpRequest';
export type { HttpResponse, HttpResponse__Output } from './generated/txprevent/v1/HttpResponse';
export type { Header, Header__Output } from './generated/txprevent/v1/Header';
export type { Body, Body__Output } from './generated/txprevent/v1/Body';
export type { Endpoint, Endpoint__Output } from './generated/txprevent/v1/Endpoint';
export type { Timing, Timing__Output } from './generated/txprevent/v1/Timing';
export type { Severity, Severity__Output } from './generated/txprevent/v1/Severity';
export type { Finding, Finding__Output } from './generated/txprevent/v1/Finding';
export type { ScanClientMessage, ScanClientMessage__Output } from './generated/txprevent/v1/ScanClientMessage';
export type { ScanServerMessage, ScanServerMessage__Output } from './generated/txprevent/v1/ScanServerMessage';
export type { ScanSubmit, ScanSubmit__Output } from './generated/txprevent/v1/ScanSubmit';
export type { ScanAccepted, ScanAccepted__Output } from './generated/txprevent/v1/ScanAccepted';
export type { ScanVerdict, ScanVerdict__Output } from './generated/txprevent/v1/ScanVerdict';
export type { ScanEvidence, ScanEvidence__Output } from './generated/txprevent/v1/ScanEvidence';
export type { VerdictStatus, VerdictStatus__Output } from './generated/txprevent/v1/VerdictStatus';
export type { SensorIngestClient, SensorIngestHandlers } from './generated/txprevent/v1/SensorIngest';
export type { ScanTemplateServiceClient, ScanTemplateServiceHandlers } from './generated/txprevent/v1/ScanTemplateService';
export type { HealthClient, HealthHandlers } from './generated/grpc/health/v1/Health';
