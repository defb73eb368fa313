/**
 * What makes markup run code in a browser: event handler attributes, URL schemes that execute,
 * elements that load or embed active content, and the raw-text elements whose end tag lets an
 * injection leave a script, style or text area.
 */

/** Event handler attribute names without the `on` prefix (HTML, SVG, legacy IE and Gecko). */
export const EVENT_HANDLER_NAMES: ReadonlySet<string> = new Set(
  (
    'load error click dblclick mouseover mouseout mouseenter mouseleave mousemove mousedown mouseup focus focusin focusout blur ' +
    'keydown keyup keypress input change submit reset select scroll wheel resize unload beforeunload hashchange message ' +
    'pageshow pagehide popstate toggle begin end repeat start finish bounce animationstart animationend animationiteration ' +
    'transitionend transitionstart transitionrun transitioncancel play playing pause ended loadstart loadeddata loadedmetadata ' +
    'loadend progress canplay canplaythrough readystatechange search show touchstart touchend touchmove touchcancel ' +
    'pointerover pointerdown pointerup pointerenter pointerleave pointermove pointerout pointercancel pointerrawupdate ' +
    'gotpointercapture lostpointercapture auxclick contextmenu copy cut paste drag dragstart dragend dragenter dragover ' +
    'dragleave dragexit drop afterprint beforeprint invalid formchange forminput formdata beforeinput selectstart ' +
    'selectionchange volumechange seeked seeking timeupdate waiting durationchange emptied stalled suspend abort online ' +
    'offline storage visibilitychange webkitanimationstart webkitanimationend webkitanimationiteration webkittransitionend ' +
    'beforetoggle scrollend scrollsnapchange scrollsnapchanging contentvisibilityautostatechange beforematch beforecopy ' +
    'beforecut beforepaste cuechange fullscreenchange fullscreenerror ratechange securitypolicyviolation slotchange close ' +
    'cancel activate beforeactivate beforedeactivate deactivate mousewheel animationcancel afterscriptexecute ' +
    'beforescriptexecute rowenter rowexit rowsdelete rowsinserted propertychange filterchange help layoutcomplete ' +
    'losecapture move moveend movestart resizeend resizestart datasetchanged dataavailable datasetcomplete errorupdate ' +
    'controlselect cellchange mozfullscreenchange webkitfullscreenchange webkitmouseforcechanged webkitmouseforcedown ' +
    'webkitmouseforcewillbegin webkitmouseforceup webkitplaybacktargetavailabilitychanged webkitwillrevealbottom ' +
    'zoom svgload svgunload svgabort svgerror svgresize svgscroll svgzoom focusout beforexrselect'
  ).split(' '),
);

/** URL schemes that run script where a URL is navigated to or loaded. */
export const SCRIPT_SCHEMES: readonly string[] = ['javascript', 'vbscript', 'livescript', 'mocha'];

/**
 * Media types a `data:` URL runs script as, when loaded as a document (frames, objects,
 * navigations) or as a script.
 */
export const ACTIVE_DATA_TYPES: readonly string[] = [
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xml',
  'application/xml',
  'text/xsl',
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'text/ecmascript',
  'application/ecmascript',
  'text/vbscript',
  'text/jscript',
];

/** Elements that only display an image or media: an SVG `data:` URL there runs no script. */
export const IMAGE_ELEMENTS: ReadonlySet<string> = new Set(['img', 'image', 'picture', 'source', 'video', 'audio', 'input', 'track', 'feimage']);

/** Elements that load or embed active content (documents, plug-ins, base URLs, stylesheets). */
export const EMBEDDING_ELEMENTS: ReadonlySet<string> = new Set([
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'fencedframe',
  'base',
  'import',
  'layer',
  'ilayer',
  'bgsound',
  'isindex',
]);

/** Attributes through which an embedding element loads what it runs. */
export const LOADING_ATTRIBUTES: ReadonlySet<string> = new Set([
  'src',
  'srcdoc',
  'data',
  'code',
  'codebase',
  'classid',
  'archive',
  'href',
  'movie',
  'action',
  'formaction',
  'type',
  'object',
]);

/**
 * Embed addresses of video, map and audio players (a pattern source, lower case, without anchors):
 * what rich-text editors put in an iframe's `src` when a user embeds a YouTube video. The host is
 * fixed by the path that follows it.
 */
export const PLAYER_EMBED_ADDRESS = String.raw`https:\/\/(?:www\.)?(?:youtube(?:-nocookie)?\.com\/embed\/|player\.vimeo\.com\/video\/|google\.com\/maps\/embed|open\.spotify\.com\/embed\/|w\.soundcloud\.com\/player\/|player\.twitch\.tv\/|loom\.com\/embed\/|fast\.wistia\.net\/embed\/)`;

/**
 * Attributes holding plain text a page displays: a script URL there is text, not a link.
 * Every other attribute of an injected element is read as possibly a URL.
 */
export const TEXT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'title',
  'alt',
  'placeholder',
  'class',
  'id',
  'name',
  'value',
  'aria-label',
  'label',
  'lang',
  'dir',
]);

/** Elements whose content is raw text: their end tag is how an injection gets out of them. */
export const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'title',
  'textarea',
  'xmp',
  'noscript',
  'noembed',
  'noframes',
  'template',
  'plaintext',
  'comment',
]);

/** Element names of HTML, SVG and MathML that injected markup usually uses. */
export const HTML_ELEMENTS: ReadonlySet<string> = new Set(
  (
    'a abbr address area article aside audio b bdi bdo blink blockquote body br button canvas caption center cite code col ' +
    'colgroup data datalist dd del details dfn dialog div dl dt em fieldset figcaption figure font footer form h1 h2 h3 h4 ' +
    'h5 h6 head header hr html i img input ins kbd keygen label legend li link main map mark marquee menu meta meter nav ' +
    'ol optgroup option output p param picture pre progress q rp rt ruby s samp section select slot small source span ' +
    'strike strong sub summary sup table tbody td textarea tfoot th thead time title tr track tt u ul var video wbr svg ' +
    'math animate animatetransform animatemotion set foreignobject use image xss x style script iframe frame frameset ' +
    'object embed applet base marquee xml'
  ).split(' '),
);

/**
 * Names of DOM properties and methods page scripts read from `document`, forms and elements. An
 * injected element with such an `id` or `name` shadows them (DOM clobbering: `<img
 * name=getElementById>`, `<form><input name=attributes>`), bending the page's own code. Form field
 * names pages really use (`location`, `cookie`, `domain`, `title`) are left out.
 */
export const DOM_CLOBBERING_NAMES: ReadonlySet<string> = new Set(
  (
    'getelementbyid getelementsbyname getelementsbytagname getelementsbyclassname queryselector queryselectorall ' +
    'createelement createtextnode appendchild insertbefore removechild replacechild attributes childnodes children ' +
    'firstchild lastchild parentnode parentelement nextsibling previoussibling nodename nodetype nodevalue ' +
    'ownerdocument documentelement defaultview innerhtml outerhtml textcontent baseuri currentscript implementation ' +
    'getattribute setattribute hasattribute removeattribute tagname localname namespaceuri ' +
    'hasownproperty tostring valueof __proto__ constructor prototype addeventlistener dispatchevent'
  ).split(' '),
);

/** Attributes through which an element fetches a URL as soon as it is parsed. */
export const RESOURCE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'src',
  'href',
  'background',
  'poster',
  'data',
  'action',
  'formaction',
  'srcset',
  'lowsrc',
  'dynsrc',
  'content',
]);

/**
 * Elements that reshape the page an injection lands in (a document of its own, styles, metadata,
 * the base URL, forms, vector graphics, frames and plug-ins) rather than format its text: what a
 * rich-text editor writes (`<p>`, `<b>`, `<a href>`, `<img>`, lists, tables) is left out.
 */
/**
 * Of those, the ones that reshape the page even bare (`<style>`, `<plaintext>`); the others load or
 * submit nothing without an attribute (`<iframe> lazy loading` is a search), and a document's own
 * tags bare (`<html>`, `<head>`, `<body>`) are ignored where a page's body already began, which is
 * where a value lands: a post that mentions them (`put it before </head>, not at the end of <body>`)
 * is text.
 */
export const BARE_PAGE_STRUCTURE_ELEMENTS: ReadonlySet<string> = new Set('style frameset xmp plaintext'.split(' '));
export const PAGE_STRUCTURE_ELEMENTS: ReadonlySet<string> = new Set(
  (
    'html head body style meta base link svg math xml form frameset frame iframe object embed applet isindex bgsound ' +
    'layer ilayer portal fencedframe xmp plaintext'
  ).split(' '),
);
