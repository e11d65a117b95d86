/**
 * A self-signed TLS certificate made at run time with node:crypto (a fixture, not product code), for the
 * Salesforce double's https option: an ECDSA P-256 key and an X.509 v3 certificate for `127.0.0.1`,
 * `::1` and `localhost`, written out in DER by hand (Node can read certificates but not make them).
 * Clients trust it as their own root: `ca` in Node, `NODE_EXTRA_CA_CERTS` for a child process.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface SelfSignedCertificate {
  /** The certificate, PEM (`BEGIN CERTIFICATE`). */
  cert: string;
  /** Its private key, PEM (PKCS #8). */
  key: string;
}

/** DER: a tag, its length (short or long form), then the content. */
function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

const seq = (...c: Buffer[]) => der(0x30, ...c);
const set = (...c: Buffer[]) => der(0x31, ...c);
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const octets = (b: Buffer) => der(0x04, b);
const bits = (b: Buffer) => der(0x03, Buffer.from([0]), b);
const explicit = (n: number, c: Buffer) => der(0xa0 + n, c);

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const v of rest) {
    const groups = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) groups.unshift((x & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

function integer(b: Buffer): Buffer {
  const trimmed = b.subarray(b.findIndex((x, i) => x !== 0 || i === b.length - 1));
  return der(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** UTCTime `YYMMDDHHMMSSZ` (valid for the years 1950–2049). */
function utcTime(d: Date): Buffer {
  const iso = d.toISOString();
  return der(
    0x17,
    Buffer.from(
      `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`,
    ),
  );
}

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/**
 * A new key and a certificate signed by it, valid from an hour ago for `days` days, for `127.0.0.1`, `::1`
 * and `localhost` (subjectAltName), marked as a CA so that it is its own trust anchor.
 */
export function selfSignedCertificate(commonName = 'Salesforce double', days = 7): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
  const start = new Date(Date.now() - 3600_000);
  const end = new Date(start.getTime() + days * 86400_000);
  const altNames = seq(
    der(0x87, Buffer.from([127, 0, 0, 1])),
    der(0x87, Buffer.concat([Buffer.alloc(15), Buffer.from([1])])),
    der(0x82, Buffer.from('localhost')),
  );
  const extensions = seq(
    // basicConstraints (critical): cA TRUE.
    seq(oid('2.5.29.19'), der(0x01, Buffer.from([0xff])), octets(seq(der(0x01, Buffer.from([0xff]))))),
    // keyUsage (critical): digitalSignature, keyCertSign.
    seq(oid('2.5.29.15'), der(0x01, Buffer.from([0xff])), octets(der(0x03, Buffer.from([0x02, 0x84])))),
    // extKeyUsage: serverAuth.
    seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1')))),
    seq(oid('2.5.29.17'), octets(altNames)),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    ECDSA_WITH_SHA256,
    name,
    seq(utcTime(start), utcTime(end)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const certDer = seq(tbs, ECDSA_WITH_SHA256, bits(signature));
  const lines = certDer.toString('base64').match(/.{1,64}/g) ?? [];
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
