import type { ErrorCode } from '../../runtime/errors';

/**
 * Every problem the generator finds in its input: the message names the resource, type, property
 * or option that is wrong and says how to fix it.
 */
export class DeployPolicyError extends Error {
  readonly code = 'TXP_DEPLOY_POLICY_INPUT_INVALID' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'DeployPolicyError';
  }
}
