/**
 * The text a language model reads, in a request to a model API: the chat messages, the system
 * prompt, a completion's prompt, a response's input and instructions, the texts of an embeddings
 * request (OpenAI's, Anthropic's, Ollama's, Bedrock's and Gemini's APIs, and those that copy
 * them). The model reads that text; no SQL engine, shell, file system or URL fetcher does, so a
 * user asking how a UNION works, pasting a stack trace or a shell session, or a tool's output
 * quoting `/etc/passwd` is not an injection there. What does reach an interpreter in such a
 * request stays read as before: tool calls' arguments, image and file URLs, a chat template.
 */
import type { RequestView } from '../message-view';
import type { InspectedValue } from './value';
import type { AttackClassification, Rule } from './types';

/**
 * JSON paths of prompt text. Parts are `{type, text}` (OpenAI and Anthropic) and a tool result's
 * `content` (Anthropic); `input` is a string or an array of them (responses, embeddings) or of
 * messages (responses).
 */
const PROMPT_TEXT_PATH =
  /^(?:(?:messages|input)\[\]\.content(?:\[\]\.(?:text|content(?:\[\]\.text)?))?|system(?:\[\]\.text)?|prompt|input(?:\[\])?|instructions|(?:contents\[\]|systeminstruction)\.parts\[\]\.text)$/i;

/**
 * What prompt text is still read for: chat interfaces render messages back (stored XSS), and
 * gateways log them, where a Log4j lookup runs whatever service wrote the line.
 */
const READ_IN_PROMPT_TEXT: ReadonlySet<AttackClassification> = new Set(['Xss', 'Log4Shell']);
/**
 * Instructions, system prompts and prompts are what agent builders keep and fill in as templates
 * (`Greet {{ user }}.`), so a template expression there is still read; messages and inputs are
 * the conversation, which a template receives as data.
 */
const TEMPLATE_PATH = /^(?:system|instructions|prompt|systeminstruction\.parts\[\]\.text)$/i;
const READ_IN_TEMPLATE_TEXT: ReadonlySet<AttackClassification> = new Set([...READ_IN_PROMPT_TEXT, 'TemplateInjection']);

/** A model's name: what every one of these APIs requires beside the text. */
const MODEL_NAME = /^[\w.:/@+-]{1,200}$/;
/**
 * APIs that name the model in the path: Bedrock's (`/model/<id>/converse`), Gemini's
 * (`/models/<id>:generateContent`) and Azure OpenAI's deployments.
 */
const MODEL_IN_PATH =
  /\/model\/[^/]{1,200}\/(?:converse|invoke)(?:-stream|-with-response-stream)?$|\/models\/[^/:]{1,200}:(?:stream)?generatecontent$|\/openai\/deployments\/[^/]{1,200}\/(?:chat\/completions|completions|embeddings)$/i;
/**
 * The routes of the APIs that name the model in the body (OpenAI's and those that copy it,
 * Anthropic's, Ollama's): a `model` field on another route is no sign, since a payload could bring
 * one along to an ordinary API that reads `input` or `prompt`.
 */
const MODEL_ROUTE = /\/(?:chat\/completions|completions|messages|responses|embeddings|embed|chat|generate)\/?$/i;

/** Whether the request is to a model API: its path, or its route and JSON body, name a model (`"model": "gpt-4o-mini"`). */
export function namesModel(request: RequestView, values: readonly InspectedValue[]): boolean {
  if (MODEL_IN_PATH.test(request.path)) return true;
  if (!MODEL_ROUTE.test(request.path)) return false;
  for (const value of values) if (value.location === 'body_json' && value.name === 'model' && MODEL_NAME.test(value.raw)) return true;
  return false;
}

/** Whether the value is prompt text, given that the request names a model. */
export function isPromptText(value: InspectedValue): boolean {
  return value.location === 'body_json' && PROMPT_TEXT_PATH.test(value.name);
}

/** The rules that count in prompt text, of those a value (prompt text) matched. */
export function rulesForPromptText(value: InspectedValue, rules: readonly Rule[]): readonly Rule[] {
  const read = TEMPLATE_PATH.test(value.name) ? READ_IN_TEMPLATE_TEXT : READ_IN_PROMPT_TEXT;
  return rules.every((rule) => read.has(rule.classification)) ? rules : rules.filter((rule) => read.has(rule.classification));
}
