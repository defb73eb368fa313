// Original file: txprevent/v1/ingest.proto

/**
 * The protocol version this file describes. Sent in SensorHello and Welcome.
 */
export const ProtocolVersion = {
  PROTOCOL_VERSION_UNSPECIFIED: 'PROTOCOL_VERSION_UNSPECIFIED',
  PROTOCOL_VERSION_1: 'PROTOCOL_VERSION_1',
} as const;

/**
 * The protocol version this file describes. Sent in SensorHello and Welcome.
 */
export type ProtocolVersion =
  | 'PROTOCOL_VERSION_UNSPECIFIED'
  | 0
  | 'PROTOCOL_VERSION_1'
  | 1

/**
 * The protocol version this file describes. Sent in SensorHello and Welcome.
 */
export type ProtocolVersion__Output = typeof ProtocolVersion[keyof typeof ProtocolVersion]
