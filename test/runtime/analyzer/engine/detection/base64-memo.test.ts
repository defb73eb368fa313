import { Base64Memo } from '../../../../../runtime/analyzer/engine/detection/placements';
import { unwrapBase64 } from '../../../../../runtime/analyzer/engine/detection/placements/base64-memo';

describe('Base64Memo', () => {
  const wrapped = Buffer.from("' or 1=1 -- and more text").toString('base64');
  const values = [
    wrapped,
    encodeURIComponent(wrapped),
    Buffer.from('<script>alert(1)</script>?').toString('base64url'),
    'session-token-without-any-base64-shape',
    'YWJj',
    Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).toString('base64'),
    'x'.repeat(1500),
    `${Buffer.from('a long text '.repeat(100)).toString('base64')}`,
  ];

  it('answers what unwrapping answers, the first time and when the value comes again', () => {
    const memo = new Base64Memo();
    for (let round = 0; round < 3; round++) for (const value of values) expect(memo.unwrap(value)).toBe(unwrapBase64(value));
    expect(memo.unwrap(wrapped)).toBe("' or 1=1 -- and more text");
    expect(memo.unwrap(encodeURIComponent(wrapped))).toBe("' or 1=1 -- and more text");
    expect(memo.unwrap('session-token-without-any-base64-shape')).toBeUndefined();
  });

  it('keeps answering right after it fills up and starts over', () => {
    const memo = new Base64Memo();
    for (let i = 0; i < 20_000; i++) memo.unwrap(Buffer.from(`value number ${i} with text`).toString('base64'));
    expect(memo.unwrap(wrapped)).toBe("' or 1=1 -- and more text");
    expect(memo.unwrap(Buffer.from('value number 3 with text').toString('base64'))).toBe('value number 3 with text');
  });
});
