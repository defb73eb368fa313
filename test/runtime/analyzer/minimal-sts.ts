import * as grpc from '@grpc/grpc-js';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type ScanClientMessage__Output, type ScanServerMessage } from '@/runtime/proto';
import { authenticatePeer } from '@/runtime/peer-auth';
import type { CertificateAndKey } from '@/runtime/tls';

/**
 * A minimal Scan Template Service built from scan.proto for the analyzer's tests: accepts every
 * submitted finding with a scan id and (unless `holdVerdicts`) answers a verdict shortly after.
 */
export interface MinimalSts {
  readonly port: number;
  readonly submitted: { request_id: string; finding_id: string; request_body: string; evidence: string }[];
  holdVerdicts: boolean;
  /** Delay before answering `accepted` (a slow STS). */
  acceptDelayMs: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startMinimalSts(tls: CertificateAndKey, token: string, port = 0): Promise<MinimalSts> {
  let server: grpc.Server | undefined;
  let scans = 0;
  const streams = new Set<grpc.ServerDuplexStream<ScanClientMessage__Output, ScanServerMessage>>();
  const sts: MinimalSts = {
    port,
    submitted: [],
    holdVerdicts: false,
    acceptDelayMs: 0,
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      for (const stream of streams) stream.destroy();
      streams.clear();
      current.forceShutdown();
    },
    async start() {
      server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
      server.addService(loadTxPreventGrpc().txprevent.v1.ScanTemplateService.service, {
        Scans: (call: grpc.ServerDuplexStream<ScanClientMessage__Output, ScanServerMessage>) => {
          const auth = authenticatePeer(call, { tokens: [token], allowClientCertificate: false });
          if (!auth.ok) return void call.emit('error', { code: auth.code, details: auth.details });
          streams.add(call);
          call.on('error', () => undefined);
          call.on('close', () => streams.delete(call));
          call.on('data', (message: ScanClientMessage__Output) => {
            if (message.kind !== 'submit' || !message.submit?.finding) return;
            const { request_id } = message.submit;
            const finding = message.submit.finding;
            sts.submitted.push({
              request_id,
              finding_id: finding.finding_id,
              request_body: Buffer.from(finding.exchange?.request?.body?.data ?? Buffer.alloc(0)).toString('utf8'),
              evidence: finding.evidence,
            });
            const scanId = `scan-${++scans}`;
            const accept = () => {
              if (!call.cancelled && call.writable) call.write({ accepted: { request_id, scan_id: scanId } });
            };
            if (sts.acceptDelayMs > 0) setTimeout(accept, sts.acceptDelayMs);
            else accept();
            if (sts.holdVerdicts) return;
            setTimeout(() => {
              if (call.cancelled || !call.writable) return;
              const supported = finding.finding_class.startsWith('sql');
              call.write({
                verdict: {
                  request_id,
                  scan_id: scanId,
                  finding_id: finding.finding_id,
                  finding_version: finding.version,
                  status: supported ? 'VERDICT_STATUS_CONFIRMED' : 'VERDICT_STATUS_UNSUPPORTED',
                  confidence: supported ? 0.9 : 0,
                  reason: supported ? 'payload produced a database error, control did not' : `no template for ${finding.finding_class}`,
                  evidence: supported
                    ? [
                        {
                          role: 'payload',
                          request_excerpt: "GET /?id=1'",
                          response_excerpt: 'SQL syntax',
                          status: 500,
                          response_length: 120,
                          elapsed_ms: 3,
                          note: 'database error',
                        },
                      ]
                    : [],
                  requests_sent: supported ? 2 : 0,
                  duration_ms: 5,
                },
              });
            }, 20 + sts.acceptDelayMs);
          });
        },
      });
      const credentials = grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }]);
      const bound = await new Promise<number>((resolve, reject) =>
        server!.bindAsync(`127.0.0.1:${sts.port}`, credentials, (error, value) => (error ? reject(error) : resolve(value))),
      );
      (sts as { port: number }).port = bound;
    },
  };
  await sts.start();
  return sts;
}

/** A Finding record as the engine emits it, with `scan` set. */
export function scannableFinding(index: number, cls = 'sql_error_disclosure') {
  return {
    msg_type: 'Finding',
    timestamp: new Date().toISOString(),
    finding_id: `f-${index}`,
    status: 'new',
    class: cls,
    severity: 'high',
    scan: {
      finding_id: `f-${index}`,
      finding_class: cls,
      cwe: 'CWE-89',
      severity: 'SEVERITY_HIGH',
      confidence: 0.8,
      endpoint: '/items/{id}',
      method: 'GET',
      parameter: 'q',
      parameter_location: 'query',
      evidence: 'SQL syntax error',
      scheme: 'http',
      host: 'app.local',
      version: 1,
      exchange: {
        id: `s:b:${index}`,
        request: {
          method: 'POST',
          target: '/items',
          http_version: 'HTTP/1.1',
          headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
          body: { data: Buffer.from(`q=${index}'&b=\u00e9`), wire_length: 12 },
        },
        response: { status: 500, headers: [], body: { data: Buffer.from('SQL syntax error'), wire_length: 16 } },
      },
    },
  };
}
