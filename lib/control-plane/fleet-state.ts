import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { FLEET_TABLE_SCHEMA } from '../../runtime/analyzer/settings/contract';
import { FINDING_ITEM_PREFIX, VERDICT_ATTRIBUTES } from '../../runtime/fleet-table';
import { acknowledge } from '../nag';

export interface FleetStateTableProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/** What the analyzer calls on the fleet table (and nothing else: no scans, no deletes). */
const ANALYZER_TABLE_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:Query'];

/** What the STS calls: read a finding's recorded verdict, write its own. */
const STS_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];

/**
 * The state the analyzers of a fleet share: one on-demand DynamoDB table (findings claimed once
 * per fleet, scan verdicts, the API inventory), encrypted with the control plane's key, with
 * point-in-time recovery and items expiring through the TTL attribute; reached from the private
 * subnets through a DynamoDB gateway endpoint (no NAT traffic, no charge per request).
 */
export class FleetStateTable extends Construct {
  readonly table: dynamodb.Table;
  /**
   * The DynamoDB gateway endpoint of the subnets' route tables; undefined for an imported VPC whose
   * route tables are not known (the drop-in stack's VpcId and subnet parameters): the analyzers
   * then reach DynamoDB over the subnets' existing route (NAT), like the other AWS APIs.
   */
  readonly endpoint?: ec2.GatewayVpcEndpoint;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: FleetStateTableProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: FLEET_TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: FLEET_TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: FLEET_TABLE_SCHEMA.ttlAttribute,
      removalPolicy: props.removalPolicy,
    });
    acknowledge(this.table, 'fleetStateBackupPlan');
    const routeTablesKnown = props.vpc.selectSubnets(props.subnets).subnets.every((subnet) => subnet.routeTable?.routeTableId !== undefined);
    if (routeTablesKnown) {
      this.endpoint = props.vpc.addGatewayEndpoint('DynamoDbEndpoint', {
        service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
        subnets: [props.subnets],
      });
    }
  }

  /**
   * The STS's calls, narrowed by DynamoDB's fine-grained conditions: finding items only (the
   * partition key starts with `finding#`), the verdict attributes only (plus the key and the TTL
   * attribute), and nothing returned beyond them.
   */
  grantSts(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FleetStateVerdicts',
        actions: STS_TABLE_ACTIONS,
        resources: [this.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${FINDING_ITEM_PREFIX}*`] },
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': [
              FLEET_TABLE_SCHEMA.partitionKey,
              FLEET_TABLE_SCHEMA.sortKey,
              FLEET_TABLE_SCHEMA.ttlAttribute,
              ...Object.values(VERDICT_ATTRIBUTES),
            ],
          },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
        },
      }),
    );
    this.grantKey(grantee, 'FleetStateVerdictsKey');
  }

  /** The analyzer's calls: conditional updates (claims, verdicts, inventory deltas), reads of one finding, queries of the inventory. */
  grantAnalyzer(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'FleetStateTable', actions: ANALYZER_TABLE_ACTIONS, resources: [this.table.tableArn] }),
    );
    this.grantKey(grantee, 'FleetStateTableKey');
  }

  /** The table's key, only through DynamoDB. */
  private grantKey(grantee: iam.IGrantable, sid: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.table.stack.region}.amazonaws.com` } },
      }),
    );
  }
}
