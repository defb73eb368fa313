/**
 * What injected markup would do in a page, from its tags as the browser reads them: run script
 * (script elements, event handlers, script URLs, active `data:` documents, CSS that runs code),
 * embed active content, leave a raw-text element, or just add markup (forms, images, links).
 */
import { compactForm } from '../decode';
import {
  ACTIVE_DATA_TYPES,
  DOM_CLOBBERING_NAMES,
  EMBEDDING_ELEMENTS,
  EVENT_HANDLER_NAMES,
  HTML_ELEMENTS,
  IMAGE_ELEMENTS,
  LOADING_ATTRIBUTES,
  BARE_PAGE_STRUCTURE_ELEMENTS,
  PAGE_STRUCTURE_ELEMENTS,
  PLAYER_EMBED_ADDRESS,
  RAW_TEXT_ELEMENTS,
  RESOURCE_ATTRIBUTES,
  SCRIPT_SCHEMES,
  TEXT_ATTRIBUTES,
} from './facts';
import { readAttributes, readTags, type MarkupAttribute, type MarkupTag } from './tokenizer';

/** What a piece of markup does, as bit flags (several can hold). */
export const MarkupEffect = {
  ScriptElement: 1,
  EventHandler: 2,
  ScriptUrl: 4,
  EmbeddedContent: 8,
  ActiveDataUrl: 16,
  StyleCode: 32,
  /** Event handler injected into an attribute, no tag of its own (`" autofocus onfocus=alert(1) x="`). */
  AttributeBreakout: 64,
  /** End tag of a raw-text element other than script (`</textarea>`, `</title>`). */
  RawTextBreakout: 128,
  /**
   * HTML elements that run nothing by themselves (`<b>`, `<img src=x>`, `<form>`, a tag the value
   * cuts off after an attribute: `<img src=x`).
   */
  Markup: 256,
  /**
   * Tag syntax browsers accept and no HTML writer produces: a `/` between the name and an
   * attribute (`<img/src=x>`), a back-quoted value, junk glued to an event handler's name
   * (`onerror!#=`).
   */
  EvasiveSyntax: 512,
  /** An element whose `id` or `name` shadows a DOM property page scripts read (`<img name=getElementById>`). */
  DomClobbering: 1024,
  /**
   * A resource URL whose quote never closes (`<img src='//host/?`): the page's following markup,
   * tokens included, is sent to that host.
   */
  DanglingMarkup: 2048,
  /**
   * A form control whose `dirname` names another field (`<input name=x dirname=csrf_token>`): on
   * submit the browser adds a field of that name with the text direction, overwriting or
   * smuggling the page's own field. No editor writes `dirname` into content.
   */
  FormFieldHijack: 4096,
  /**
   * Web Forms 2.0 repetition templates (`<x repeat="template" repeat-start="999999">`): a legacy
   * engine clones the element that many times (denial of service); no current page uses them.
   */
  RepetitionTemplate: 8192,
  /**
   * A form control whose `pattern` quantifies a group that holds a quantifier (`^((a+.)a)+$`,
   * `(x*)*`): the browser's validation backtracks exponentially on a long value (client-side
   * denial of service). Some real patterns have that shape without the blow-up (`([.-][a-z]+)*`).
   */
  BacktrackingPattern: 16384,
  /**
   * A start tag of an element that reshapes the page rather than formats text (`<html>`, `<body>`,
   * `<style>`, `<meta>`, `<base>`, `<form>`, `<svg>`, frames and plug-ins): rich-text fields hold
   * formatting markup, never these. A value that is a whole document of its own (an SVG or XML
   * upload) is told apart by the XSS pack.
   */
  PageStructure: 32768,
  /**
   * Markup after a quote and `>` that close an attribute value and its tag before any tag of the
   * text's own (`"><b>x</b>`, `'/><h1>`): text written to leave the tag it lands in and add
   * elements. A rich-text value opens its own tags before it closes any.
   */
  TagExitMarkup: 65536,
} as const;

const CONTROL_OR_SPACE = /^[\x00-\x20\x60'"]{1,40}/;
const URL_INVISIBLE = /[\t\n\r]/g;
const NO_OP_SCRIPT = /^(?:void\s{0,3}\(?\s{0,3}0\s{0,3}\)?|;|false|undefined|null|\s{0,3})\s{0,3};?\s{0,3}$/;
const CSS_CODE =
  /expression\s{0,10}\(|-moz-binding\s{0,10}:|\bbehavior\s{0,10}:|url\s{0,10}\(\s{0,10}['"]?\s{0,10}(?:java|vb)script:|@import\b|(?:java|vb)script\s{0,10}:/;
const META_REFRESH_URL = /url\s{0,10}=\s{0,10}['"]?\s{0,10}(?:(?:java|vb)script|data)\s{0,10}:/;
/** A handler value that is code: a call, a tagged template, an assignment or a statement. */
const HANDLER_CODE = /[(`=]|^\s{0,10}[a-z_$][\w$.]{0,60}\s{0,10}(?:;|$)/;
/** An event handler's name with junk glued to it (`onload!#$`), as filter evasion writes it. */
const HANDLER_WITH_JUNK = /^on([a-z]{3,40})[^a-z0-9:_.-]/;
/**
 * Attributes client-side frameworks evaluate as expressions (AngularJS `ng-*`, Vue `v-on:`/`@`/`:`/
 * `v-html`, Alpine `x-on:`/`x-html`, Angular `(event)`): a handler written in the framework's syntax.
 */
const FRAMEWORK_EXPRESSION_ATTRIBUTE =
  /^(?:(?:data-)?ng-[a-z]{3,30}|v-on:[a-z.-]{2,40}|@[a-z.-]{2,40}|x-on:[a-z.-]{2,40}|\([a-z.-]{2,40}\)|v-(?:html|bind:[a-z-]{2,40})|x-html|:[a-z-]{2,40})$/;
/**
 * What such an expression reaches that a template never needs: the window, script sinks (also
 * called through a bracket: `(z=alert)(1)`), the Function constructor.
 */
const FRAMEWORK_SINK =
  /\$event\s{0,3}\.\s{0,3}(?:view|target\s{0,3}\.\s{0,3}ownerdocument)|\b(?:alert|prompt|confirm|eval|fetch|import|settimeout)\s{0,3}\)?\s{0,3}[(`]|\bconstructor\b|\b(?:window|document|top|self|parent|globalthis)\s{0,3}[.[]|\$eval\b/;
const ABSOLUTE_URL_START = /^\s{0,10}(?:[a-z][a-z0-9+.-]{0,20}:)?\/\//;

/** The scheme a URL value starts with once a browser's URL parser has cleaned it, or ''. */
export function urlScheme(value: string): string {
  let url = value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 ? value.replace(URL_INVISIBLE, '') : value;
  url = url.replace(CONTROL_OR_SPACE, '');
  const colon = url.indexOf(':');
  if (colon <= 0 || colon > 12) return '';
  return url.slice(0, colon).toLowerCase();
}

/** The value runs script as a URL (`javascript:alert(1)`, not the no-op `javascript:void(0)`). */
export function isScriptUrl(value: string): boolean {
  const scheme = urlScheme(value);
  if (!SCRIPT_SCHEMES.includes(scheme)) return false;
  const code = value.slice(value.toLowerCase().indexOf(':') + 1);
  return !NO_OP_SCRIPT.test(code);
}

/** The value is a `data:` URL of a type that runs script when loaded as a document or script. */
export function isActiveDataUrl(value: string): boolean {
  if (urlScheme(value) !== 'data') return false;
  const rest = value
    .slice(value.toLowerCase().indexOf(':') + 1)
    .trimStart()
    .toLowerCase();
  return ACTIVE_DATA_TYPES.some((type) => rest.startsWith(type));
}

function isEventHandler(attribute: MarkupAttribute): boolean {
  return attribute.name.startsWith('on') && EVENT_HANDLER_NAMES.has(attribute.name.slice(2));
}

/** An element name without its namespace prefix (`html:script` → `script`). */
export function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function attribute(tag: MarkupTag, name: string): MarkupAttribute | undefined {
  return tag.attributes.find((a) => a.name === name);
}

/**
 * A CSS escape that stands for a letter (`\\65`, `\\000072`, `\\x`): style sheets escape icon code
 * points and selector punctuation (`\\f101`, `.md\\:flex`), never the letters of a property or
 * function name, which filter evasion does (`\\65xpression`, `no\\xss`).
 */
const CSS_LETTER_ESCAPE = /\\(?:0{0,4}(?:[46][1-9a-f]|[57][0-9a])(?![0-9a-f])|[g-z])/;
/** `<param>` names through which a plug-in object loads its movie or code (`<param name=movie value=//host/x.swf>`). */
const PARAM_LOADS = /^(?:movie|src|url|code|codebase|filename|source|data)$/;
const REPETITION_ATTRIBUTE = /^repeat(?:-(?:start|min|max|template))?$/;
/** A quantifier, then the end of its group (or of the group around that), then a quantifier on it. */
const NESTED_QUANTIFIER = /[+*][^()+*]{0,40}\)(?:[^()]{0,40}\))?\s{0,3}[+*{]/;

/** Evasive syntax, DOM clobbering and dangling markup: what a tag shows of intent without running script. */
function intentEffects(tag: MarkupTag, name: string): number {
  if (!HTML_ELEMENTS.has(name)) return 0;
  // `<img/src=x>`, not a path that happens to read `<h1/details`.
  let effects = tag.slashAfterName && tag.attributes[0]?.hasValue === true ? MarkupEffect.EvasiveSyntax : 0;
  for (const a of tag.attributes) {
    const junk = HANDLER_WITH_JUNK.exec(a.name);
    if ((junk !== null && EVENT_HANDLER_NAMES.has(junk[1])) || (a.hasValue && a.value.startsWith('`'))) effects |= MarkupEffect.EvasiveSyntax;
    if (!a.hasValue) continue;
    if (a.name === 'style' && CSS_LETTER_ESCAPE.test(a.value)) effects |= MarkupEffect.EvasiveSyntax;
    else if (a.name === 'dirname' && a.value.trim().length > 0) effects |= MarkupEffect.FormFieldHijack;
    else if (a.name === 'pattern' && NESTED_QUANTIFIER.test(a.value)) effects |= MarkupEffect.BacktrackingPattern;
    else if (REPETITION_ATTRIBUTE.test(a.name) && (a.name !== 'repeat' || a.value.trim().toLowerCase() === 'template'))
      effects |= MarkupEffect.RepetitionTemplate;
    if ((a.name === 'id' || a.name === 'name') && DOM_CLOBBERING_NAMES.has(a.value.trim().toLowerCase())) effects |= MarkupEffect.DomClobbering;
    else if (a.unterminated && RESOURCE_ATTRIBUTES.has(a.name) && ABSOLUTE_URL_START.test(a.value)) effects |= MarkupEffect.DanglingMarkup;
  }
  return effects;
}

/** XML Events (`ev:event="load" ev:handler="#x"`, `<handler ev:event=…>`) attach script to an element. */
function isXmlEventsListener(tag: MarkupTag, name: string): boolean {
  const names = tag.attributes.map((a) => a.name);
  if (!names.some((n) => n.endsWith(':event') || (n === 'event' && (name === 'listener' || name === 'handler')))) return false;
  return name === 'handler' || name === 'listener' || names.some((n) => n.endsWith(':handler'));
}

/** A `data:` URL's header just before a tag: the markup is the content of an image or document URL (`data:image/svg+xml,<svg …>`). */
const DATA_URL_HEADER = /\bdata:[\w.+/-]{1,60}(?:;[\w=.-]{1,40}){0,3}\\?,\s{0,3}$/;

/** The tag opens the content of a `data:` URL (an icon's `<svg>`): a resource, not markup the page parses. */
function opensDataUrl(tag: MarkupTag, text: string): boolean {
  return (
    !tag.isEndTag &&
    tag.start > 5 &&
    text.lastIndexOf('data:', tag.start) >= tag.start - 120 &&
    DATA_URL_HEADER.test(text.slice(Math.max(0, tag.start - 120), tag.start))
  );
}

/**
 * Text that only looks like a tag: V8 prints objects as `#<Object>` in its error messages, and a
 * tag whose attribute names start with `<` is a list of tag names (`<style div <div <img>`).
 */
function isTagLookAlike(tag: MarkupTag, text: string): boolean {
  if (tag.start > 0 && text.charCodeAt(tag.start - 1) === 35 /* # */ && tag.attributes.length === 0) return true;
  return tag.attributes.some((a) => a.name.startsWith('<'));
}

/**
 * A `<meta charset="utf-8">` alone: what a browser puts before HTML it copies to the clipboard
 * (`<meta charset='utf-8'><p>…`), and a page ignores once its body began. Another charset is a
 * decoding switch an injection may rely on (`x-mac-farsi`, UTF-7).
 */
function declaresCharsetOnly(tag: MarkupTag, name: string): boolean {
  return (
    name === 'meta' && tag.attributes.length === 1 && tag.attributes[0]!.name === 'charset' && /^\s*utf-?8\s*$/.test(tag.attributes[0]!.value.toLowerCase())
  );
}

/**
 * The attributes of an inline icon's `<svg>` start tag (`<svg viewBox="0 0 24 24" aria-hidden="true">`),
 * which pages repeat in every menu and button: size, paint and accessibility only.
 */
const ICON_SVG_ATTRIBUTE =
  /^(?:viewbox|width|height|xmlns|version|class|id|role|focusable|fill|stroke|stroke-width|stroke-linecap|stroke-linejoin|preserveaspectratio|aria-[a-z]{1,20}|data-[a-z0-9-]{1,40})$/;

/**
 * An inline icon: an `<svg>` with a `viewBox` and nothing but ICON_SVG_ATTRIBUTE. Saved pages and
 * the DOM snapshots session-replay scripts send are full of them; it draws shapes and changes no
 * page structure (anything in it that runs script or loads a resource is still read tag by tag).
 */
function isIconSvg(tag: MarkupTag, name: string): boolean {
  return name === 'svg' && tag.attributes.some((a) => a.name === 'viewbox' && a.hasValue) && tag.attributes.every((a) => ICON_SVG_ATTRIBUTE.test(a.name));
}

/** The attributes a page's `<html>` start tag carries for its language and styling hooks. */
const DOCUMENT_ELEMENT_ATTRIBUTE = /^(?:lang|xml:lang|dir|xmlns|class|id|data-[a-z0-9-]{1,40})$/;

/**
 * An `<html>` start tag with only a language, direction or class (`<html lang="hi">`): how saved
 * pages and DOM snapshots open. Inside a page the parser merges such attributes into the root
 * element it already has, which reshapes nothing.
 */
function opensDocumentOnly(tag: MarkupTag, name: string): boolean {
  return name === 'html' && tag.attributes.every((a) => DOCUMENT_ELEMENT_ATTRIBUTE.test(a.name));
}

const PLAYER_EMBED = new RegExp(`^\\s{0,5}${PLAYER_EMBED_ADDRESS}`);

/** An iframe loading a video, map or audio player (see PLAYER_EMBED_ADDRESS). */
function isPlayerEmbed(element: string, a: MarkupAttribute): boolean {
  return element === 'iframe' && a.name === 'src' && PLAYER_EMBED.test(a.value.toLowerCase());
}

function tagEffects(tag: MarkupTag, depth: number, text: string): number {
  const name = localName(tag.name);
  if (tag.isEndTag) {
    if (name === 'script') return MarkupEffect.ScriptElement;
    if (!tag.closed) return 0;
    return RAW_TEXT_ELEMENTS.has(name) ? MarkupEffect.RawTextBreakout : HTML_ELEMENTS.has(name) ? MarkupEffect.Markup : 0;
  }
  let effects = intentEffects(tag, name);
  if (name === 'script') effects |= MarkupEffect.ScriptElement;
  if (isXmlEventsListener(tag, name)) effects |= MarkupEffect.EventHandler;
  for (const a of tag.attributes) {
    if (!a.hasValue) continue;
    const value = a.value.trim();
    if (value.length === 0) continue;
    if (isEventHandler(a) || (a.name.startsWith('on') && a.name.length > 4 && HANDLER_CODE.test(value))) effects |= MarkupEffect.EventHandler;
    else if (FRAMEWORK_EXPRESSION_ATTRIBUTE.test(a.name) && FRAMEWORK_SINK.test(value)) effects |= MarkupEffect.EventHandler;
    else if (a.name === 'style') {
      if (CSS_CODE.test(compactForm(value.toLowerCase()))) effects |= MarkupEffect.StyleCode;
    } else if (a.name === 'srcdoc') {
      if (depth === 0 && (markupEffects(value, 1) & SCRIPT_EFFECTS) !== 0) effects |= MarkupEffect.EmbeddedContent;
    } else if (!TEXT_ATTRIBUTES.has(a.name) && !a.name.startsWith('aria-')) {
      if (isScriptUrl(value)) effects |= MarkupEffect.ScriptUrl;
      else if (!IMAGE_ELEMENTS.has(name) && isActiveDataUrl(value)) effects |= MarkupEffect.ActiveDataUrl;
      else if (a.name === 'content' && name === 'meta' && META_REFRESH_URL.test(value.toLowerCase())) effects |= MarkupEffect.ScriptUrl;
    }
  }
  if (EMBEDDING_ELEMENTS.has(name) && tag.attributes.some((a) => a.hasValue && LOADING_ATTRIBUTES.has(a.name) && !isPlayerEmbed(name, a)))
    effects |= MarkupEffect.EmbeddedContent;
  else if (name === 'meta' && /^(?:refresh|set-cookie|content-security-policy|link)$/.test(attribute(tag, 'http-equiv')?.value.trim().toLowerCase() ?? ''))
    effects |= MarkupEffect.EmbeddedContent;
  else if (name === 'meta' && /utf-?7/.test(attribute(tag, 'charset')?.value.toLowerCase() ?? '')) effects |= MarkupEffect.EmbeddedContent;
  else if (name === 'link' && /\b(?:stylesheet|import)\b/.test(attribute(tag, 'rel')?.value.toLowerCase() ?? '') && attribute(tag, 'href') !== undefined)
    effects |= MarkupEffect.EmbeddedContent;
  else if (name === 'xml' && attribute(tag, 'src') !== undefined) effects |= MarkupEffect.EmbeddedContent;
  else if (
    name === 'param' &&
    PARAM_LOADS.test(attribute(tag, 'name')?.value.trim().toLowerCase() ?? '') &&
    ABSOLUTE_URL_START.test(attribute(tag, 'value')?.value ?? '')
  )
    effects |= MarkupEffect.EmbeddedContent;
  else if (attribute(tag, 'datasrc') !== undefined && /html/.test(attribute(tag, 'dataformatas')?.value.toLowerCase() ?? ''))
    effects |= MarkupEffect.EmbeddedContent;
  else if ((name === 'set' || name === 'animate') && /^(?:xlink:)?href$|^on/.test(attribute(tag, 'attributename')?.value.trim().toLowerCase() ?? ''))
    effects |= MarkupEffect.EmbeddedContent;
  if ((effects & SCRIPT_EFFECTS) === 0 && HTML_ELEMENTS.has(name) && (tag.closed || tag.attributes.some((a) => a.hasValue)) && !isTagLookAlike(tag, text))
    effects |=
      PAGE_STRUCTURE_ELEMENTS.has(name) &&
      ((tag.closed && BARE_PAGE_STRUCTURE_ELEMENTS.has(name)) || tag.attributes.some((a) => a.hasValue && a.value.trim().length > 0)) &&
      !tag.attributes.some((a) => a.hasValue && isPlayerEmbed(name, a)) &&
      !declaresCharsetOnly(tag, name) &&
      !isIconSvg(tag, name) &&
      !opensDocumentOnly(tag, name)
        ? MarkupEffect.Markup | MarkupEffect.PageStructure
        : MarkupEffect.Markup;
  return effects;
}

/** Effects that run script by themselves. */
export const SCRIPT_EFFECTS =
  MarkupEffect.ScriptElement |
  MarkupEffect.EventHandler |
  MarkupEffect.ScriptUrl |
  MarkupEffect.ActiveDataUrl |
  MarkupEffect.StyleCode |
  MarkupEffect.EmbeddedContent |
  MarkupEffect.AttributeBreakout;

/** Most quotes tried as the end of an attribute value the text was injected into. */
const MAX_BREAKOUTS = 4;

/**
 * Text injected inside a tag (after an attribute value's quote, or into an unquoted value) that
 * adds an event handler or a style that runs code.
 */
function attributeBreakout(text: string): number {
  const starts = [0];
  for (let i = 0; i < text.length && starts.length <= MAX_BREAKOUTS; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') starts.push(i + 1);
  }
  for (const start of starts) {
    for (const a of readAttributes(text, start).attributes) {
      // An unquoted value's own text (`onclick=go()` as the whole value) stays inside that value:
      // only whitespace or a closing quote before it starts a new attribute.
      if (!a.hasValue || (start === 0 && a.start === 0)) continue;
      if (isEventHandler(a) && HANDLER_CODE.test(a.value.trim()) && /[(`=]/.test(a.value)) return MarkupEffect.AttributeBreakout;
      if (a.name === 'style' && /expression\s{0,10}\(|-moz-binding|behavior\s{0,10}:/.test(compactForm(a.value.toLowerCase())))
        return MarkupEffect.AttributeBreakout;
    }
  }
  return 0;
}

/**
 * The effects of a text's tags. The markup inside a `data:` URL, up to the end tag of the element
 * that opens it, only counts when it runs script (an active document such as `data:text/html,…`
 * is judged by its URL and by the script effects themselves).
 */
function tagsEffects(text: string, depth: number): number {
  let effects = 0;
  let dataUrlElement: string | undefined;
  // Elements by `id`, whether one of them has a `name`: two sharing an id make `window.<id>` a
  // collection whose `name`d member is `<id>.<name>` (`<a id=CONFIG><a id=CONFIG name=url href=//x>`):
  // DOM clobbering of a nested property. Pages do not repeat ids.
  const named = new Map<string, boolean>();
  for (const tag of readTags(text)) {
    if (dataUrlElement === undefined && opensDataUrl(tag, text)) dataUrlElement = tag.name;
    const id = tag.isEndTag ? undefined : attribute(tag, 'id')?.value.trim();
    if (id) {
      const hasName = attribute(tag, 'name') !== undefined;
      const before = named.get(id);
      if (before !== undefined && (before || hasName)) effects |= MarkupEffect.DomClobbering;
      named.set(id, before === true || hasName);
    }
    const tagEffect = tagEffects(tag, depth, text);
    effects |= dataUrlElement === undefined ? tagEffect : tagEffect & ~(MarkupEffect.Markup | MarkupEffect.PageStructure);
    if (tag.isEndTag && tag.name === dataUrlElement) dataUrlElement = undefined;
  }
  return effects;
}

const QUOTES = '"\'`';
const SPACE_OR_SLASH = ' /\t\n\r\f';

/** A quote, then only spaces or `/`, then the text's first `>`, with no `<` before it. */
function exitsTagFirst(text: string): boolean {
  const gt = text.indexOf('>');
  if (gt <= 0) return false;
  const lt = text.indexOf('<');
  if (lt >= 0 && lt < gt) return false;
  let i = gt - 1;
  while (i >= 0 && SPACE_OR_SLASH.includes(text[i])) i--;
  return i >= 0 && QUOTES.includes(text[i]);
}

/** The effects of the markup in a decoded value, as MarkupEffect flags. */
export function markupEffects(text: string, depth = 0): number {
  let effects = 0;
  if (text.indexOf('<') >= 0) effects |= tagsEffects(text, depth);
  if ((effects & MarkupEffect.Markup) !== 0 && exitsTagFirst(text)) effects |= MarkupEffect.TagExitMarkup;
  if ((effects & SCRIPT_EFFECTS) === 0 && text.indexOf('=') >= 0 && (text.indexOf('on') >= 0 || text.indexOf('style') >= 0)) effects |= attributeBreakout(text);
  return effects;
}
