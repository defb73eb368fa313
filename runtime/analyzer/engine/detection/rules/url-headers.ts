/** Request headers that normally carry URLs: a URL in them is no attempt to make the server fetch it. */
export const URL_HEADERS: ReadonlySet<string> = new Set([
  'referer',
  'origin',
  'x-original-url',
  'x-rewrite-url',
  'location',
  'x-forwarded-host',
  'x-forwarded-server',
  // GWT's RPC client sends its page's module base URL with every call.
  'x-gwt-module-base',
]);
