export { NodeServiceRuntime, ContainerServiceRuntime } from './runtimes';
export type { ServiceRuntimeOptions, ContainerServiceRuntimeOptions } from './runtimes';
export { renderBootScript, renderServiceUnit, renderCloudWatchAgentConfig, renderLifecycleWatcher } from './boot-script';
export type { BootScriptOptions, ServiceLaunch } from './boot-script';
export { serviceBundle, BUNDLE_ENTRY_POINTS } from './bundles';
export type { BundleName, ServiceBundle } from './bundles';
