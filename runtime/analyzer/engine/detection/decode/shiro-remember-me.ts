/**
 * Apache Shiro's `rememberMe` cookie: base64 of a 16-byte IV and the AES encryption of a Java
 * serialization stream (CBC before Shiro 1.4.2, GCM with a 16-byte tag after). Shiro shipped one
 * key for every installation, published with CVE-2016-4437 (Shiro-550); whoever knows it can make
 * the server deserialize any object. A cookie that decrypts under that key is read as the stream
 * the server will deserialize.
 */
import { createDecipheriv, type Decipher } from 'node:crypto';
import { percentDecode } from './percent';

/** The key Shiro 1.2.4 and earlier use unless configured otherwise. */
const SHIRO_DEFAULT_KEY = Buffer.from('kPH+bIxk5D2deZiIxcaaaA==', 'base64');
const IV_BYTES = 16;
const BLOCK_BYTES = 16;
const GCM_TAG_BYTES = 16;
/** Base64 characters of a cookie decrypted: a principal collection is a few hundred bytes, gadget chains a few kilobytes. */
const MAX_COOKIE_CHARS = 16 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The decipher's output, or undefined when its padding or tag shows another key. */
function plaintext(decipher: Decipher, data: Buffer): Buffer | undefined {
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** The plaintext of a `rememberMe` value encrypted under Shiro's default key, or undefined. */
export function shiroRememberMeText(value: string): Buffer | undefined {
  const raw = value.indexOf('%') >= 0 ? percentDecode(value) : value;
  if (raw.length < 64 || raw.length > MAX_COOKIE_CHARS || !BASE64.test(raw)) return undefined;
  const bytes = Buffer.from(raw, 'base64');
  const iv = bytes.subarray(0, IV_BYTES);
  const body = bytes.subarray(IV_BYTES);
  if (body.length >= BLOCK_BYTES && body.length % BLOCK_BYTES === 0) {
    const plain = plaintext(createDecipheriv('aes-128-cbc', SHIRO_DEFAULT_KEY, iv), body);
    if (plain !== undefined) return plain;
  }
  if (body.length <= GCM_TAG_BYTES) return undefined;
  const gcm = createDecipheriv('aes-128-gcm', SHIRO_DEFAULT_KEY, iv);
  gcm.setAuthTag(body.subarray(body.length - GCM_TAG_BYTES));
  return plaintext(gcm, body.subarray(0, body.length - GCM_TAG_BYTES));
}
