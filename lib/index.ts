/**
 * The public API of `tx-prevent-aws` (the package's `.` entry point): the constructs, the
 * drop-in stack, the service runtimes and the cdk-nag acknowledgements. Everything else under
 * lib/ is internal; the deploy policy generator has its own entry point, `tx-prevent-aws/deploy-policy`.
 */
export * from './control-plane';
export * from './drop-in-stack';
export { NodeServiceRuntime, ContainerServiceRuntime } from './service-runtime';
export type { ServiceRuntimeOptions, ContainerServiceRuntimeOptions } from './service-runtime';
export type { SensorHostProps, SensorTarget } from './sensor-host';
export { NAG_ACKNOWLEDGEMENTS } from './nag';
export type { NagAcknowledgement, NagAcknowledgementName } from './nag';
