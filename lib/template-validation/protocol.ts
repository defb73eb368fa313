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
}

export interface ValidateRequest {
  readonly content: string | Uint8Array;
  readonly name: string;
  readonly options: unknown;
  readonly regoRules: readonly RegoRule[];
}

export type ValidateReply = { readonly report: unknown } | { readonly error: string };
