import fc from 'fast-check';
import {
  MAX_SQL_TOKENS,
  SQL_TECHNIQUE,
  sqlInjectionTechniques,
  tokenizeSql,
  undoubledQuotes,
  withKeywordsRejoined,
  withoutGluedComments,
  withoutNestedKeywords,
  type SqlTechnique,
} from '@/runtime/analyzer/engine/detection/sql';

const types = (text: string, context: 'raw' | 'single' | 'double' = 'raw'): string =>
  tokenizeSql(text, context)
    .map((t) => t.type)
    .join('');
const techniques = (value: string): SqlTechnique[] => {
  const found = sqlInjectionTechniques(value.toLowerCase());
  return (Object.keys(SQL_TECHNIQUE) as SqlTechnique[]).filter((k) => (found & SQL_TECHNIQUE[k]) !== 0);
};

describe('SQL tokenizer', () => {
  it('reads strings, numbers, words, operators and comments', () => {
    expect(types("1 or 'a'='a' -- x")).toBe('n&sosC');
    expect(types('select @@version, user() from dual')).toBe('Ev,fk()b'.replace('fk()', 'f()k'));
    expect(types('x /* c */ y # z')).toBe('bbC');
  });

  it('reads a comment with SQL after it as whitespace; only a comment ending the value is a token', () => {
    expect(types('1/**/and/**/1=1')).toBe('n&non');
    expect(types('1#x\nor#x\n1=1')).toBe('n&non');
    expect(types('1--x\nor--x\n1=1 --')).toBe('n&nonC');
    expect(tokenizeSql('1 or 1=1 -- a\n-- b', 'raw').at(-1)).toMatchObject({ type: 'C', text: '--b' });
  });

  it('reads every block comment as the space the database sees; the comment-deleting reading joins glued words', () => {
    expect(types('create/**/table/**/t')).toBe('Ekb');
    expect(types("x'/**/and/**/userid/**/is/**/null", 'single')).toBe('s&bon');
    expect(types('union/**/select')).toBe('UE');
    expect(withoutGluedComments('uni/**/on sel/**/ect')).toBe('union select');
    expect(withoutGluedComments('in/**/s/**/ert /*!50000into*/ t')).toBe('insert /*!50000into*/ t');
    expect(withoutGluedComments('1 /**/ or 1=1')).toBeUndefined();
    // Comments inside keywords and between words alike: only the pieces of a keyword are joined.
    expect(withKeywordsRejoined("1'/**/un/**/ion/**/se/**/lect/**/1,2/**/from/**/users")).toBe("1'/**/union select/**/1,2 from users");
    expect(withKeywordsRejoined('s/**/e/**/l/**/e/**/c/**/t/**/name')).toBe('select name');
    expect(withKeywordsRejoined('1 /**/ or 1=1')).toBeUndefined();
    expect(withoutNestedKeywords('uniunionon selselectect 1 frfromom t')).toBe('union select 1 from t');
    expect(withoutNestedKeywords('slsleepeep(5)')).toBe('sleep(5)');
    expect(withoutNestedKeywords('unionunion select')).toBeUndefined();
  });

  it.each([
    ['1 or/**/der by 5', 'union'],
    ['1 and as/**/cii(1)>1', 'boolean'],
    ['1 and or/**/d(mid(user(),1,1))>64', 'boolean'],
    ['1 and if/**/null(1,2)=1', 'boolean'],
    ["1' in/**/s/**/ert into users values(1)--", 'stacked'],
    ['uni/**/on sel/**/ect 1', 'union'],
    ['create/**/table/**/myfile/**/(input/**/text);', 'stacked'],
  ] as const)('judges %j in either reading (%s)', (value, technique) => {
    expect(techniques(value)).toContain(technique);
  });

  it('reads a name followed by a block comment and a parenthesis as a call', () => {
    expect(types('json_extract/**/(x)')).toBe('f(b)');
  });

  it('starts inside the string the query opened, in the quote contexts', () => {
    expect(types("admin' or '1'='1", 'single')).toBe('s&sos');
    expect(tokenizeSql("admin' or '1'='1", 'single').at(-1)).toMatchObject({ type: 's', text: '1', open: true });
    expect(types('x" and "a"="a', 'double')).toBe('s&sos');
  });

  it("reads Oracle's alternative quoting as one string, closed by its delimiter's closer and a quote", () => {
    expect(tokenizeSql("q'[it's]'", 'raw')).toEqual([{ type: 's', text: "it's", open: false }]);
    expect(types("x' or 1=nq'{a}'--", 'single')).toBe('s&nosC');
    expect(tokenizeSql("q'<unclosed", 'raw')).toEqual([{ type: 's', text: 'unclosed', open: true }]);
    // a word's last letter before a quote is no prefix, and a blank is no delimiter
    expect(tokenizeSql("faq'[x]'", 'raw').map((t) => t.text)).toEqual(['faq', '[x]']);
    expect(types("q' x", 'raw')).toBe('bs');
  });

  it("reads PostgreSQL's ARRAY[...] as a call and its key-existence operators as operators", () => {
    expect(types("x' or tags ?| array['a','b']--", 'single')).toBe('s&bof(s,s)C');
    expect(types('tags ?& array[1]', 'raw')).toBe('bof(n)');
    // a bracket after any other word, or a closing one with none open, is no call
    expect(types('list[1]]', 'raw')).toBe('bxnxx');
  });

  it('keeps doubled quotes inside a string and lets a backslash end nothing', () => {
    expect(tokenizeSql("'it''s'", 'raw')).toEqual([{ type: 's', text: "it''s", open: false }]);
    expect(types("\\'; drop table users", 'single')).toBe('s;Ekb');
  });

  it('folds UNION ALL, ORDER BY and functions', () => {
    expect(types('1 union all select 1')).toBe('nUEn');
    expect(types('1 order by 3')).toBe('nBn');
    expect(types('sleep (5)')).toBe('f(n)');
    expect(types('1or1=1')).toBe('n&non');
  });

  it('reads MySQL executable comments as their content', () => {
    expect(types('1 /*!50000union*/ select 1')).toBe('nUEn');
  });

  it('reads + as a space only in a value without whitespace', () => {
    expect(types('1+or+1=1')).toBe('n&non');
    expect(types('1 + 1')).toBe('non');
  });

  it('terminates with at most its token cap on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.constantFrom('raw' as const, 'single' as const, 'double' as const), (s, context) => {
        const tokens = tokenizeSql(s, context);
        return tokens.length <= MAX_SQL_TOKENS && tokens.every((t) => t.text.length <= 64 + 3);
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...`'"-#/*!() ;=|&@\`ab1`.split('')), maxLength: 3000 }),
        (s) => typeof sqlInjectionTechniques(s) === 'number',
      ),
    );
    // Short values over the characters that steer the judgement reach every branch of it.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(';', ')', '(', "'", '-', ' ', ',', '1', 'or', 'exec', 'select'), maxLength: 12 }),
        (s) => typeof sqlInjectionTechniques(s) === 'number',
      ),
      { numRuns: 5000 },
    );
    expect(sqlInjectionTechniques(';;')).toBe(0);
    expect(sqlInjectionTechniques(');; --')).toBe(SQL_TECHNIQUE.comment);
  });
});

describe('SQL injection judgement', () => {
  it.each<[string, SqlTechnique]>([
    ["' or '1'='1", 'boolean'],
    ["admin' or '", 'boolean'],
    ["' or 1/*", 'boolean'],
    ["1 and user_name() = 'dbo'", 'boolean'],
    ["-1') OR JSON_EXTRACT('{}', '$.a') = 1 AND ('a' LIKE 'a", 'boolean'],
    ["' and sleep(5) and '1", 'boolean'],
    ['" or ""="', 'boolean'],
    ["'||utl_http.request('http://x')", 'boolean'],
    ["admin'--", 'comment'],
    ["'); --", 'comment'],
    ['; --', 'comment'],
    ["',NULL) waitfor delay '0:0:5' /*", 'comment'],
    ['password=1--', 'comment'],
    ["'; drop table users; --", 'stacked'],
    ["1; exec master..xp_cmdshell 'dir'", 'stacked'],
    ["t'exec master..xp_cmdshell 'nslookup x'--", 'stacked'],
    ['select @@version', 'stacked'],
    ['select user()', 'stacked'],
    ['; select a from t where x=1', 'stacked'],
    ['create table t (a text);', 'stacked'],
    ["backup database master to disk='\\\\x\\y'", 'stacked'],
    ['@v select @v as v into t end --', 'stacked'],
    ["1';copy (select '') to program 'id'--", 'stacked'],
    ["1; COPY users TO '/tmp/u.csv'", 'stacked'],
    ['1;copy t from stdin', 'stacked'],
    ["' union select null,null--", 'union'],
    ['1 order by 5', 'union'],
    ["' having 1=1--", 'union'],
    ["' into outfile '/tmp/x", 'union'],
    ["'+(select top 1 name from sysobjects)+'", 'concat'],
    ['hi or a=a', 'tautology'],
    ['x and 2>1', 'tautology'],
    ["'x", 'probe'],
    ["x' or", 'probe'],
    ['<>"\'%;)(&+', 'probe'],
    ["1\\'1", 'probe'],
  ])('%j shows %s', (value, technique) => {
    expect(techniques(value)).toContain(technique);
  });

  it.each([
    "shortcutDetails.targetId='1cFuj_Hvk6' and creator='me' and trashed=false",
    'collections:"doormats" AND inventory_quantity > 0',
    "Name eq 'Milk' and Price lt 2.55",
    'title:"foo" OR body:"bar"',
    "Joe's or Mary's",
    "Rock 'n' Roll or 'whatever'",
    "it's 1 or 2",
    '358466||1662815625||1662815624||920350bf',
    'D=pageName+"||Checkout|GuestLogin"',
    '1---',
    '4#101152285#40~k-ZwAjEYbre32',
    "1728554509!1626594.-1'1626604.-1'1626756.0!",
    'exec noun',
    'select all items from the store',
    'union of states',
    'please copy the table to the folder',
    'copy (2 pages) to me',
    '2 or more',
    'a=1--b',
    '3 < 4 and 5 > 2',
    "SELECT * FROM orders WHERE status = 'shipped' AND total > 100",
    "UPDATE settings SET theme = 'dark' WHERE user_id = 42",
    '{"sensor_data":"2;0;4604978;3,45,0,1,1,72;^82&F_qE9n6d]}v *=<3z4Kq3ir:V-v-)cnd2[0_M{?4{i"}',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)',
  ])('%j is not an injection', (value) => {
    expect(techniques(value)).toEqual([]);
  });

  it.each<[string, SqlTechnique]>([
    // Comparisons of constant expressions are tautologies as much as `1=1` is.
    ['5 and 3*2=6', 'tautology'],
    ['1 and 10/2=5', 'boolean'],
    ['1 and (2+2)=4', 'tautology'],
    ["x' or 4-1=3 #", 'tautology'],
    ['1 and not 3*3=10', 'boolean'],
    // A delay as an operand of any operator after a break-out.
    ['1-sleep(5)', 'delay'],
    ['1+sleep(5)', 'delay'],
    ['1 % pg_sleep(5)', 'delay'],
    ["'-sleep(5)-'", 'delay'],
    ["x'||pg_sleep(5)||'", 'delay'],
    ['1) - benchmark(5000000,md5(1)) --', 'delay'],
    ["1-dbms_pipe.receive_message(('a'),10)", 'delay'],
    ['1-(select 1 from pg_sleep(5))', 'delay'],
    ["1 and 1=like('abc',upper(hex(randomblob(500000000/2))))", 'delay'],
    ["1 and 1=like('abc',upper(hex(randomblob(500000000/2))))", 'boolean'],
    // A subquery as an operand after a break-out.
    ['2-(select 1)', 'subquery'],
    ["'*(select password from users limit 1)*'", 'subquery'],
    ['-1 union distinctrow select 1,2', 'union'],
    ["1; create or replace function sys(cstring) returns int as '/lib/libc.so.6','system' language c strict--", 'stacked'],
    ['create temporary table t (a text);', 'stacked'],
    // PostgreSQL JSON operators and casts make a condition like any other.
    ['\' or \'{"a":2}\'::jsonb <@ \'{"a":2,"b":1}\'--', 'boolean'],
    ["' or '{\"a\":1}'::jsonb @> '{\"a\":1}'--", 'tautology'],
    ["1' or '{\"x\":1}' -> '$.x' = 1 -- -", 'boolean'],
    ["1' and '{\"b\":\"x\"}'::json->>'b'='x", 'boolean'],
    ["1 or info->>'role'='admin'", 'boolean'],
    // Tests where a sort key or a number belongs.
    ['(case when (select 1)=1 then name else price end)', 'conditional'],
    ["(case when (select substr(password,1,1) from users limit 1)='a' then name else price end)", 'conditional'],
    ['case when 2>1 then 1 else 2 end', 'conditional'],
    ['if(1=1,1,0)', 'conditional'],
    ['iif((select count(*) from users)>0,1,0)', 'conditional'],
    ['1*if(1=1,1,0)', 'conditional'],
    ['1 order by (select 1)', 'union'],
    ['1 order by case when 1=1 then 1 else 2 end', 'union'],
    ['1 order by if(1=1,1,2)', 'union'],
    ['(select 1)', 'scalar'],
    ['((select 2))', 'scalar'],
  ])('%j shows %s', (value, technique) => {
    expect(techniques(value)).toContain(technique);
  });

  it.each([
    'true or false and not 1=1 logic puzzle',
    '5 and 3*2=6 right',
    'select a plan',
    'union station',
    'order by price',
    'sort by price or rating',
    'sleep(8 hours)',
    'baby-sleep(5 tips)',
    'deep-sleep (5)',
    'if(x>5, 1, 0)',
    "iif(a=b, 'y', 'n')",
    "CASE WHEN status='paid' THEN 1 ELSE 0 END",
    'case when it rains then stay home',
    '(select one)',
    '(select all that apply)',
    'a -> b -> c',
    "data->>'name' = 'x'",
    "name like ('a%')",
    '2024-05-01 - 2024-06-01',
  ])('%j is not an injection either', (value) => {
    expect(techniques(value)).toEqual([]);
  });

  it('reads a comparison word where an operand belongs as the function of that name', () => {
    expect(types("1=like('a',x)")).toBe('nof(s,b)');
    expect(types("x like ('a')")).toBe('bo(s)');
    expect(types("x not like ('a')")).toBe('b!o(s)');
    expect(types("'{}'::jsonb @> x->>'a'")).toBe('sobobos');
  });

  it('reads a prefixed string literal as one string', () => {
    expect(types("n'text' = x'ff'")).toBe('sos');
    expect(types("e'a' or b'01'")).toBe('s&s');
    expect(types("rock 'n' roll", 'single')).toBe('ss');
    expect(techniques("' or 'text' = n'text'")).toContain('boolean');
  });

  it('judges only what a whole document holds anywhere, not how it starts', () => {
    expect(sqlInjectionTechniques("admin'--", { breakouts: false })).toBe(0);
    expect(sqlInjectionTechniques('id=1; drop table users', { breakouts: false })).toBe(SQL_TECHNIQUE.stacked);
  });
});

describe('SQL written as a literal with doubled quotes', () => {
  it.each<[string, SqlTechnique]>([
    ['"hi"") or (""a""=""a', 'boolean'],
    ["1'' or ''1''=''1", 'boolean'],
    ["x'' and ''a''=''a''", 'boolean'],
    ['"x"" or 1=1 --', 'tautology'],
    ["'x''; drop table users --'", 'stacked'],
  ])('%s reads as %s once undoubled', (value, technique) => {
    expect(sqlInjectionTechniques(value.toLowerCase()) & SQL_TECHNIQUE[technique]).toBe(SQL_TECHNIQUE[technique]);
  });

  it('undoes the doubling only where every quote of the kind is doubled (a literal body)', () => {
    expect(undoubledQuotes('"hi"") or (""a""=""a', '"')).toBe('hi") or ("a"="a');
    expect(undoubledQuotes('"he said ""hi"""', '"')).toBe('he said "hi"');
    expect(undoubledQuotes('{"a":"","b":""}', '"')).toBeUndefined();
    expect(undoubledQuotes("it's o''brien", "'")).toBeUndefined();
    expect(undoubledQuotes('no quotes', '"')).toBeUndefined();
  });

  it.each([
    ['a CSV field with quoted speech', '"He said ""hi"" to me"'],
    ['a CSV row', 'a,"b ""c"" d",e'],
    ['JSON with empty strings', '{"a":"","b":""}'],
    ['a name escaped for SQL', "O''Brien or Smith"],
    ['an escaped apostrophe', "it''s fine"],
    ['empty literals', `'''' and ""`],
    ['a quoted inch mark in a CSV', '"27"" monitor, or 32"" tv"'],
  ])('does not judge %s an injection', (_what, value) => {
    expect(sqlInjectionTechniques(value.toLowerCase())).toBe(0);
  });

  it('stays bounded and total on arbitrary doubled-quote text', () => {
    const unit = fc.constantFrom('"', "'", ' ', 'o', 'r', '=', 'a', '1', '(', ')', '-');
    fc.assert(fc.property(fc.string({ unit, maxLength: 2000 }), (s) => Number.isInteger(sqlInjectionTechniques(s))));
  });
});
