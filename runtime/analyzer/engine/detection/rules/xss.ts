/**
 * Cross-site scripting: script elements, event handlers, script URIs, active content.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

const EVENT_HANDLERS =
  'load|error|click|dblclick|mouseover|mouseout|mouseenter|mouseleave|mousemove|mousedown|mouseup|focus|focusin|focusout|blur|' +
  'keydown|keyup|keypress|input|change|submit|reset|select|scroll|wheel|resize|unload|beforeunload|hashchange|message|' +
  'pageshow|pagehide|popstate|toggle|begin|end|repeat|start|finish|bounce|animationstart|animationend|animationiteration|' +
  'transitionend|transitionstart|transitionrun|play|playing|pause|ended|loadstart|loadeddata|loadedmetadata|progress|canplay|' +
  'readystatechange|search|show|touchstart|touchend|touchmove|pointerover|pointerdown|pointerup|pointerenter|pointerleave|' +
  'pointermove|auxclick|contextmenu|copy|cut|paste|drag|dragstart|dragend|dragenter|dragover|drop|afterprint|beforeprint|' +
  'invalid|formchange|forminput|beforeinput|selectstart|selectionchange|volumechange|seeked|seeking|timeupdate|waiting|' +
  'durationchange|emptied|stalled|suspend|abort|online|offline|storage|visibilitychange|webkitanimationstart|content|' +
  'pointerrawupdate|beforetoggle|scrollend|scrollsnapchange|contentvisibilityautostatechange|beforematch|beforecopy|beforecut|' +
  'beforepaste|cuechange|formdata|fullscreenchange|gotpointercapture|lostpointercapture|ratechange|securitypolicyviolation|' +
  'slotchange|webkitanimationend|webkitanimationiteration|webkittransitionend|close|cancel|activate|beforeactivate|' +
  'beforedeactivate|deactivate|mousewheel|animationcancel|transitioncancel|pointercancel|pointerout|afterscriptexecute|' +
  'beforescriptexecute|dragexit|dragleave|dragover|canplaythrough|rowenter|rowexit|propertychange|filterchange|help|layoutcomplete|losecapture|move|moveend|movestart|resizeend|resizestart|datasetchanged|dataavailable|errorupdate';

export const XSS_RULES: readonly RegexRule[] = [
  {
    id: 200101, classification: 'Xss', state: 'Exploitation', risk: 90, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: script element',
    pattern: /<script\b|<\/script\s{0,10}>/,
  },
  {
    id: 200102, classification: 'Xss', state: 'Exploitation', risk: 85, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: event handler attribute',
    // Browsers skip junk between an attribute name and "=" (`onload!#$%=alert(1)`).
    pattern: new RegExp(String.raw`[\s/"'\x60;]on(?:${EVENT_HANDLERS})[^\w=>]{0,40}=`),
    requires: /<[a-z!/?]|['"\x60]\s{0,10}\/?\s{0,10}on[a-z]{3,40}\s{0,10}=/,
  },
  {
    id: 200110, classification: 'Xss', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: event-handler-like attribute that calls code',
    pattern: /[\s/"'\x60;]on[a-z]{4,40}\s{0,10}=\s{0,10}['"\x60]?\s{0,10}[a-z_$][\w$.]{0,40}\s{0,10}[(\x60]/,
    requires: /<[a-z]/,
  },
  {
    id: 200111, classification: 'Xss', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: meta refresh, link or UTF-7 charset injection',
    pattern: /<meta\b/,
    requires: /http-equiv\s{0,5}=\s{0,5}['"]?\s{0,5}(?:refresh|link|set-cookie)\b|charset\s{0,5}=\s{0,5}['"]?utf-7/,
  },
  {
    id: 200112, classification: 'Xss', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: style element importing or running code',
    pattern: /<style\b/,
    requires: /@import\b|-moz-binding|behavior\s{0,5}:|expression\s{0,5}\(|javascript\s{0,5}:/,
  },
  {
    id: 200113, classification: 'Xss', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high',
    description: 'XssAnalyzer: markup in UTF-7 or 7-bit-stripped form',
    pattern: /(?:^|[\s+])adw-\s{0,3}\/?(?:script|img|svg|iframe|body|meta|style)\b|\xbc\/?(?:script|img|svg|iframe)\xbe/,
  },
  {
    id: 200114, classification: 'Xss', state: 'Exploitation', risk: 60, severity: 'critical', confidence: 'high',
    description: 'XssAnalyzer: JavaScript entity',
    pattern: /&\{\s{0,10}[a-z_$][\w$.]{0,40}\s{0,10}\(/,
  },
  {
    id: 200103, classification: 'Xss', state: 'Exploitation', risk: 85, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: script URI',
    pattern: /(?:java|vb|live)script\s{0,10}:\s{0,10}(?:\/\/|\/\*|[\w$.[\]'"]{1,80}\s{0,10}[(`=])/,
  },
  {
    id: 200104, classification: 'Xss', state: 'Exploitation', risk: 75, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: active content element',
    pattern: /<(?:iframe|frame|frameset|object|embed|applet|isindex|xss|bgsound|layer|ilayer|import|portal)\b/,
  },
  {
    id: 200105, classification: 'Xss', state: 'Exploitation', risk: 75, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: active data URI',
    // Not image/svg+xml: SVG data URIs are everyday icons, and only run script as a document,
    // which the active-element rule catches.
    pattern: /\bdata\s{0,10}:\s{0,10}(?:text\/html|application\/(?:x-)?javascript|text\/javascript)(?:\s{0,10}[;,]|\s{1,10}base64\b)/,
  },
  {
    id: 200106, classification: 'Xss', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high',
    description: 'XssAnalyzer: JavaScript string break-out',
    pattern:
      /['"`][\s);]{0,5}[-+*/;,|&]{1,2}\s{0,5}(?:alert|prompt|confirm|eval|print|settimeout|setinterval|fetch|document\.write|window\.location)\s{0,5}[(`]|\balert\s{0,5}(?:\(\s{0,5}(?:\d|document|window|top|self|parent)|`)|\b(?:prompt|confirm)\s{0,5}(?:\(\s{0,5}(?:\d|document)|`)/,
  },
  {
    id: 200107, classification: 'Xss', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high', form: 'compact',
    description: 'XssAnalyzer: CSS script execution',
    pattern: /[:=]\s{0,10}expression\s{0,10}\(|-moz-binding\s{0,10}:|\bbehavior\s{0,10}:\s{0,10}url\s{0,10}\(/,
  },
  {
    id: 200108, classification: 'Xss', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high',
    description: 'XssAnalyzer: DOM access from injected code',
    pattern: /\bdocument\.(?:cookie|domain|write(?:ln)?\s{0,5}\()|\bwindow\.location\s{0,5}=|\.innerhtml\s{0,5}=|\bstring\.fromcharcode\s{0,5}\(|\beval\s{0,5}\(\s{0,5}(?:atob|unescape|string\.fromcharcode|location|name)\b/,
  },
];

const PREFILTER = /[<>`]|adw-|script|\bon[a-z]{3,40}\s{0,10}=|expression|binding|behavior|alert|prompt|confirm|eval|data\s{0,10}:|document\.|innerhtml|fromcharcode/;

export const xssPack: RulePack = {
  name: 'xss',
  classification: 'Xss',
  rules: XSS_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(XSS_RULES, v, report),
};
