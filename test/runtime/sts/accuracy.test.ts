import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { testScanner } from './scanner-fixture';

describe('verdicts on the vulnerable shop', () => {
  let app: VulnerableApp;
  beforeAll(async () => {
    app = await startVulnerableApp();
  });
  afterAll(() => app.close());

  const { scanner } = testScanner();

  it.each(ENDPOINT_CASES.map((c) => [c.name, c.expected, c] as const))('%s is %s', async (_name, expected, c) => {
    const finding = await observeFinding(app.url, c);
    const outcome = await scanner.scanFinding(finding, `scan-${c.name}`, new AbortController().signal);
    expect({ status: outcome.status, reason: outcome.reason }).toEqual({ status: expected, reason: expect.any(String) });
    expect(outcome.requestsSent).toBeGreaterThan(0);
    if (expected === 'confirmed') {
      expect(outcome.confidence).toBeGreaterThanOrEqual(0.8);
      expect(outcome.evidence.length).toBeGreaterThan(0);
    }
  });
});
