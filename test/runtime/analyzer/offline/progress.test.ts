import { ProgressReporter } from '@/runtime/analyzer/offline';

describe('progress line', () => {
  it('stays silent for quick inputs, then writes a line every interval with the share done', () => {
    let now = 1_000;
    const lines: string[] = [];
    const progress = new ProgressReporter({ write: (line) => lines.push(line), now: () => now, quietMs: 3000, everyMs: 2000 });
    progress.start('big.pcap', 200 * 1024 * 1024, 'bytes');
    now += 2_900;
    progress.update(50 * 1024 * 1024, 900, 3);
    expect(lines).toEqual([]);
    now += 200;
    progress.update(60 * 1024 * 1024, 1000, 4);
    expect(lines).toEqual(['tx-prevent-analyzer: big.pcap: 30% (60.0 MiB of 200.0 MiB) after 3 s, 1000 exchanges analysed, 4 match events']);
    now += 1_000;
    progress.update(70 * 1024 * 1024, 1100, 4);
    expect(lines).toHaveLength(1);
    now += 1_000;
    progress.update(80 * 1024 * 1024, 1200, 5);
    expect(lines[1]).toBe('tx-prevent-analyzer: big.pcap: 40% (80.0 MiB of 200.0 MiB) after 5 s, 1200 exchanges analysed, 5 match events');
  });

  it('counts HAR entries, and starts the quiet period again for the next input', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressReporter({ write: (line) => lines.push(line), now: () => now });
    progress.start('a.har', 10, 'entries');
    now = 10_000;
    progress.start('b.har', 4000, 'entries');
    progress.update(1000, 1000, 0);
    expect(lines).toEqual([]);
    now = 13_000;
    progress.update(1000, 1000, 0);
    expect(lines).toEqual(['tx-prevent-analyzer: b.har: 25% (entry 1000 of 4000) after 3 s, 1000 exchanges analysed, 0 match events']);
  });
});
