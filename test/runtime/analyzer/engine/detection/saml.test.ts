import { deflateRawSync } from 'node:zlib';
import { Detector } from '@/runtime/analyzer/engine/detection';
import { decodeSamlMessage } from '@/runtime/analyzer/engine/detection/placements/saml';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { buildExchange } from '@/test/fixtures/traffic';

const detector = new Detector({ level: 1 });
const limits = resolveLimits(undefined);

const SIGNATURE =
  '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:Reference URI="#_a1"/></ds:SignedInfo><ds:SignatureValue>AbC=</ds:SignatureValue></ds:Signature>';
const assertion = (id: string, nameId: string, signed = true): string =>
  `<saml:Assertion ID="${id}" Version="2.0"><saml:Issuer>https://idp.example.com</saml:Issuer>${signed ? SIGNATURE : ''}<saml:Subject><saml:NameID>${nameId}</saml:NameID></saml:Subject></saml:Assertion>`;
const response = (inner: string): string =>
  `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0"><saml:Issuer>https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${inner}</samlp:Response>`;

/** The rule ids a POST-binding SAMLResponse trips, and the values read from it. */
function postBinding(xml: string): { ids: number[]; values: string[] } {
  const body = `SAMLResponse=${encodeURIComponent(Buffer.from(xml).toString('base64'))}&RelayState=%2Fdashboard`;
  const result = detector.detect(
    viewRequest(
      buildExchange({ method: 'POST', target: '/saml/acs', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: body }),
      limits,
    ),
  );
  return { ids: [...new Set(result.hits.map((h) => h.rule.id))].sort(), values: result.hits.map((h) => `${h.parameter}=${h.value}`) };
}

describe('SAML messages', () => {
  it('decodes the POST binding (base64, spaces a form decoding made put back) and the Redirect binding (deflated)', () => {
    const xml = response(assertion('_a1', 'alice@example.com'));
    expect(decodeSamlMessage(Buffer.from(xml).toString('base64'))).toEqual({ xml, deflated: false });
    expect(decodeSamlMessage(Buffer.from(xml).toString('base64').replace(/\+/g, ' '))).toEqual({ xml, deflated: false });
    expect(decodeSamlMessage(deflateRawSync(Buffer.from(xml)).toString('base64'))).toEqual({ xml, deflated: true });
    expect(decodeSamlMessage('not base64 at all!')).toBeUndefined();
    expect(decodeSamlMessage(Buffer.from('plain text').toString('base64'))).toBeUndefined();
  });

  it('leaves a signed response, an encrypted one and a signed Redirect-binding message alone', () => {
    expect(postBinding(response(assertion('_a1', 'alice@example.com'))).ids).toEqual([]);
    expect(postBinding(response(`${SIGNATURE}<saml:EncryptedAssertion><xenc:EncryptedData>QUJD</xenc:EncryptedData></saml:EncryptedAssertion>`)).ids).toEqual(
      [],
    );
    const deflated = encodeURIComponent(deflateRawSync(Buffer.from(response(assertion('_a1', 'alice@example.com', false)))).toString('base64'));
    const redirect = detector.detect(
      viewRequest(buildExchange({ method: 'GET', target: `/saml/acs?SAMLResponse=${deflated}&SigAlg=rsa-sha256&Signature=QUJD` }), limits),
    );
    expect(redirect.hits).toEqual([]);
  });

  it('finds signature wrapping: a second assertion, or the signed one hidden in an Object or the Extensions', () => {
    expect(postBinding(response(assertion('_evil', 'admin@example.com', false) + assertion('_a1', 'alice@example.com'))).ids).toContain(980105);
    expect(
      postBinding(response(`<samlp:Extensions>${assertion('_a1', 'alice@example.com')}</samlp:Extensions>${assertion('_evil', 'admin', false)}`)).ids,
    ).toContain(980105);
  });

  it('finds a comment or CDATA inside a NameID, an unsigned response and an XSLT transform', () => {
    expect(postBinding(response(assertion('_a1', 'admin@example.com<!---->.evil.com'))).ids).toContain(980106);
    expect(postBinding(response(assertion('_a1', 'admin<![CDATA[@example.com]]>'))).ids).toContain(980106);
    expect(postBinding(response(assertion('_a1', 'admin@example.com', false))).ids).toContain(980107);
    const xslt = SIGNATURE.replace(
      '<ds:Reference URI="#_a1"/>',
      '<ds:Reference URI="#_a1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/></ds:Transforms></ds:Reference>',
    );
    expect(postBinding(response(assertion('_a1', 'alice').replace(SIGNATURE, xslt))).ids).toContain(980108);
  });

  it("reads the document for XXE and its values for injections, as an XML body's", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${response(assertion('_a1', '&x;'))}`;
    expect(postBinding(xxe).ids.some((id) => id >= 600101 && id <= 600199)).toBe(true);
    const sql = postBinding(response(assertion('_a1', "admin' OR '1'='1' -- ")));
    expect(sql.ids.some((id) => id >= 100101 && id <= 100199)).toBe(true);
    expect(sql.values.some((v) => v.startsWith('SAMLResponse.'))).toBe(true);
  });
});
