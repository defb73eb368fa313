import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A principal whose grants land in a customer managed policy attached to a role, instead of the
 * role's inline default policy: reviewers see one named policy per fleet, and NIST 800-53's
 * "no inline policies" holds for grants made by users of the construct too.
 */
export class ManagedPolicyPrincipal implements iam.IPrincipal {
  readonly grantPrincipal: iam.IPrincipal = this;
  readonly assumeRoleAction: string;
  readonly principalAccount: string | undefined;

  constructor(
    private readonly role: iam.IRole,
    private readonly policy: iam.ManagedPolicy,
  ) {
    this.assumeRoleAction = role.assumeRoleAction;
    this.principalAccount = role.principalAccount;
  }

  get policyFragment(): iam.PrincipalPolicyFragment {
    return this.role.policyFragment;
  }

  addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
