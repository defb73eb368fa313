import fc from 'fast-check';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { buildExchange } from '@/test/fixtures/traffic';

const limits = resolveLimits(undefined);

/** The parameters read from a one-part multipart body whose part headers are `disposition`. */
function fields(disposition: string, content = 'hello'): Array<[string, string]> {
  const view = viewRequest(
    buildExchange({
      method: 'POST',
      target: '/upload',
      requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']],
      requestBody: `--XX\r\n${disposition}\r\n\r\n${content}\r\n--XX--\r\n`,
    }),
    limits,
  );
  return view.bodyParams.map((p) => [p.name, p.value]);
}

describe('multipart part names, spelt as lenient parsers (PHP among them) accept them', () => {
  it.each([
    'Content-Disposition: form-data; name="q"',
    'Content-Disposition: form-data; name=q',
    "Content-Disposition: form-data; name='q'",
    'Content-Disposition: form-data;name="q"',
    'content-disposition: form-data; NAME = "q"',
    "Content-Disposition: form-data; name*=UTF-8''q",
  ])('reads the field of %s', (disposition) => {
    expect(fields(disposition)).toEqual([['q', 'hello']]);
  });

  it.each([
    ['Content-Disposition: form-data; name="f"; filename="shell.php"', 'shell.php'],
    ['Content-Disposition: form-data; name="f"; filename=shell.php', 'shell.php'],
    ['Content-Disposition: form-data; name="f"; filename=\'shell.php\'', 'shell.php'],
    ['Content-Disposition: form-data; name="f"; filename*=UTF-8\'\'sh%65ll.php', 'shell.php'],
    ['Content-Disposition: form-data; filename="shell.php"; name="f"', 'shell.php'],
  ])('reads %s as a file named %s, its contents as data', (disposition, name) => {
    expect(fields(disposition, '<?php echo 1; ?>')).toEqual([['f.filename', name]]);
  });

  it('skips a part without a name, as servers do', () => {
    expect(fields('Content-Disposition: form-data; filename="a.txt"')).toEqual([]);
  });

  it('reads any part head without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'name=file*"\'; \tUTF-8%41q'.split('')), maxLength: 200 }), (head) => {
        expect(() => fields(`Content-Disposition: form-data; ${head}`)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
