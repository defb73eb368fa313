import { writeFileSync } from 'node:fs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { exitCodesSection, OutputError, parseCommandLine, renderHelp, reportError, UsageError, type CommandSpec } from '../../cli';
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

const EXPORT_SPEC = {
  name: 'tx-prevent inventory export',
  usage: ['--stack-name NAME [options]'],
  description: `Prints the API inventory of the whole analyzer fleet as one OpenAPI 3.1 document, read from the fleet table the stack created (its name is the SSM parameter /<NAME>/analyzer/${FLEET_SETTING_KEYS.table}).`,
  options: {
    'stack-name': { type: 'string', value: 'NAME', description: 'The deployed stack (or its namePrefix). Required unless --table is given.' },
    table: { type: 'string', value: 'NAME', description: 'Read this table instead of looking it up in SSM.' },
    region: { type: 'string', value: 'REGION', description: "AWS region. Default: AWS_REGION or the SDK's configuration." },
    endpoint: { type: 'string', value: 'URL', description: 'DynamoDB endpoint override (a local DynamoDB API).' },
    out: { type: 'string', value: 'FILE', description: 'Write the document to FILE instead of standard output.' },
  },
  sections: [exitCodesSection({ ok: 'written', failure: 'a failure (AWS unreachable, table missing)', input: 'bad input' })],
} as const satisfies CommandSpec;

const INVENTORY_SPEC = {
  name: 'tx-prevent inventory',
  usage: ['export --stack-name NAME [options]'],
  description: "Reads the analyzer fleet's shared state.",
  commands: { export: EXPORT_SPEC.description },
  options: {},
  positionals: { name: 'COMMAND', min: 1, max: 1 },
} as const satisfies CommandSpec;

/** `tx-prevent inventory ...` (argv after "inventory"). Returns the exit code. */
export async function runInventoryCli(argv: readonly string[], io: InventoryCliIo): Promise<number> {
  try {
    return await runInventory(argv, io);
  } catch (error) {
    return reportError(EXPORT_SPEC.name, error, io.stderr);
  }
}

async function runInventory(argv: readonly string[], io: InventoryCliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'export') {
    const { help } = parseCommandLine(INVENTORY_SPEC, argv);
    if (help) {
      io.stdout(renderHelp(INVENTORY_SPEC));
      return 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}; the command is "export" (tx-prevent inventory export --stack-name NAME)`);
  }
  const { help, values } = parseCommandLine(EXPORT_SPEC, rest);
  if (help) {
    io.stdout(renderHelp(EXPORT_SPEC));
    return 0;
  }
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
  if (!values.out) io.stdout(text);
  else {
    try {
      writeFileSync(values.out, text);
    } catch (error) {
      throw new OutputError(`--out ${values.out}: cannot write it (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a writable path`);
    }
  }
  return 0;
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
