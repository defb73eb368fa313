/**
 * HTML, attribute and CSS context for XSS: tags read as a browser's tokenizer reads them, and
 * what the markup they form would do in a page.
 */
export { readTags, readAttributes, MAX_TAGS, MAX_ATTRIBUTES, type MarkupTag, type MarkupAttribute } from './tokenizer';
export { markupEffects, MarkupEffect, SCRIPT_EFFECTS, isScriptUrl, isActiveDataUrl, localName, urlScheme } from './markup';
export { EVENT_HANDLER_NAMES, PLAYER_EMBED_ADDRESS, SCRIPT_SCHEMES, ACTIVE_DATA_TYPES, RAW_TEXT_ELEMENTS, HTML_ELEMENTS } from './facts';
