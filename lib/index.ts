export * from './control-plane';
export * from './drop-in-stack';
export * from './service-runtime';
export { renderSensorInstallScript, renderSensorUnit } from './sensor-host';
export type { SensorHostProps, SensorTarget, SensorInstallOptions } from './sensor-host';
export { NAG_ACKNOWLEDGEMENTS } from './nag';
export type { NagAcknowledgement, NagAcknowledgementName } from './nag';
