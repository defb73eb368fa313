/**
 * SAML protocol messages a request carries (`SAMLResponse`, `SAMLRequest`): base64 in the POST
 * binding, raw DEFLATE then base64 in the Redirect binding (SAML 2.0 Bindings, sections 3.4 and
 * 3.5), read as the XML documents a service provider parses. One reading for the placements (the
 * document is read for XXE as any XML body is) and for the SAML checks (rules/saml).
 */
import { inflateRawSync } from 'node:zlib';
import type { Parameter, RequestView } from '../../message-view';

/** The parameter names of SAML messages. */
const SAML_PARAMETER = /^(?:saml(?:response|request)|logoutresponse|logoutrequest)$/i;
/** Most characters of base64 read: a signed response with a certificate is a few KiB, an encrypted one tens. */
const MAX_BASE64 = 256 * 1024;
/** Most bytes inflated from a Redirect-binding message: far more than any real one, a bound on a DEFLATE bomb. */
const MAX_INFLATED = 256 * 1024;
const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}$/;
const XML_START = /^\s{0,8}</;

export interface SamlMessage {
  /** The parameter it came in (`SAMLResponse`). */
  readonly name: string;
  /** The XML document. */
  readonly xml: string;
  /** It came in the Redirect binding (deflated). */
  readonly deflated: boolean;
}

const NO_MESSAGES: readonly SamlMessage[] = [];
const namesSaml = (parameter: Parameter): boolean => SAML_PARAMETER.test(parameter.name);

/** Each request's messages, decoded once for the placements and the SAML checks alike. */
const decoded = new WeakMap<RequestView, readonly SamlMessage[]>();

/** The SAML messages among a request's query and body parameters, decoded. */
export function samlMessages(request: RequestView): readonly SamlMessage[] {
  // Most requests name no SAML parameter: they are answered without a look-up in the WeakMap,
  // which costs more than the names' test on every request.
  if (!request.query.some(namesSaml) && !request.bodyParams.some(namesSaml)) return NO_MESSAGES;
  let messages = decoded.get(request);
  if (messages === undefined) {
    const out: SamlMessage[] = [];
    for (const parameter of [...request.query, ...request.bodyParams]) {
      if (!namesSaml(parameter)) continue;
      const message = decodeSamlMessage(parameter.value);
      if (message !== undefined) out.push({ name: parameter.name, ...message });
    }
    messages = out;
    decoded.set(request, messages);
  }
  return messages;
}

/** A SAML message's XML: base64 (a `+` a form decoding turned into a space put back), inflated when it is deflated. */
export function decodeSamlMessage(value: string): { xml: string; deflated: boolean } | undefined {
  const text = (value.length > MAX_BASE64 ? value.slice(0, MAX_BASE64) : value).replace(/ /g, '+');
  if (!BASE64.test(text.trim())) return undefined;
  const bytes = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  const plain = bytes.toString('utf8');
  if (XML_START.test(plain)) return { xml: plain, deflated: false };
  try {
    const inflated = inflateRawSync(bytes, { maxOutputLength: MAX_INFLATED }).toString('utf8');
    return XML_START.test(inflated) ? { xml: inflated, deflated: true } : undefined;
  } catch {
    return undefined;
  }
}
