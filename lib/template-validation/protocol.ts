/** Messages between the synth thread and the template validation worker. */
import type { MessagePort } from 'node:worker_threads';

export interface RegoRule {
  readonly name: string;
  readonly content: string;
}

export interface EngineWorkerData {
  /** Path of the `@aws/cloudformation-validate` module that aws-cdk-lib itself loads. */
  readonly validatorModule: string;
  /** Where the worker posts replies; read synchronously with `receiveMessageOnPort`. */
  readonly replies: MessagePort;
  /** Element 0 counts replies, so the synth thread can block until the next one. */
  readonly replyCount: Int32Array;
  /** Element 0 is the worker's `WorkerState`; a change also wakes the synth thread on `replyCount`. */
  readonly workerState: Int32Array;
}

/** Where the worker is, as the blocked synth thread can see it (it cannot hear worker events). */
export enum WorkerState {
  Starting = 0,
  Running = 1,
  Exited = 2,
}

export interface ValidateRequest {
  readonly content: string | Uint8Array;
  readonly name: string;
  readonly options: unknown;
  readonly regoRules: readonly RegoRule[];
}

export type ValidateReply = { readonly report: unknown } | { readonly error: string };
