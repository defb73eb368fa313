/**
 * Every problem the generator finds in its input: the message names the resource, type, property
 * or option that is wrong and says how to fix it.
 */
export class DeployPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployPolicyError';
  }
}
