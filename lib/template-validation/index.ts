/**
 * aws-cdk-lib's template validation, with its engine built on a worker thread.
 *
 * Building the engine (a 9 MB WebAssembly validator loading every resource schema) takes 1-2 s
 * of every synth, and aws-cdk-lib only starts it once the templates are written, on the thread
 * that did all the other work. Registered at the start of an app, this plugin starts the engine
 * on a second core straight away, so by the time synthesis reaches validation the engine is
 * ready (see docs/benchmarks.md, Synth).
 *
 * It is aws-cdk-lib's own `CloudFormationValidatePlugin` (so aws-cdk-lib runs it instead of the
 * default one, with the same options, rules, severities and report), with only its engine
 * replaced by a handle to the worker's engine. That engine slot is private to aws-cdk-lib: when
 * this version of aws-cdk-lib does not have it, or the worker fails, validation runs on the
 * synth thread exactly as without this plugin. The tests check the worker is really used.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { startWorkerScript } from '../../runtime/worker-script';
import { EnginesByRules, type Engine, type Validator } from './engines';
import { WorkerState, type EngineWorkerData, type RegoRule, type ValidateReply, type ValidateRequest } from './protocol';

/** The longest the synth thread waits for one template's answer before validating it itself. */
const REPLY_TIMEOUT_MS = 120_000;
/** The longest a worker may take to start running its script (it then builds the engine). */
const START_TIMEOUT_MS = 30_000;

interface RuleIndex {
  readonly rules: readonly { readonly file: string; readonly types: readonly string[] | null }[];
}

export interface CloudFormationValidationOnWorkerOptions {
  /**
   * The validator module the worker loads (tests use a broken one to exercise the fallback).
   * @default the `@aws/cloudformation-validate` that aws-cdk-lib loads
   */
  readonly validatorModule?: string;
  /** Where a fallback to the synth thread is reported. @default standard error */
  readonly warn?: (message: string) => void;
}

export class CloudFormationValidationOnWorker extends CloudFormationValidatePlugin {
  private readonly worker?: Worker;
  private validatedOnWorker = 0;

  constructor(options: CloudFormationValidationOnWorkerOptions = {}) {
    super();
    const cdkLibEntry = require.resolve('aws-cdk-lib');
    const ruleDirectory = join(dirname(cdkLibEntry), 'core', 'lib', 'validation', 'rules');
    const ruleIndex = readRuleIndex(ruleDirectory);
    const cdkLibValidator = createRequire(cdkLibEntry).resolve('@aws/cloudformation-validate');
    if (!ruleIndex || !hasEngineSlot(this)) return;

    const { port1: replies, port2: workerReplies } = new MessageChannel();
    const replyCount = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const workerState = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const workerData: EngineWorkerData = { validatorModule: options.validatorModule ?? cdkLibValidator, replies: workerReplies, replyCount, workerState };
    const startDeadline = Date.now() + START_TIMEOUT_MS;
    const worker = startWorkerScript(__dirname, 'engine-worker', { workerData, transferList: [workerReplies] });
    // An idle engine must not keep a finished synth alive. A worker that fails is seen through
    // its shared state (the blocked synth thread cannot hear the event anyway).
    worker.unref();
    worker.on('error', () => undefined);
    this.worker = worker;

    const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
    let onSynthThread: EnginesByRules | undefined;
    let workerFailed = false;

    const engine: Engine = {
      validateTemplate: (template, validateOptions) => {
        const rules = regoRulesFor(template.content, ruleIndex, ruleDirectory);
        if (!workerFailed) {
          const reply = askWorker(
            worker,
            { replies, replyCount, workerState, startDeadline },
            { content: template.content, name: template.name, options: validateOptions, regoRules: rules },
          );
          if ('report' in reply) {
            this.validatedOnWorker += 1;
            return reply.report;
          }
          workerFailed = true;
          warn(`template validation worker failed (${reply.error}); validating on the synth thread`);
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module path is aws-cdk-lib's own, resolved at run time
        onSynthThread ??= new EnginesByRules(require(cdkLibValidator) as Validator);
        return onSynthThread.get(rules).validateTemplate(template, validateOptions);
      },
      free: () => {
        void worker.terminate();
        onSynthThread?.free();
      },
    };
    // The engine aws-cdk-lib would build, already being built, valid for templates of any types
    // (the rules each template needs travel with it).
    Object.assign(this, { engine, engineResourceTypes: { has: () => true } });
  }

  /** Templates the worker validated; the rest (if any) were validated on the synth thread. */
  public get templatesValidatedOnWorker(): number {
    return this.validatedOnWorker;
  }

  /** Stops the worker (it is unreferenced, so a synth that forgets this still exits). */
  public async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

function hasEngineSlot(plugin: CloudFormationValidatePlugin): boolean {
  return Object.prototype.hasOwnProperty.call(plugin, 'engine') && Object.prototype.hasOwnProperty.call(plugin, 'engineResourceTypes');
}

function readRuleIndex(ruleDirectory: string): RuleIndex | undefined {
  try {
    const index = JSON.parse(readFileSync(join(ruleDirectory, 'index.generated.json'), 'utf8')) as RuleIndex;
    return Array.isArray(index.rules) ? index : undefined;
  } catch {
    return undefined;
  }
}

/** aws-cdk-lib's built-in rego rules that apply to a template's resource types, in its order. */
function regoRulesFor(content: string | Uint8Array, index: RuleIndex, ruleDirectory: string): RegoRule[] {
  const types = new Set<string>();
  try {
    const template = JSON.parse(typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));
    for (const resource of Object.values<{ Type?: unknown }>(template?.Resources ?? {})) {
      if (resource && typeof resource.Type === 'string') types.add(resource.Type);
    }
  } catch {
    // The engine reports a template it cannot parse; no type-specific rules apply to it.
  }
  return index.rules
    .filter((rule) => rule.types === null || rule.types.some((type) => types.has(type)))
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((rule) => ({ name: rule.file, content: readFileSync(join(ruleDirectory, rule.file), 'utf8') }));
}

/** Sends one template and blocks until its answer: aws-cdk-lib calls validation synchronously. */
function askWorker(
  worker: Worker,
  channel: { replies: MessagePort; replyCount: Int32Array; workerState: Int32Array; startDeadline: number },
  request: ValidateRequest,
): ValidateReply {
  const { replies, replyCount, workerState, startDeadline } = channel;
  const before = Atomics.load(replyCount, 0);
  worker.postMessage(request);
  const deadline = Date.now() + REPLY_TIMEOUT_MS;
  while (Atomics.load(replyCount, 0) === before) {
    const state = Atomics.load(workerState, 0);
    if (state === WorkerState.Exited) return { error: 'the worker exited' };
    if (state === WorkerState.Starting && Date.now() > startDeadline) return { error: `the worker did not start within ${START_TIMEOUT_MS / 1000} s` };
    if (Date.now() > deadline) return { error: `no answer within ${REPLY_TIMEOUT_MS / 1000} s` };
    // The worker notifies on every reply and state change; the slice bounds a missed start.
    Atomics.wait(replyCount, 0, before, 1000);
  }
  const message = receiveMessageOnPort(replies);
  return message ? (message.message as ValidateReply) : { error: 'the answer was lost' };
}
