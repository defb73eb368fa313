import { randomBytes } from 'node:crypto';
import { startScanTemplateService, type RunningScanTemplateService, type StsServiceConfig } from '@/runtime/sts';
import { issue, type CertificateAndKey } from '@/runtime/tls';

/** The bearer token of the loopback STS's peers. */
export const PEER_TOKEN = 'test-peer-token-0123456789';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined };

/**
 * An STS on 127.0.0.1 with a certificate issued by `ca`, allowed to scan loopback targets only,
 * its audit lines and logs discarded; `settings` override any of that.
 */
export async function startLoopbackSts(ca: CertificateAndKey, settings: Partial<StsServiceConfig> = {}): Promise<RunningScanTemplateService> {
  return startScanTemplateService({
    host: '127.0.0.1',
    port: 0,
    peerToken: PEER_TOKEN,
    scanMarkerKey: randomBytes(32),
    tls: await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca),
    scopeAllowlist: ['127.0.0.1'],
    auditSink: () => undefined,
    logger: quiet,
    ...settings,
  });
}
