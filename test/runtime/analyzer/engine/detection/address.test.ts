import fc from 'fast-check';
import { judgeHost, parseIPv4, parseIPv6, splitUrls, urlHosts, mayNameInteractionHost } from '@/runtime/analyzer/engine/detection/address';

describe('IPv4 notations', () => {
  it('reads every inet_aton notation as the address it names', () => {
    const loopback = 0x7f000001;
    for (const host of [
      '127.0.0.1',
      '127.1',
      '127.0.1',
      '2130706433',
      '0x7f000001',
      '0x7f.1',
      '0177.0.0.1',
      '0177.1',
      '017700000001',
      '0x7f.0x0.0x0.0x1',
      '127.0.0.1.',
    ]) {
      expect({ host, value: parseIPv4(host)?.value }).toEqual({ host, value: loopback });
    }
    expect(parseIPv4('0')?.value).toBe(0);
    expect(parseIPv4('3232235521')?.value).toBe(0xc0a80001);
  });

  it('tells the canonical dotted quad from obfuscated spellings', () => {
    expect(parseIPv4('127.0.0.1')?.obfuscated).toBe(false);
    expect(parseIPv4('127.1')?.obfuscated).toBe(true);
    expect(parseIPv4('0x7f000001')?.obfuscated).toBe(true);
    expect(parseIPv4('010.0.0.1')?.obfuscated).toBe(true);
  });

  it('rejects names and out-of-range parts', () => {
    for (const host of ['example.com', '256.1.1.1', '1.2.3.4.5', '08.1.1.1', '1.2.3.256', '4294967296', '', 'localhost'])
      expect(parseIPv4(host)).toBeUndefined();
  });
});

describe('IPv6', () => {
  it('expands compression, embedded IPv4 and zone ids', () => {
    expect(parseIPv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('[0000::1]')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIPv6('fe80::1%25eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(parseIPv6('example.com')).toBeUndefined();
  });
});

describe('host verdicts', () => {
  it('finds metadata services of every major cloud, by address or name', () => {
    for (const host of [
      '169.254.169.254',
      '0xa9fea9fe',
      '2852039166',
      '[fd00:ec2::254]',
      'metadata.google.internal',
      '100.100.100.200',
      '169.254.170.2',
      '[::ffff:169.254.169.254]',
    ]) {
      expect({ host, kind: judgeHost(host).kind }).toEqual({ host, kind: 'metadata' });
    }
  });

  it('finds loopback, private and link-local hosts in any notation', () => {
    for (const host of [
      'localhost',
      'app.localhost',
      '127.127.127.127',
      '0',
      '0.0.0.0',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '[::]',
      '[::1]',
      '[0:0:0:0:0:ffff:127.0.0.1]',
      '[64:ff9b::7f00:1]',
      '[::127.0.0.1]',
      '[fc00::1]',
      'db.internal',
      '\u2460\u2461\u2466.\u24ea.\u24ea.\u24ea',
    ]) {
      expect({ host, kind: judgeHost(host).kind }).toEqual({ host, kind: 'internal' });
    }
  });

  it('finds rebinding and loopback names, and interaction services', () => {
    expect(judgeHost('127.0.0.1.nip.io').kind).toBe('rebinding');
    expect(judgeHost('customer1.app.localhost.my.company.127.0.0.1.example').kind).toBe('rebinding');
    expect(judgeHost('7f000001.c0a80001.rbndr.us').kind).toBe('rebinding');
    expect(judgeHost('abc.oast.fun').kind).toBe('interaction');
  });

  it('leaves public hosts alone', () => {
    for (const host of ['example.com', '8.8.8.8', 'www.google.com', '[2001:db8::1]', 's.yimg.com', '80.178.112.171'])
      expect({ host, kind: judgeHost(host).kind }).toEqual({ host, kind: undefined });
  });
});

describe('URL hosts', () => {
  const hosts = (text: string): string[] => urlHosts(text).map((u) => u.host);

  it('returns every host differing parsers would connect to', () => {
    expect(hosts('http://example.com@127.0.0.1/')).toEqual(expect.arrayContaining(['127.0.0.1']));
    expect(hosts('http://127.1.1.1:80\\@127.2.2.2:80/')).toEqual(expect.arrayContaining(['127.1.1.1', '127.2.2.2']));
    expect(hosts('http://[::1]:80/')).toEqual(['[::1]']);
    expect(hosts('0://127.0.0.1:80;http://google.com:80/')).toEqual(['127.0.0.1', 'google.com']);
    expect(urlHosts('http://1.1.1.1&@2.2.2.2#@3.3.3.3/')[0].confusing).toBe(true);
    expect(urlHosts('https://user@example.com/')[0].confusing).toBe(false);
  });

  it('reads a host past `#@` as confusion, but not a directory tenant id (an Azure portal link)', () => {
    expect(urlHosts('http://a.example.com#@127.0.0.1/')[0].confusing).toBe(true);
    expect(hosts('http://a.example.com#@127.0.0.1/')).toContain('127.0.0.1');
    const portal = urlHosts('https://portal.azure.com#@d652d9ed-c2a8-44e1-bcfe-da88b45273f0/blade/Microsoft_Azure_Monitoring_Logs/LogsBlade');
    expect(portal.map((u) => [u.host, u.confusing])).toEqual([['portal.azure.com', false]]);
  });

  it('is bounded on any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(':', '/', '@', '\\', 'a', '1', '.', '#'), maxLength: 3000 }),
        (s) => urlHosts(s).length <= 48 && splitUrls(s).length <= 8,
      ),
    );
  });
});

describe('URL parts', () => {
  it('splits scheme, authority, path and what follows', () => {
    expect(splitUrls('/x.php?root=http://evil.example/shell.txt??')).toEqual([
      { scheme: 'http', authority: 'evil.example', path: '/shell.txt', rest: '??', at: 12 },
    ]);
  });
});

describe('interaction hosts', () => {
  it('every host judged an interaction service passes the cheap hint first', () => {
    const hosts = [
      'a1.burpcollaborator.net',
      'a1.oastify.com',
      'a1.interact.sh',
      'a1.oast.pro',
      'a1.oast.fun',
      'a1.dnslog.cn',
      'a1.ceye.io',
      'a1.requestbin.net',
      'a1.canarytokens.com',
      'a1.dnslog.link',
      'a1.bxss.me',
    ];
    for (const host of hosts)
      expect({ host, kind: judgeHost(host).kind, hinted: mayNameInteractionHost(host) }).toEqual({ host, kind: 'interaction', hinted: true });
    expect(mayNameInteractionHost('shop.example.com')).toBe(false);
  });
});
