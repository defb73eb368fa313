import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts `tcpdump` writing a pcap file; resolves once it is listening. Its kernel buffer is as
 * large as the sensor's: with tcpdump's 2 MiB default a megabyte-sized exchange on a busy machine
 * could be dropped from this reference capture (a replayed exchange without its response).
 */
export async function startTcpdumpToFile(file: string, filter: string): Promise<ChildProcess> {
  const child = spawn('tcpdump', ['-i', 'lo', '-U', '-s', '0', '-n', '-B', '16384', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (t: string) => {
      err += t;
      if (err.includes('listening on')) resolve();
    });
    child.on('close', (code) => reject(new Error(`tcpdump exited ${code}: ${err}`)));
  });
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.kill('SIGINT');
  });
}

/** Runs a command to completion with a time limit; returns its output. */
export function runCommand(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
