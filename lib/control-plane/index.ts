export { TxPreventControlPlane, DEFAULT_GATEWAY_HOSTNAME } from './control-plane';
export type { TxPreventControlPlaneProps, TxPreventLogLevel } from './props';
export { ServiceFleet, DRAIN_HOOK_NAME } from './service-fleet';
export { DEFAULT_TARGET_PORTS } from './service-runtime';
export type { IServiceRuntime, ServiceFleetBinding, ServiceRuntimeConfig, ServiceName } from './service-runtime';
export { ControlPlaneConfiguration } from './configuration';
export { ANALYZER_LISTENER_PORT, STS_LISTENER_PORT } from './load-balancer';
export { ANALYZER_HOST_LABEL, STS_HOST_LABEL } from './dns';
export { TxPreventPropsError } from './validate-props';
