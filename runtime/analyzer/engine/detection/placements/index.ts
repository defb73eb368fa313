/**
 * Every place attackers put payloads, as values for the rule packs: the path, query and form
 * parameters (names too), multipart fields and file names, JSON values and keys, XML text and
 * attributes, GraphQL argument literals, every request header but the ones whose grammar leaves no
 * room for a payload, cookies, and unwrapped copies of any of them (base64, or the ASP reading of
 * a value written between stray `%` signs).
 */
import { base64Text, decodeValue, strayPercentText } from '../decode';
import { MULTIPART_FILENAME_SUFFIX } from '../../../../parameter-names';
import { lowerHeaderName, TRAILER_SUFFIX, UNREAD_SHADOWED_JSON, type Parameter, type RequestView } from '../../message-view';
import type { ValueLocation } from '../types';
import { InspectedValue } from '../value';
import { jwtHeaderSegment } from '../../../../redaction-shape';
import { credentialValues, jwtHeaderValues } from './credentials';
import { jsonDocumentStrings } from '../json-document';
import { graphqlLiterals, isGraphqlDocument, MAX_LITERALS } from './graphql';
import { looksOpaque, looksOpaqueField } from './opaque';
import { MAX_XML_VALUES, xhtmlFragments, xmlValues } from './xml';
import { samlMessages } from './saml';
import { uploadMetadataValues } from './upload-metadata';
import { contentLineValues, isContentLineBody } from './content-lines';

export { credentialValues, mayHoldSecret, type CredentialValue } from './credentials';
export { isGraphqlDocument, graphqlLiterals, graphqlShape, type GraphqlShape } from './graphql';
export { xhtmlFragments, xmlValues } from './xml';
export { samlMessages, type SamlMessage } from './saml';
export { contentLineValues } from './content-lines';
export { uploadMetadataValues } from './upload-metadata';
export { looksOpaque } from './opaque';

/**
 * Values of one request looked at; the rest are not (the work per request stays bounded), and
 * the request is reported for it (ValueCollector.unread): no real request comes near.
 */
export const MAX_VALUES_PER_REQUEST = 16_384;
/** Body text looked at as one value, in windows of this size with an overlap (see below). */
const BODY_WINDOW = 16 * 1024;
const WINDOW_OVERLAP = 512;
/** The values past MAX_VALUES_PER_REQUEST or the detector's character budget. */
export const UNREAD_VALUES = 'values';
const UNREAD_XML_VALUES = 'XML values';
const UNREAD_GRAPHQL_LITERALS = 'GraphQL literals';
/** A percent-encoded `=`, `+` or `/` (once or more): the value may be base64 under URL encoding. */
const ENCODED_BASE64_CHAR = /%(?:25){0,3}(?:u00)?(?:3d|2b|2f)/i;
/** Path segments looked at for base64, and how long one must be to be tried. */
const MAX_PATH_SEGMENTS = 64;
const MAX_BASE64_SEGMENTS = 8;
const MIN_BASE64_SEGMENT = 16;
/** A `class` property in a parameter's path (`class.module.classLoader`, `x[class][classLoader]`). */
const CLASS_SEGMENT = /(?:^|[.[])class(?:[.[\]]|$)/i;
/** Ordinary names ("page", "user.name", "items[0][id]") carry no payload. */
const PLAIN_NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;

/**
 * Headers whose values are protocol tokens browsers and clients fill in (or that another part
 * reads: cookies are split into cookies, Host and framing are protocol checks).
 */
const SKIPPED_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'cookie',
  'accept-encoding',
  'upgrade-insecure-requests',
  'dnt',
  'priority',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-ch-ua-platform-version',
  'sec-ch-ua-full-version-list',
  'sec-ch-ua-arch',
  'sec-ch-ua-bitness',
  'sec-ch-ua-model',
  'sec-ch-ua-wow64',
  'sec-ch-ua-form-factors',
  'sec-ch-prefers-color-scheme',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  'sec-fetch-storage-access',
  'sec-gpc',
  'sec-purpose',
  'purpose',
  'if-none-match',
  'if-modified-since',
  'cache-control',
  'pragma',
  'te',
  'x-txprevent-scan',
]);

/**
 * A multipart boundary parameter of RFC 2046's characters (`boundary="-------3141592653"`): a
 * string the client made up to fence the parts, whose dashes and quotes mean nothing else.
 * Anything else in a Content-Type (an OGNL expression, a charset trick) is read.
 */
const BOUNDARY_PARAMETER = /;\s{0,8}boundary\s{0,8}=\s{0,8}(?:"[\w'()+,\-./:=? ]{1,70}"|[\w'()+,\-./:=?]{1,70})(?=\s{0,8}(?:;|$))/i;

function withoutBoundary(contentType: string): string {
  return contentType.indexOf('oundary') < 0 ? contentType : contentType.replace(BOUNDARY_PARAMETER, '');
}

/**
 * What the skipped headers hold when a browser or client fills them in: host names, numbers,
 * dates, codings, ETags and client-hint lists (whose brand names take parentheses). A value with
 * anything else (`${`, `() {`, quotes, markup, `%`, `|`) is not what its header should hold and is
 * read like any other header's: servers log Host and If-Modified-Since, and a CGI hands every
 * header to a shell.
 */
const PROTOCOL_TOKEN_VALUE = /^[A-Za-z0-9 \t!#*+,\-./:;=?@[\]^_~"()]{0,256}$/;

/** Headers holding `scheme credentials`: read as ./credentials says, never as they are. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization']);

/**
 * The base64 payload a value carries, if it is plainly base64 text, also with padding or `+`/`/`
 * percent-encoded (a header or cookie sent URL-encoded).
 */
export function unwrapBase64(raw: string): string | undefined {
  return base64Text(raw) ?? (ENCODED_BASE64_CHAR.test(raw) ? base64Text(decodeValue(raw)) : spacedBase64Text(raw));
}

/**
 * Base64 whose `+` a form decoding turned into spaces (a client that did not encode it: a SAML
 * response pasted into a replayed form); servers that expect base64 there put the `+` back, also
 * a first or last one, and two in a row. Words have a space every few letters, base64 a `+` in
 * about one character of 64.
 */
const SPACED_BASE64 = /^[A-Za-z0-9/]*(?: [A-Za-z0-9/]*)+={0,2}$/;
const MIN_CHARACTERS_PER_SPACE = 16;

function spacedBase64Text(raw: string): string | undefined {
  if (raw.indexOf(' ') < 0 || !SPACED_BASE64.test(raw)) return undefined;
  let spaces = 0;
  for (let i = raw.indexOf(' '); i >= 0; i = raw.indexOf(' ', i + 1)) spaces++;
  return raw.length >= spaces * MIN_CHARACTERS_PER_SPACE ? base64Text(raw.replace(/ /g, '+')) : undefined;
}

/** A data: URI's head up to its base64 content (`data:image/svg+xml;base64,`): an SVG or HTML document travels so. */
const DATA_URI_BASE64 = /^\s{0,4}data:[\w.+/-]{0,80}(?:;[\w.+= "-]{0,40}){0,3};base64,/i;
/** Base64 characters of a data: URI read (whole quads): the most base64Text unwraps. */
const DATA_URI_LEAD = 4096;

/**
 * Base64 characters read of a value too long to unwrap whole whose text is an XML document (a SAML
 * message, a signed SOAP envelope): its prolog and DTD, where external entities are declared, are
 * at its start.
 */
const XML_HEAD_LEAD = 4096;
/** Base64 text that starts with `<`: its first character is `P`. */
const BASE64_OF_MARKUP = 80;
const XML_DOCUMENT_START = /^\s{0,8}<(?:\?xml|!doctype|[a-z_][\w.-]{0,40}:?[\w.-]{0,40}[\s>])/i;

function xmlDocumentHead(raw: string): string | undefined {
  if (raw.length <= XML_HEAD_LEAD || raw.charCodeAt(0) !== BASE64_OF_MARKUP) return undefined;
  const base64 = ENCODED_BASE64_CHAR.test(raw) ? decodeValue(raw) : raw;
  const text = base64Text(base64.slice(0, XML_HEAD_LEAD));
  return text !== undefined && XML_DOCUMENT_START.test(text) ? text : undefined;
}

/**
 * Where a value that is a JSON document sent as it is (a filter in the query, client data in a
 * header or cookie) has its strings read one by one too. Not form fields nor JSON strings: chat
 * clients, CI servers and analytics beacons post messages, pipeline scripts and the page's markup
 * in JSON there (Slack's `blocks=`, Jenkins' `json=`), and their strings, each read from its start
 * as a value, alerted on four benign requests of the blind sets and benign-dev for one attack more.
 */
const JSON_TEXT_LOCATIONS: ReadonlySet<ValueLocation> = new Set<ValueLocation>(['query', 'header', 'cookie']);

/** A second reading of a value that hides its payload from the first: the text and how it was read. */
export interface WrappedPayload {
  readonly text: string;
  readonly reading: 'base64' | 'stray % removed' | 'data: URI' | 'JSON';
  /** When the text is a JSON document: its strings, by their path (`.host`, `.tags[1]`), read once. */
  readonly strings?: ReadonlyArray<readonly [path: string, text: string]>;
}

/**
 * The payload a value wraps: plainly base64, a data: URI's base64 content, or written between
 * stray `%` signs (ASP's reading).
 * A random-token blob (see InspectedValue.noisy) is neither: its `%` signs are noise, and removing
 * them only makes new noise for the signature rules.
 */
export function unwrapPayload(value: InspectedValue): WrappedPayload | undefined {
  const raw = value.raw;
  const data = DATA_URI_BASE64.exec(raw);
  if (data !== null) {
    // Line breaks and spaces are no base64 (MIME wraps at 76); a long file's start holds its DOCTYPE or script.
    const content = raw.slice(data[0].length).replace(/\s+/g, '');
    const file = base64Text(content.length > DATA_URI_LEAD ? content.slice(0, DATA_URI_LEAD) : content);
    return file === undefined ? undefined : { text: file, reading: 'data: URI' };
  }
  const base64 = unwrapBase64(raw) ?? xmlDocumentHead(raw);
  if (base64 !== undefined) return { text: base64, reading: 'base64', strings: jsonDocumentStrings(base64) };
  if (value.noisy) return undefined;
  const strings = JSON_TEXT_LOCATIONS.has(value.location) ? jsonDocumentStrings(raw) : undefined;
  if (strings !== undefined) return { text: raw, reading: 'JSON', strings };
  const stripped = strayPercentText(raw);
  return stripped === undefined ? undefined : { text: stripped, reading: 'stray % removed' };
}

/** The value's copy holding the payload it wraps, reported under the value's name and the reading. */
function unwrappedCopy(value: InspectedValue, payload: WrappedPayload): InspectedValue {
  // A data: URI's content is a file (an SVG, an HTML page), read as uploads are: what runs script, not markup as such.
  const location = payload.reading === 'data: URI' ? 'upload' : value.location;
  return new InspectedValue(location, `${value.name} (${payload.reading})`, payload.text, value.lowerName);
}

/**
 * What the rule packs read of a wrapped payload: the copy holding it and, when it is a JSON
 * document (a base64 cookie or state parameter carrying `{"host":"example.com|id"}`, a filter sent
 * as it is in the query), its strings as values of their own, named by their path (`d (base64).host`,
 * `q.policyNo`): a break-out reads as one only at a string's start.
 */
export function unwrappedValues(value: InspectedValue, payload: WrappedPayload): InspectedValue[] {
  // JSON sent as it is needs no copy: the value itself is its text.
  const copy = payload.reading === 'JSON' ? undefined : unwrappedCopy(value, payload);
  const out = copy === undefined ? [] : [copy];
  const name = copy?.name ?? value.name;
  for (const [path, text] of payload.strings ?? [])
    out.push(new InspectedValue(value.location, `${name}${path}`, text, `${value.lowerName}${path.toLowerCase()}`));
  return out;
}

/**
 * The values of a request in inspection order, without their unwrapped copies: each value whose
 * `mayWrap` entry is true is followed by its copy when `unwrapPayload` finds one. The copies
 * are left to the reader (the detector remembers them with a value's verdict, so a value seen
 * before is not tried again); `expandValues` makes them.
 */
export class ValueCollector {
  readonly values: InspectedValue[] = [];
  /** values[i] may carry a wrapped payload (see unwrapPayload). */
  readonly mayWrap: boolean[] = [];
  /** What went unread because it passes a limit (values, XML values, GraphQL literals). */
  readonly unread = new Set<string>();
  /** The GraphQL documents whose literals were read: in the `query` parameter, in JSON `query` fields (each of a batch), or as the body. */
  readonly graphqlDocuments: string[] = [];

  add(location: ValueLocation, name: string, raw: string): void {
    if (raw.length === 0) return;
    // At most MAX_VALUES_PER_REQUEST values are inspected, copies included: more are never read.
    if (this.values.length >= MAX_VALUES_PER_REQUEST) {
      this.unread.add(UNREAD_VALUES);
      return;
    }
    this.values.push(new InspectedValue(location, name, raw));
    // A whole body in base64 is a blob (a logged page, a state dump), not a wrapped payload.
    this.mayWrap.push(location !== 'body' && location !== 'xml_document');
  }

  /** A value that is already unwrapped (a base64 path segment). */
  addUnwrapped(value: InspectedValue): void {
    if (this.values.length >= MAX_VALUES_PER_REQUEST) return;
    this.values.push(value);
    this.mayWrap.push(false);
  }
}

/**
 * The values with their unwrapped copies, the first MAX_VALUES_PER_REQUEST of them: what the rule
 * packs inspect, in order.
 */
export function expandValues(collected: ValueCollector): InspectedValue[] {
  const out: InspectedValue[] = [];
  const { values, mayWrap } = collected;
  for (let i = 0; i < values.length && out.length < MAX_VALUES_PER_REQUEST; i++) {
    const value = values[i];
    out.push(value);
    const payload = mayWrap[i] ? unwrapPayload(value) : undefined;
    if (payload === undefined) continue;
    for (const copy of unwrappedValues(value, payload)) {
      if (out.length >= MAX_VALUES_PER_REQUEST) break;
      out.push(copy);
    }
  }
  return out;
}

/** Locations of the names of parameters, by the location of their values. */
const NAME_LOCATION: Partial<Record<Parameter['location'], ValueLocation>> = {
  query: 'query_name',
  body_form: 'body_form_name',
  body_multipart: 'body_form_name',
  body_json: 'body_json_key',
  cookie: 'cookie_name',
};

/**
 * A JWT sent other than as Authorization (an `access_token` parameter, a session cookie, a custom
 * header, a JSON field, also one whose payload the sensor redacted): its header's fields, as
 * Authorization's are read (`name (jwt header).kid`): servers read them before any signature check.
 */
function addJwtHeader(location: ValueLocation, name: string, value: string, out: ValueCollector): void {
  const segment = jwtHeaderSegment(value);
  if (segment === undefined) return;
  for (const field of jwtHeaderValues(segment) ?? []) out.add(location, `${name} ${field.name}`, field.value);
}

function addParameters(params: readonly Parameter[], out: ValueCollector): void {
  for (const p of params) {
    if (p.value.startsWith('eyJ') && (p.jsonType === 'string' || p.location !== 'body_json')) addJwtHeader(p.location as ValueLocation, p.name, p.value, out);
    // Object paths ("__proto__[x]", "constructor.prototype.x") pollute prototypes through the name.
    const nameLocation = NAME_LOCATION[p.location];
    // and a `class` segment reaches the class loader through bean properties (Spring4Shell).
    if (nameLocation !== undefined && (p.name.indexOf('proto') >= 0 || CLASS_SEGMENT.test(p.name)) && !p.isKey) out.add(nameLocation, p.name, p.name);
    switch (p.location) {
      case 'query':
        out.add('query', p.name, p.value);
        if (!PLAIN_NAME.test(p.name)) out.add('query_name', p.name, p.name);
        break;
      case 'body_form':
        out.add('body_form', p.name, p.value);
        if (!PLAIN_NAME.test(p.name)) out.add('body_form_name', p.name, p.name);
        break;
      case 'body_multipart': {
        const file = p.name.endsWith(MULTIPART_FILENAME_SUFFIX);
        if (file) out.add('multipart_filename', p.name, p.value);
        else out.add('body_multipart', p.name, p.value);
        // A part's name is a form field's name: the application reads it as one.
        const field = file ? p.name.slice(0, -MULTIPART_FILENAME_SUFFIX.length) : p.name;
        if (!PLAIN_NAME.test(field)) out.add('body_form_name', field, field);
        break;
      }
      case 'body_json':
        if (p.isKey) out.add('body_json_key', p.name, p.value);
        else if (p.jsonType === 'string') out.add('body_json', p.name, p.value);
        break;
      case 'cookie':
        // The sensor's redaction leaves a keyed hash, not the secret: nothing to inspect.
        if (!p.value.startsWith('redacted:')) out.add('cookie', p.name, p.value);
        if (!PLAIN_NAME.test(p.name)) out.add('cookie_name', p.name, p.name);
        break;
      default:
        out.add(p.location as ValueLocation, p.name, p.value);
    }
  }
}

function addGraphql(text: string, out: ValueCollector): void {
  out.graphqlDocuments.push(text);
  const literals = graphqlLiterals(text);
  if (literals.length > MAX_LITERALS) out.unread.add(UNREAD_GRAPHQL_LITERALS);
  for (const literal of literals.slice(0, MAX_LITERALS)) out.add('body_graphql', literal.name, literal.value);
}

/** Uploaded files (and archives sent as the body itself): their markup and code, and archive entry names. */
function addUploads(request: RequestView, out: ValueCollector): void {
  for (const upload of request.uploads) {
    const name = `${upload.field} (${upload.filename})`;
    if (upload.text !== '' && (upload.serializedStream === true || !looksOpaqueField(upload.text))) addWindows('upload', upload.text, out, name);
    // An archive's entry name is a file name the extractor writes to.
    for (const entry of upload.escapingNames ?? []) out.add('multipart_filename', name, entry);
  }
}

function addBody(request: RequestView, out: ValueCollector): void {
  const body = request.body;
  if (body.kind === 'none' || body.kind === 'binary' || body.text.length === 0) return;
  // Binary beacons and compressed blobs arrive under any content type, form and text included.
  const opaque = looksOpaque(body.text);
  if (opaque && body.kind !== 'form' && body.kind !== 'multipart') return;
  if (body.kind === 'json') {
    for (const p of request.bodyParams) {
      // A GraphQL request's document: read its literals, not its syntax.
      if (GRAPHQL_FIELD.test(p.name) && p.jsonType === 'string' && isGraphqlDocument(p.value)) addGraphql(p.value, out);
      else addParameters([p], out);
    }
    // A value the parse dropped for a later one under the same key is still in the text.
    if (request.unread.has(UNREAD_SHADOWED_JSON)) addWindows('body', body.text, out);
    if (request.bodyParams.length > 0) return;
  } else if (body.kind === 'form' || body.kind === 'multipart') {
    // An upload beside a binary file, or a form given a NUL, is read field by field.
    if (request.bodyParams.length > 0) {
      addParameters(opaque ? request.bodyParams.filter((p) => !looksOpaqueField(p.value)) : request.bodyParams, out);
      return;
    }
    if (opaque) return;
  }
  const type = body.contentType.toLowerCase();
  if (type.startsWith('application/graphql') || isGraphqlDocument(body.text)) {
    addGraphql(body.text, out);
    return;
  }
  if (body.kind === 'xml') {
    addWindows('xml_document', body.text, out);
    const values = xmlValues(body.text);
    if (values.length > MAX_XML_VALUES) out.unread.add(UNREAD_XML_VALUES);
    for (const v of values.slice(0, MAX_XML_VALUES)) out.add('body_xml', v.name, v.value);
    for (const fragment of xhtmlFragments(body.text)) addWindows('body_xml', fragment.value, out, fragment.name);
    // Markup nobody labelled XML (sniffed from its `<`) may be an HTML fragment: read as text too.
    if (!type.includes('xml')) addWindows('body', body.text, out);
    return;
  }
  addWindows('body', body.text, out);
  if (isContentLineBody(type, body.text)) for (const v of contentLineValues(body.text)) out.add('body', v.name, v.value);
}

/** Whether a Cookie header has a part that is no name=value pair (read without splitting: every request has one). */
function hasBareCookie(header: string): boolean {
  let start = 0;
  for (;;) {
    const semi = header.indexOf(';', start);
    const end = semi < 0 ? header.length : semi;
    const eq = header.indexOf('=', start);
    if (eq === start || ((eq < 0 || eq > end) && header.slice(start, end).trim() !== '')) return true;
    if (semi < 0) return false;
    start = semi + 1;
  }
}

/**
 * A SAML message is an XML document in base64 (deflated too, in the Redirect binding): read as an
 * XML body is, the document for XXE and its elements' values (a NameID, an attribute) as values.
 */
function addSamlMessages(request: RequestView, out: ValueCollector): void {
  for (const message of samlMessages(request)) {
    addWindows('xml_document', message.xml, out, `${message.name} (saml)`);
    for (const v of xmlValues(message.xml).slice(0, MAX_XML_VALUES)) out.add('body_xml', `${message.name}.${v.name}`, v.value);
  }
}

/** A long text as overlapping windows, so a payload on a boundary is whole in one of them. */
function addWindows(location: ValueLocation, text: string, out: ValueCollector, name = ''): void {
  for (let start = 0; start < text.length; start += BODY_WINDOW - WINDOW_OVERLAP) {
    out.add(location, name, start === 0 && text.length <= BODY_WINDOW ? text : text.slice(start, start + BODY_WINDOW));
    if (start + BODY_WINDOW >= text.length) break;
  }
}

/** JSON fields that hold a GraphQL document: `query`, also inside batches (`[].query`). */
const GRAPHQL_FIELD = /(?:^|[.\]])query$/;

const PLAIN_SEGMENT = /^[A-Za-z0-9_.~,@+-]{0,200}$/;

/**
 * An OData key or function argument in a path (SharePoint's
 * `GetFolderByServerRelativeUrl('/sites/x/Specs')`, `Lists('a/b')`): its slashes are the string's,
 * and so are parentheses in a file name (`'…/FY25 Budget (Draft).xlsx'`); a quote in it is doubled.
 */
const ODATA_LITERAL = /\('(?:[^']|''){0,400}'\)/g;
/** Stands in for a literal's slash while the path is split (a private-use character). */
const HIDDEN_SLASH = '\ue000';

/** A path's segments at `separator`, an OData literal whole in its segment (its quotes stay paired). */
export function splitPath(path: string, separator: RegExp | string = '/'): string[] {
  if (path.indexOf("('") < 0 || path.indexOf(HIDDEN_SLASH) >= 0) return path.split(separator);
  const hidden = path.replace(ODATA_LITERAL, (literal) => literal.replaceAll('/', HIDDEN_SLASH));
  return hidden === path ? path.split(separator) : hidden.split(separator).map((segment) => segment.replaceAll(HIDDEN_SLASH, '/'));
}
/** Most path segments inspected on their own. */
const MAX_SEGMENTS = 16;

/**
 * The whole path (traversal reads it whole), and each segment that is not plain on its own: a
 * payload in the middle of a path (`/item/";id"/details`) is a value like a parameter's.
 */
function addPath(rawPath: string, out: ValueCollector): void {
  out.add('path', '', rawPath);
  if (PLAIN_SEGMENT.test(rawPath.replace(/\//g, ''))) return;
  const segments = splitPath(rawPath);
  let added = 0;
  for (const segment of segments) {
    if (segment.length === 0 || PLAIN_SEGMENT.test(segment) || segment.length === rawPath.length - 1) continue;
    out.add('path', '', segment);
    if (++added >= MAX_SEGMENTS) break;
  }
}

/** Path segments that are plainly base64 (an identifier or a payload wrapped for transport), unwrapped. */
function addBase64Segments(rawPath: string, out: ValueCollector): void {
  if (rawPath.length < MIN_BASE64_SEGMENT) return;
  let tried = 0;
  for (const segment of rawPath.split('/', MAX_PATH_SEGMENTS)) {
    if (segment.length < MIN_BASE64_SEGMENT || tried++ >= MAX_BASE64_SEGMENTS) continue;
    const text = unwrapBase64(segment);
    if (text !== undefined) out.addUnwrapped(new InspectedValue('path', '(base64 segment)', text, ''));
  }
}

/** The values of a request, in the order they are inspected, base64 copies included. */
export function collectValues(request: RequestView): InspectedValue[] {
  return expandValues(collectRequestValues(request));
}

/**
 * Values a SQL comment bridges, read joined as the application joins them. ASP.NET hands an
 * application a repeated query or form parameter's values joined by commas: a UNION split across
 * `id` parameters whose pieces a comment opened in one and closed in the next glues together is
 * read joined. An application that builds one query from several fields (`brand='…' AND
 * model='…'`) glues them the same way when one field opens a comment and a later one closes it
 * (`x' UNION/*` in one, the closing `*` `/` and `SELECT card_no FROM payments` in the other): what
 * lies between is comment, so the two are read as one value. Only values that open or close such a comment.
 */
function addCommentSplitRepeats(params: readonly Parameter[], location: 'query' | 'body_form', out: ValueCollector): void {
  if (params.length < 2 || !params.some((p) => p.value.indexOf('/*') >= 0 || p.value.indexOf('*/') >= 0)) return;
  const byName = new Map<string, string[]>();
  for (const p of params) {
    const values = byName.get(p.name);
    if (values === undefined) byName.set(p.name, [p.value]);
    else values.push(p.value);
  }
  for (const [name, values] of byName) {
    if (values.length > 1 && values.some((v) => v.indexOf('*/') >= 0)) out.add(location, name, values.join(','));
  }
  let open: { names: string; text: string } | undefined;
  for (const p of params) {
    if (open !== undefined && p.name !== open.names) {
      const close = p.value.indexOf('*/');
      const reopen = p.value.indexOf('/*');
      if (close < 0 || (reopen >= 0 && reopen < close)) continue;
      open = { names: `${open.names}+${p.name}`, text: open.text + p.value };
      if (!opensComment(p.value)) {
        out.add(location, open.names, open.text);
        open = undefined;
      }
    } else if (opensComment(p.value)) open = { names: p.name, text: p.value };
  }
}

/** The value ends inside a block comment it opened (`x' UNION/*`). */
function opensComment(value: string): boolean {
  const last = value.lastIndexOf('/*');
  return last >= 0 && value.indexOf('*/', last + 2) < 0;
}

/** The values of a request, base64 copies left to the reader (see ValueCollector). */
export function collectRequestValues(request: RequestView): ValueCollector {
  const out = new ValueCollector();
  addPath(request.rawPath, out);
  addBase64Segments(request.rawPath, out);
  for (const p of request.query) {
    if (p.name === 'query' && isGraphqlDocument(p.value)) addGraphql(p.value, out);
    else addParameters([p], out);
  }
  addCommentSplitRepeats(request.query, 'query', out);
  addBody(request, out);
  if (request.body.kind === 'form') addCommentSplitRepeats(request.bodyParams, 'body_form', out);
  addSamlMessages(request, out);
  addUploads(request, out);
  addParameters(request.cookies, out);
  for (const header of request.headers) {
    const name = lowerHeaderName(header.name);
    if (CREDENTIAL_HEADERS.has(name)) {
      for (const c of credentialValues(header.value)) out.add('header', c.name === '' ? header.name : `${header.name} ${c.name}`, c.value);
    } else if (name === 'cookie') {
      // A cookie header that is not name=value pairs (`() { :; }; ...`) reaches a CGI's shell whole.
      if (hasBareCookie(header.value) && !PROTOCOL_TOKEN_VALUE.test(header.value)) out.add('header', header.name, header.value);
    } else if (name === 'content-type') {
      const value = withoutBoundary(header.value);
      if (value.length > 0) out.add('header', header.name, value);
    } else {
      if (!SKIPPED_HEADERS.has(name) || !PROTOCOL_TOKEN_VALUE.test(header.value)) out.add('header', header.name, header.value);
      if (header.value.startsWith('eyJ')) addJwtHeader('header', header.name, header.value, out);
      if (name === 'upload-metadata') for (const m of uploadMetadataValues(header.value)) out.add('header', `${header.name} ${m.key}`, m.value);
    }
  }
  // A server that merges trailers into the headers reads their values as it reads a header's.
  for (const trailer of request.trailers) out.add('header', `${trailer.name}${TRAILER_SUFFIX}`, trailer.value);
  return out;
}
