/** How grants become statements: one per Sid, joined actions/resources/condition values, no silent broadening. */
import { actionMatches, statementsFromGrants } from '@/lib/deploy-policy/grant';

describe('statementsFromGrants', () => {
  it('joins grants by Sid, sorts, merges condition values and drops actions a wildcard already covers', () => {
    const statements = statementsFromGrants([
      { sid: 'B', actions: ['ec2:DescribeVpcs'], resources: ['*'] },
      {
        sid: 'A',
        actions: ['iam:PassRole'],
        resources: ['arn:aws:iam::*:role/S-*'],
        condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
      { sid: 'B', actions: ['ec2:Describe*', 'ec2:DescribeSubnets'], resources: ['*'] },
      {
        sid: 'A',
        actions: ['iam:PassRole'],
        resources: ['arn:aws:iam::*:role/S-*'],
        condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      },
    ]);
    expect(statements).toEqual([
      {
        Sid: 'A',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: ['arn:aws:iam::*:role/S-*'],
        Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'lambda.amazonaws.com'] } },
      },
      { Sid: 'B', Effect: 'Allow', Action: ['ec2:Describe*'], Resource: ['*'] },
    ]);
  });

  it('refuses to widen a scoped statement to "*", to join different condition keys, and Sids IAM rejects', () => {
    expect(() =>
      statementsFromGrants([
        { sid: 'X', actions: ['logs:DeleteLogGroup'], resources: ['arn:aws:logs:*:*:log-group:S-*'] },
        { sid: 'X', actions: ['logs:DescribeLogGroups'], resources: ['*'] },
      ]),
    ).toThrow('statement X mixes "*" with ARNs');
    expect(() =>
      statementsFromGrants([
        { sid: 'Y', actions: ['ec2:CreateTags'], resources: ['*'], condition: { StringEquals: { 'aws:ResourceTag/a': 'x' } } },
        { sid: 'Y', actions: ['ec2:DeleteTags'], resources: ['*'] },
      ]),
    ).toThrow('grants for statement Y have different condition keys');
    expect(() => statementsFromGrants([{ sid: 'bad-sid', actions: ['ec2:CreateTags'], resources: ['*'] }])).toThrow('must be letters and digits');
  });

  it('matches actions like IAM: case-insensitive, * and ? wildcards', () => {
    expect(actionMatches('ec2:Describe*', 'ec2:describevpcs')).toBe(true);
    expect(actionMatches('ec2:Get?', 'ec2:GetX')).toBe(true);
    expect(actionMatches('ec2:Get?', 'ec2:GetXY')).toBe(false);
    expect(actionMatches('logs:*', 'logs:DeleteLogGroup')).toBe(true);
    expect(actionMatches('logs:*', 'ssm:GetParameter')).toBe(false);
    expect(actionMatches('s3:Get.Object', 's3:GetXObject')).toBe(false);
  });
});
