import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { serviceSsmPath } from '../../config';
import { createAwsClients } from '../../config/aws-clients';
import { inventoryDocument } from '../engine';
import { ANALYZER_SSM_SERVICE, FLEET_SETTING_KEYS } from '../settings';
import { readFleetInventory } from './inventory-sync';
import { createTableClient, describeError, FleetStateConfigError, validateTableOptions } from './table';

export interface InventoryCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const INVENTORY_HELP = `Usage: tx-prevent inventory export --stack-name NAME [options]

Prints the API inventory of the whole analyzer fleet as one OpenAPI 3.1 document, read from the
fleet table the stack created (its name is the SSM parameter /<NAME>/analyzer/${FLEET_SETTING_KEYS.table}).

Options:
  --stack-name NAME   the deployed stack (or its namePrefix)
  --table NAME        read this table instead of looking it up in SSM
  --region REGION     AWS region (default: AWS_REGION or the SDK's configuration)
  --endpoint URL      DynamoDB endpoint override (a local DynamoDB API)
  --out FILE          write the document to FILE instead of standard output
  --help              show this help

Exit codes: 0 written, 1 failure (AWS unreachable, table missing), 2 bad input.
`;

class UsageError extends Error {}

/** `tx-prevent inventory ...`. Returns the exit code. */
export async function runInventoryCli(argv: readonly string[], io: InventoryCliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(INVENTORY_HELP);
    return 0;
  }
  if (command !== 'export') {
    io.stderr(
      `tx-prevent inventory: ${command === undefined ? 'missing command' : `unknown command ${JSON.stringify(command)}`}; the command is "export" (tx-prevent inventory export --stack-name NAME)\n`,
    );
    return 2;
  }
  let values: { 'stack-name'?: string; table?: string; region?: string; endpoint?: string; out?: string; help?: boolean };
  try {
    values = parseArgs({
      args: [...rest],
      options: {
        'stack-name': { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr(`tx-prevent inventory export: ${(error as Error).message}; see tx-prevent inventory --help\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(INVENTORY_HELP);
    return 0;
  }
  try {
    if (!values.table && !values['stack-name']) throw new UsageError('--stack-name is required (the stack whose fleet table to read), or --table NAME');
    if (values['stack-name'] !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(values['stack-name'])) {
      throw new UsageError(
        `--stack-name ${JSON.stringify(values['stack-name'])} is not a CloudFormation stack name: letters, digits and "-", starting with a letter`,
      );
    }
    const region = values.region ?? io.env?.AWS_REGION;
    const tableName = values.table ?? (await lookUpTable(values['stack-name']!, region));
    const options = { tableName, endpoint: values.endpoint, region };
    try {
      validateTableOptions(options);
    } catch (error) {
      throw new UsageError(
        (error as FleetStateConfigError).message.replace('tableName (FLEET_TABLE)', '--table').replace('endpoint (FLEET_ENDPOINT)', '--endpoint'),
      );
    }
    const client = createTableClient({ ...options, requestTimeoutMs: 10_000 });
    let document: Record<string, unknown>;
    try {
      document = inventoryDocument(await readFleetInventory(client, tableName));
    } catch (error) {
      throw new Error(
        `cannot read the fleet table ${tableName} (${describeError(error)}); check the region, your credentials (dynamodb:Query on the table) and that the stack runs with fleet state on`,
        { cause: error },
      );
    } finally {
      client.destroy();
    }
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (values.out) writeFileSync(values.out, text);
    else io.stdout(text);
    return 0;
  } catch (error) {
    io.stderr(`tx-prevent inventory export: ${(error as Error).message}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function lookUpTable(stackName: string, region: string | undefined): Promise<string> {
  const name = `${serviceSsmPath(stackName, ANALYZER_SSM_SERVICE)}${FLEET_SETTING_KEYS.table}`;
  const { ssm, secretsManager } = createAwsClients({ region });
  try {
    const found = await ssm.send(new GetParameterCommand({ Name: name }));
    const value = found.Parameter?.Value;
    if (!value) throw new Error(`SSM parameter ${name} is empty`);
    return value;
  } catch (error) {
    if ((error as { name?: string }).name === 'ParameterNotFound') {
      throw new UsageError(
        `stack ${stackName} has no fleet table (SSM parameter ${name} does not exist): check --stack-name and --region, or the stack runs in single-instance mode (fleetState: false)`,
      );
    }
    throw new Error(`cannot read SSM parameter ${name} (${describeError(error)}); check the region and your credentials (ssm:GetParameter)`, { cause: error });
  } finally {
    ssm.destroy();
    secretsManager.destroy();
  }
}
