import { Aws, Fn } from 'aws-cdk-lib';

/**
 * The first 8 hex digits of the UUID in the stack id: new each time a stack is created, the same
 * for all its updates. Names of resources that outlive their stack (retained log groups) end with
 * it, so deleting a stack and creating it again under the same name does not fail on a name the
 * retained resource still holds.
 */
export function installId(): string {
  return Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
}

/** What a control-plane log group holds. */
export type LogGroupContent = 'sensor' | 'analyzer' | 'sts' | 'vpc-flow-logs';

/** `<prefix>-ThreatXPrevent-<content>-<install id>`: every control-plane log group is named here. */
export function logGroupName(namePrefix: string, content: LogGroupContent): string {
  return `${namePrefix}-ThreatXPrevent-${content}-${installId()}`;
}
