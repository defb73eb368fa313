export * from './control-plane';
export * from './drop-in-stack';
export * from './service-runtime';
export { NAG_ACKNOWLEDGEMENTS } from './nag';
export type { NagAcknowledgement, NagAcknowledgementName } from './nag';
