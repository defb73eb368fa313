/**
 * Worker thread of `CloudFormationValidationOnWorker`: builds aws-cdk-lib's template validation
 * engine as soon as it starts, while the synth thread is still loading modules and building
 * constructs, then validates the templates it is sent. Every failure is answered, never thrown,
 * because the synth thread is blocked waiting for the answer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EnginesByRules, type Validator } from './engines';
import { WorkerState, type EngineWorkerData, type ValidateReply, type ValidateRequest } from './protocol';

const { validatorModule, replies, replyCount, workerState } = workerData as EngineWorkerData;
const setState = (state: WorkerState) => {
  Atomics.store(workerState, 0, state);
  Atomics.notify(replyCount, 0);
};
setState(WorkerState.Running);
// However the worker ends (even process.exit in a module it loads), the synth thread stops waiting.
process.on('exit', () => setState(WorkerState.Exited));
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

let engines: EnginesByRules | undefined;
let startupError = 'the validator did not load';
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module path is aws-cdk-lib's own, resolved at run time
  engines = new EnginesByRules(require(validatorModule) as Validator);
  engines.get([]);
} catch (error) {
  startupError = `could not start the validation engine: ${describe(error)}`;
}

function answer(reply: ValidateReply): void {
  replies.postMessage(reply);
  Atomics.add(replyCount, 0, 1);
  Atomics.notify(replyCount, 0);
}

parentPort?.on('message', (request: ValidateRequest) => {
  try {
    if (!engines) throw new Error(startupError);
    const template = new engines.validator.TemplateContent(request.content, request.name);
    answer({ report: engines.get(request.regoRules).validateTemplate(template, request.options) });
  } catch (error) {
    answer({ error: describe(error) });
  }
});
