import { siteOf } from '@/runtime/analyzer/engine/site';

describe('the site a host belongs to', () => {
  it.each([
    ['www.example.com', 'example.com'],
    ['API.Example.COM:8443', 'example.com'],
    ['shop.example.co.uk', 'example.co.uk'],
    ['attacker.co.uk', 'attacker.co.uk'],
    ['www.bmw.de', 'bmw.de'],
    ['example.com.', 'example.com'],
    ['a.b.example.com.au', 'example.com.au'],
    ['192.0.2.10', '192.0.2.10'],
    ['[2001:db8::1]', '[2001:db8::1]'],
    ['localhost', 'localhost'],
  ])('%s is the site %s', (host, site) => {
    expect(siteOf(host)).toBe(site);
  });

  it('tells sites apart under one registry, and hosts of one site together', () => {
    expect(siteOf('attacker.co.uk')).not.toBe(siteOf('shop.co.uk'));
    expect(siteOf('shop.bmw.de')).toBe(siteOf('www.bmw.de'));
  });
});
