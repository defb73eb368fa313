import { join } from 'node:path';
import {
  ANALYSIS_WORKER_RESOURCE_LIMITS,
  analysisOnMainThread,
  analysisOnWorkers,
  defaultAnalysisWorkers,
  exampleBudgetPerWorker,
  exchangeHost,
  HostRouter,
  mergeOpenApi,
  type Analysis,
  type BatchResult,
} from '@/runtime/analyzer/analysis';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { buildExchange, createTrafficGenerator } from '@/test/fixtures/traffic';
import { createLogger } from '@/runtime/analyzer/log';
import { loadTxPreventGrpc, type HttpExchange } from '@/runtime/proto';
import { decodeIngestMessage } from '@/runtime/proto/exchange-codec';

const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
function encodeExchange(exchange: HttpExchange): Uint8Array {
  const message = decodeIngestMessage(method.requestSerialize({ batch: { exchanges: [exchange] } }));
  if (message.kind !== 'batch') throw new Error('expected a batch');
  return message.batch.exchanges[0]!.bytes;
}
const context = { sensorId: 'sensor-a', sensorTags: ['prod'] };
const logger = createLogger('error');
const withoutTimes = (json: string) => json.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');

describe('routing exchanges to analysis workers by host', () => {
  it('reads the Host header from the encoded exchange, lower-cased and without port', () => {
    const bytes = encodeExchange(
      buildExchange({ host: 'Shop.Example.COM:8443', target: '/a', requestHeaders: [['X-Other', 'v']], requestBody: 'x'.repeat(5000) }) as HttpExchange,
    );
    expect(exchangeHost(bytes)).toBe('shop.example.com');
  });

  it('falls back to :authority, then to an absolute-form target; IPv6 literals keep their brackets', () => {
    const h2 = buildExchange({ target: '/a' }) as HttpExchange;
    h2.request!.headers = [{ name: ':authority', value: 'api.example.net' }];
    expect(exchangeHost(encodeExchange(h2))).toBe('api.example.net');
    const proxy = buildExchange({ target: 'http://user@proxy.example.org:3128/x' }) as HttpExchange;
    proxy.request!.headers = [];
    expect(exchangeHost(encodeExchange(proxy))).toBe('proxy.example.org');
    expect(exchangeHost(encodeExchange(buildExchange({ host: '[2001:db8::1]:443', target: '/' }) as HttpExchange))).toBe('[2001:db8::1]');
  });

  it('gives an empty host for bytes that are not an exchange, without throwing', () => {
    expect(exchangeHost(Buffer.from([0x0a, 0xff, 0x01]))).toBe('');
    expect(exchangeHost(new Uint8Array(0))).toBe('');
    expect(exchangeHost(Buffer.from([0x2a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]))).toBe('');
  });

  it('keeps each host on the worker it was first given, and gives a new host the worker with the least in flight', () => {
    const router = new HostRouter(3);
    expect(router.workerFor('a.example', [0, 0, 0])).toBe(0);
    expect(router.workerFor('b.example', [5, 0, 2])).toBe(1);
    expect(router.workerFor('c.example', [5, 9, 2])).toBe(2);
    // Known hosts stay where they are, however the load moved.
    expect(['a.example', 'b.example', 'c.example'].map((h) => router.workerFor(h, [100, 100, 0]))).toEqual([0, 1, 2]);
    expect(router.workerOf('d.example')).toBeUndefined();
    expect(new HostRouter(1).workerFor('anything', [7])).toBe(0);
  });

  it('keeps both workers busy on runs of one host at a time, as recorded browsing comes', () => {
    // Sites one after another, each a run of its own length. Two workers each analyse one exchange
    // per tick in order; the sensor keeps 8 batches of 200 in flight and sends the next when the
    // oldest is done (acks are in order), as in the benchmark.
    const hosts = Array.from({ length: 120 }, (_, i) => Array<string>(50 + ((i * 7919) % 900)).fill(`site-${i}.example`)).flat();
    const router = new HostRouter(2);
    const queues: number[][] = [[], []];
    const load = [0, 0];
    const left = new Map<number, number>();
    let next = 0;
    let sent = 0;
    let acked = 0;
    let ticks = 0;
    const send = () => {
      const batch = sent++;
      let count = 0;
      for (; count < 200 && next < hosts.length; count++, next++) {
        const w = router.workerFor(hosts[next]!, load);
        queues[w]!.push(batch);
        load[w]!++;
      }
      left.set(batch, count);
    };
    while (sent < 8) send();
    while (acked < sent) {
      ticks++;
      for (const w of [0, 1]) {
        const batch = queues[w]!.shift();
        if (batch === undefined) continue;
        load[w]!--;
        left.set(batch, left.get(batch)! - 1);
      }
      while (acked < sent && left.get(acked) === 0) {
        acked++;
        if (next < hosts.length) send();
      }
    }
    // Exchanges per tick: 2 when neither worker ever waits.
    expect(hosts.length / ticks).toBeGreaterThan(1.97);
  });

  it('forgets the oldest host past its capacity', () => {
    const router = new HostRouter(2, 2);
    router.workerFor('a.example', [0, 0]);
    router.workerFor('b.example', [1, 0]);
    router.workerFor('c.example', [0, 0]);
    expect(router.size).toBe(2);
    expect(router.workerOf('a.example')).toBeUndefined();
    expect(router.workerOf('c.example')).toBe(0);
    expect(() => new HostRouter(0)).toThrow(/positive whole number of workers, got 0/);
  });

  it('forgets hosts in the order they were first placed: coming again does not keep a host longer', () => {
    const router = new HostRouter(2, 2);
    router.workerFor('a.example', [0, 0]);
    router.workerFor('b.example', [0, 0]);
    expect(router.workerFor('a.example', [5, 0])).toBe(0);
    router.workerFor('c.example', [0, 0]);
    expect([router.workerOf('a.example'), router.workerOf('b.example'), router.workerOf('c.example')]).toEqual([undefined, 0, 0]);
    // Placed afresh on its return, by the load of that moment.
    expect(router.workerFor('a.example', [3, 1])).toBe(1);
  });

  it('starts one worker per CPU by default, at least one and at most eight', () => {
    expect(defaultAnalysisWorkers(2)).toBe(2);
    expect(defaultAnalysisWorkers(1)).toBe(1);
    expect(defaultAnalysisWorkers(0)).toBe(1);
    expect(defaultAnalysisWorkers(64)).toBe(8);
  });
});

describe('merging the workers inventories', () => {
  const op = (observations: number, first: string, last: string, extra: Record<string, unknown> = {}) => ({
    operationId: 'get_health',
    responses: { '200': { description: 'Observed 200', content: { 'application/json': {} } } },
    'x-txprevent-observations': observations,
    'x-txprevent-first-seen': first,
    'x-txprevent-last-seen': last,
    ...extra,
  });

  it('unites paths and servers, and merges one operation seen by two workers as one inventory would', () => {
    const a = {
      openapi: '3.1.0',
      info: { title: 'Observed API inventory' },
      servers: [{ url: 'https://a.example' }],
      paths: {
        '/health': {
          get: op(3, '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z', {
            parameters: [{ name: 'v', in: 'query', required: true, schema: { type: 'integer' } }],
            security: [{ bearer: [] }],
          }),
        },
        '/only-a': { post: op(1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z') },
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    };
    const b = {
      openapi: '3.1.0',
      info: { title: 'Observed API inventory' },
      servers: [{ url: 'https://b.example' }],
      paths: {
        '/health': {
          get: op(5, '2024-01-01T00:00:00.000Z', '2024-01-02T12:00:00.000Z', {
            responses: { '503': { description: 'Observed 503' } },
            parameters: [
              { name: 'v', in: 'query', required: true, schema: { type: 'number' } },
              { name: 'w', in: 'query', required: true, schema: { type: 'string' } },
            ],
            'x-txprevent-sensitive-data': ['email'],
          }),
        },
      },
    };
    const merged = mergeOpenApi([a, b]) as { servers: unknown; paths: Record<string, Record<string, Record<string, unknown>>>; components: unknown };
    expect(merged.servers).toEqual([{ url: 'https://a.example' }, { url: 'https://b.example' }]);
    expect(Object.keys(merged.paths)).toEqual(['/health', '/only-a']);
    const health = merged.paths['/health']!.get!;
    expect(health['x-txprevent-observations']).toBe(8);
    expect(health['x-txprevent-first-seen']).toBe('2024-01-01T00:00:00.000Z');
    expect(health['x-txprevent-last-seen']).toBe('2024-01-03T00:00:00.000Z');
    expect(Object.keys(health.responses as object)).toEqual(['200', '503']);
    expect(health.parameters).toEqual([
      { name: 'v', in: 'query', required: true, schema: { type: 'number' } },
      { name: 'w', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(health.security).toEqual([{ bearer: [] }]);
    expect(health['x-txprevent-sensitive-data']).toEqual(['email']);
    expect(merged.components).toEqual({ securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } });
  });
});

describe('analysis on several workers', () => {
  const opened: Analysis[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((analysis) => analysis.close()));
  });

  it('finds what one engine finds, keeps each host on one worker, and merges the inventories', async () => {
    const hosts = ['api.shop.example', 'www.shop.example', 'admin.shop.example', 'cdn.shop.example'];
    const batches = Array.from({ length: 4 }, (_, index) =>
      (createTrafficGenerator({ seed: 200 + index, attackRatio: 0.3, hosts }).batch(60) as HttpExchange[]).map(encodeExchange),
    );
    const workers = await analysisOnWorkers({ logger, workers: 3 });
    opened.push(workers);
    const main = analysisOnMainThread(createAnalysisEngine());
    const fromWorkers: BatchResult[] = [];
    const fromMain: BatchResult[] = [];
    for (const batch of batches) {
      fromWorkers.push(await workers.analyze(batch, context));
      fromMain.push(await main.analyze(batch, context));
    }
    const sorted = (results: BatchResult[]) => results.flatMap((r) => r.events.map(withoutTimes)).sort();
    // State is per host in one engine too (inventory, outcomes), so splitting by host changes no event, only their order across hosts.
    expect(sorted(fromWorkers)).toEqual(sorted(fromMain));
    expect(fromWorkers.reduce((n, r) => n + r.matchEvents, 0)).toBe(fromMain.reduce((n, r) => n + r.matchEvents, 0));
    // Endpoints are counted per worker (an endpoint two hosts share counts on both); the rest add up exactly.
    const { endpoints, ...counted } = workers.counters();
    const { endpoints: mainEndpoints, ...mainCounted } = main.counters();
    expect(counted).toEqual(mainCounted);
    expect(endpoints).toBeGreaterThanOrEqual(mainEndpoints);
    const openApi = (await workers.openApi()) as { servers: Array<{ url: string }>; paths: Record<string, unknown> };
    const reference = (await main.openApi()) as typeof openApi;
    expect(openApi.servers).toEqual(reference.servers);
    expect(Object.keys(openApi.paths)).toEqual(Object.keys(reference.paths));
  });

  it('maps a bad exchange back to its index in the batch', async () => {
    const workers = await analysisOnWorkers({ logger, workers: 2 });
    opened.push(workers);
    const good = (host: string) => encodeExchange(buildExchange({ host, target: "/search?q=1'%20OR%201=1--" }) as HttpExchange);
    const result = await workers.analyze([good('a.example'), good('b.example'), Buffer.from([0x0a, 0xff, 0x01]), good('c.example')], context);
    expect(result.failures).toEqual([{ index: 2, error: expect.stringMatching(/index out of range/) }]);
    expect(result.matchEvents).toBe(3);
  });

  it('restarts a dead worker on its own while the others keep their state', async () => {
    const workers = await analysisOnWorkers({
      logger: { ...logger, error: () => undefined } as typeof logger,
      workers: 2,
      workerScript: join(__dirname, 'crashing-worker.js'),
    });
    opened.push(workers);
    // Both idle: the first host goes to worker 0, the second to the other, the one with less in flight.
    const [survivor, victim] = ['h0.example', 'h1.example'];
    const on = (host: string) => encodeExchange(buildExchange({ host, target: '/items/1' }) as HttpExchange);
    await workers.analyze([on(survivor), on(victim)], context);
    expect(workers.counters().exchanges).toBe(2);
    await expect(workers.analyze([on(victim)], { ...context, sensorId: 'crash-me' })).rejects.toThrow(/stopped/);
    let restarted = false;
    for (let attempt = 0; attempt < 100 && !restarted; attempt++) {
      restarted = workers.restarts() === 1;
      if (!restarted) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(restarted).toBe(true);
    await workers.analyze([on(survivor)], context);
    // The survivor kept its count (1 + 1); the restarted worker started empty, so the victim's is gone.
    expect(workers.counters().exchanges).toBe(2);
  });

  it('runs every worker with a small young generation, so each isolate adds little to the peak RSS', async () => {
    const workers = await analysisOnWorkers({ logger, workers: 2, workerScript: join(__dirname, 'limits-worker.js') });
    opened.push(workers);
    const on = (host: string) => encodeExchange(buildExchange({ host, target: '/' }) as HttpExchange);
    const hosts = Array.from({ length: 20 }, (_, i) => `h${i}.example`);
    const result = await workers.analyze(hosts.map(on), { ...context, sensorId: 'report-limits' });
    // One report per worker: both run under the limit.
    const limits = result.events.map((json) => JSON.parse(json) as { maxYoungGenerationSizeMb: number });
    expect(limits).toHaveLength(2);
    for (const limit of limits) expect(limit.maxYoungGenerationSizeMb).toBe(ANALYSIS_WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
    expect(ANALYSIS_WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb).toBeLessThanOrEqual(16);
  });

  it('refuses a worker count that is not a positive integer', async () => {
    await expect(analysisOnWorkers({ logger, workers: 0 })).rejects.toThrow(/analysis workers must be a positive integer, got 0/);
  });
});

describe('the example budget across analysis workers', () => {
  const page = `<html><body><p>Results for <img src=x onerror=alert(1)></p>${'<p>filler</p>'.repeat(2000)}</body></html>`;
  const reflectedXss = (endpoint: string) =>
    encodeExchange(
      buildExchange({
        host: 'shop.example',
        target: `/${endpoint}?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`,
        responseHeaders: [['Content-Type', 'text/html']],
        responseBody: page,
      }) as HttpExchange,
    );
  /** Response body bytes each reflected-XSS finding's example kept, in order. */
  const exampleBodies = (result: BatchResult) =>
    result.events
      .map((json) => JSON.parse(json) as { class?: string; scan?: { exchange?: { response?: { body?: { data?: string } } } } })
      .filter((event) => event.class === 'reflected_xss')
      .map((event) => Buffer.from(event.scan?.exchange?.response?.body?.data ?? '', 'base64').length);

  it('is the analyzer’s: each worker gets its share of exampleBudgetBytes', async () => {
    expect(exampleBudgetPerWorker(undefined, 2)).toBe(32 * 1024 * 1024);
    expect(exampleBudgetPerWorker({ exampleBudgetBytes: 40_000 }, 3)).toBe(13_333);
    const batch = ['a', 'b', 'c'].map(reflectedXss);
    // One engine with 16,000 bytes keeps all three examples' bodies (2 KiB each, two findings
    // per request); each of two workers has 8,000, so the worker that holds the host stops
    // keeping bodies after two.
    const single = await analysisOnWorkers({ logger, workers: 1, limits: { exampleBudgetBytes: 16_000 } });
    const split = await analysisOnWorkers({ logger, workers: 2, limits: { exampleBudgetBytes: 16_000 } });
    try {
      expect(exampleBodies(await single.analyze(batch, context))).toEqual([2048, 2048, 2048]);
      expect(exampleBodies(await split.analyze(batch, context))).toEqual([2048, 2048, 0]);
    } finally {
      await Promise.all([single.close(), split.close()]);
    }
  });
});
