/**
 * The demo's private workspace: a temporary directory with a demo CA, server certificates for the
 * analyzer and the STS (valid for 127.0.0.1 and localhost), the shared secrets, spool and logs.
 * Secrets live only in this directory (mode 0700) and in the components' environment.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issue } from '@/runtime/tls';

export interface ServerFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface Workspace {
  readonly directory: string;
  readonly caFile: string;
  readonly analyzerTls: ServerFiles;
  readonly stsTls: ServerFiles;
  /** Bearer token of sensors (and of the analyzer towards the STS). */
  readonly sensorToken: string;
  /** Scan-marker key shared by the analyzer and the STS, as text (as the stack generates it). */
  readonly scanMarkerKey: string;
  readonly redactionKey: string;
  readonly spoolDir: string;
  logFile(component: string): string;
  remove(): Promise<void>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

async function serverFiles(directory: string, name: string, ca: { cert: string; key: string }): Promise<ServerFiles> {
  const pair = await issue({ commonName: `${name}.demo.local`, altNames: LOOPBACK_NAMES, days: 2 }, ca);
  const certFile = join(directory, `${name}-cert.pem`);
  const keyFile = join(directory, `${name}-key.pem`);
  await writeFile(certFile, pair.cert, { mode: 0o644 });
  await writeFile(keyFile, pair.key, { mode: 0o600 });
  return { certFile, keyFile };
}

export async function createWorkspace(): Promise<Workspace> {
  const directory = await mkdtemp(join(tmpdir(), 'tx-prevent-demo-'));
  try {
    const ca = await createCertificateAuthority('TX Prevent demo CA', 2);
    const caFile = join(directory, 'demo-ca.pem');
    await writeFile(caFile, ca.cert, { mode: 0o644 });
    const analyzerTls = await serverFiles(directory, 'analyzer', ca);
    const stsTls = await serverFiles(directory, 'sts', ca);
    const spoolDir = join(directory, 'analyzer-spool');
    await mkdir(spoolDir, { mode: 0o700 });
    return {
      directory,
      caFile,
      analyzerTls,
      stsTls,
      sensorToken: randomBytes(24).toString('hex'),
      scanMarkerKey: randomBytes(32).toString('hex'),
      redactionKey: randomBytes(32).toString('hex'),
      spoolDir,
      logFile: (component) => join(directory, `${component}.log`),
      remove: () => rm(directory, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
