import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';

const engine = createAnalysisEngine({ catalog: false });
const rules = (target: string, type: string, body: string): number[] =>
  engine
    .analyze(buildExchange({ method: 'POST', target, requestHeaders: [['Content-Type', type]], requestBody: body }), { sensorId: 's', sensorTags: [] })
    .filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent')
    .flatMap((e) => e.matches.map((m) => Number(m.id)));

const call = (method: string, password: string) =>
  `<value><struct><member><name>methodName</name><value><string>${method}</string></value></member><member><name>params</name><value><array><data><value><string>admin</string></value><value><string>${password}</string></value></data></array></value></member></struct></value>`;
const multicall = (calls: string[]) =>
  `<?xml version="1.0"?><methodCall><methodName>system.multicall</methodName><params><param><value><array><data>${calls.join('')}</data></array></value></param></params></methodCall>`;

describe('credential guessing packed into one request', () => {
  it('reports an XML-RPC multicall of 10 calls or more, not a client batching a few', () => {
    const guesses = Array.from({ length: 12 }, (_, i) => call('wp.getUsersBlogs', `guess${i}`));
    expect(rules('/xmlrpc.php', 'text/xml', multicall(guesses))).toContain(960127);
    expect(rules('/xmlrpc.php', 'text/xml', multicall([call('wp.getUsersBlogs', 'x'), call('wp.getOptions', 'x')]))).toEqual([]);
  });

  it('reports a short multicall that repeats a login check, which a client makes once', () => {
    const guesses = ['123456', 'admin', 'password'].map((p) => call('wp.getUsersBlogs', p));
    expect(rules('/xmlrpc.php', 'text/xml', multicall(guesses))).toContain(960127);
    expect(rules('/xmlrpc.php', 'text/xml', multicall([call('wp.getUsersBlogs', 'x'), call('wp.getUsersBlogs', 'x')]))).toEqual([]);
  });

  it('reports a password or code sent as an array, not other arrays', () => {
    expect(rules('/login.php', 'application/x-www-form-urlencoded', 'username=admin&password[]=')).toContain(960128);
    expect(rules('/verify', 'application/x-www-form-urlencoded', 'otp[0]=1&remember=1')).toContain(960128);
    expect(rules('/cart', 'application/x-www-form-urlencoded', 'items[]=12&items[]=14&password=hunter2')).toEqual([]);
    // mysqljs expands an object into a comparison of the column with itself
    expect(rules('/api/auth/login', 'application/json', '{"username":"admin","password":{"password":1}}')).toContain(960128);
    expect(rules('/api/account/password', 'application/json', '{"password":{"current":"a","new":"b"}}')).toEqual([]);
  });
});
