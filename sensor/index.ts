export { Sensor } from './agent';
export type { SensorDependencies } from './agent';
export { ConfigError, parseSensorCli, readSensorConfig, resolveConfig, SENSOR_SETTINGS, sensorHelp } from './config';
export type { CliCommand, ResolvedConfig, SensorConfig } from './config';
export { TrafficDecoder } from './decoder';
export { Redactor } from './redact';
export { createLogger } from './log';
export { CaptureError } from './capture';
