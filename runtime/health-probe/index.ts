import { tlsChannelCredentials } from '../grpc-tls';
import { loadTxPreventGrpc } from '../proto';

export interface HealthProbeOptions {
  readonly host: string;
  readonly port: number;
  /** grpc.health.v1 service name; "" is the whole server, as the ALB asks. */
  readonly service?: string;
  readonly timeoutMs?: number;
}

/**
 * Asks a TLS gRPC server for its grpc.health.v1 status, the same question the ALB's health check
 * asks. The certificate is not verified: a service behind the ALB uses a self-signed one, and the
 * probe runs on the same host. Resolves with the status, or with the reason it could not tell.
 */
export async function probeGrpcHealth(options: HealthProbeOptions): Promise<string> {
  const { Health } = loadTxPreventGrpc().grpc.health.v1;
  const credentials = tlsChannelCredentials({ rejectUnauthorized: false, checkServerIdentity: () => undefined });
  const client = new Health(`${options.host}:${options.port}`, credentials);
  try {
    return await new Promise<string>((resolve) => {
      client.Check({ service: options.service ?? '' }, { deadline: Date.now() + (options.timeoutMs ?? 3000) }, (error, response) => {
        resolve(error ? `UNAVAILABLE (${error.details || error.message})` : String(response?.status));
      });
    });
  } finally {
    client.close();
  }
}
