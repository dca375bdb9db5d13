/**
 * Docker Content Trust key files (encodeNotaryKeyFile, notaryKeyFileHeaders): read back by privateKeyFromPem
 * and by openssl, decrypted independently here with PBKDF2-HMAC-SHA1 as notary's ParsePKCS8ToTufKey does, and
 * compared with the DER and PEM layout notary's pkcs8.go and Go's pem.Encode write, assembled by hand.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createPublicKey, generateKeyPairSync, pbkdf2Sync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { ed25519SeedToPkcs8, notaryKeyFileHeaders, privateKeyFromPem, privateKeyFromPkcs8 } from '../../src/keys/format/index.ts';
import { encodeNotaryKeyFile, NOTARY_KEY_ITERATIONS } from '../../src/keys/format/notary-key-file.ts';
import { rejectsWithCode, throwsWithCode } from '../kit/index.ts';

const PASS = 'correct horse';
const HEADERS = { role: 'targets', gun: 'localhost:5000/demo/hello' };
const pkcs8Of = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'der' });
const KEYS: [string, KeyObject][] = [
  ['ecdsa P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
  ['ed25519', generateKeyPairSync('ed25519').privateKey],
];
const bodyOf = (pem: string) => Buffer.from(pem.split('\n\n')[1]!.split('-----END')[0]!.replace(/\n/g, ''), 'base64');

/** The fields of the EncryptedPrivateKeyInfo, found by walking the DER with asn1js (not the code under test). */
function fields(der: Buffer) {
  const { result, offset } = asn1js.fromBER(der);
  assert.equal(offset, der.length);
  const seq = (b: asn1js.AsnType) => (b as asn1js.Sequence).valueBlock.value;
  const [alg, data] = seq(result);
  const [pbes2Oid, pbes2Params] = seq(alg!);
  const [kdf, enc] = seq(pbes2Params!);
  const [kdfOid, kdfParams] = seq(kdf!);
  const [encOid, iv] = seq(enc!);
  const kdfFields = seq(kdfParams!);
  const oid = (b: asn1js.AsnType | undefined) => (b as asn1js.ObjectIdentifier).valueBlock.toString();
  const octets = (b: asn1js.AsnType | undefined) => Buffer.from((b as asn1js.OctetString).valueBlock.valueHexView);
  return {
    oids: [oid(pbes2Oid), oid(kdfOid), oid(encOid)],
    kdfFieldCount: kdfFields.length,
    salt: octets(kdfFields[0]),
    iterations: (kdfFields[1] as asn1js.Integer).valueBlock.valueDec,
    iv: octets(iv),
    ciphertext: octets(data),
  };
}

describe('encodeNotaryKeyFile: reading it back', () => {
  for (const [name, key] of KEYS) {
    it(`${name}: privateKeyFromPem opens it with the passphrase and refuses a wrong one`, async () => {
      const pem = encodeNotaryKeyFile(pkcs8Of(key), PASS, HEADERS);
      assert.deepEqual(await privateKeyFromPem(pem, PASS), privateKeyFromPkcs8(pkcs8Of(key)));
      await rejectsWithCode(privateKeyFromPem(pem, 'wrong horse'), 'PASSPHRASE_WRONG');
      await rejectsWithCode(privateKeyFromPem(pem, undefined), 'PASSPHRASE_REQUIRED');
    });

    it(`${name}: decrypts with PBKDF2-HMAC-SHA1 (notary's reader), not with SHA-256`, () => {
      const pkcs8 = pkcs8Of(key);
      const f = fields(bodyOf(encodeNotaryKeyFile(pkcs8, PASS, HEADERS)));
      const decrypt = (digest: string) => {
        const d = createDecipheriv('aes-256-cbc', pbkdf2Sync(PASS, f.salt, f.iterations, 32, digest), f.iv);
        return Buffer.concat([d.update(f.ciphertext), d.final()]);
      };
      assert.deepEqual(decrypt('sha1'), pkcs8);
      assert.equal(f.ciphertext.length, (Math.floor(pkcs8.length / 16) + 1) * 16, 'PKCS#7 padding');
      let sha256: Buffer | undefined;
      try {
        sha256 = decrypt('sha256');
      } catch {
        /* bad decrypt: the usual outcome */
      }
      assert.ok(sha256 === undefined || !sha256.equals(pkcs8));
    });
  }

  it("takes a UTF-8 passphrase, as Go's []byte(passphrase)", async () => {
    const [, key] = KEYS[1]!;
    const pem = encodeNotaryKeyFile(pkcs8Of(key), 'pä$$ wörd ✓', { role: 'root' });
    assert.deepEqual(await privateKeyFromPem(pem, 'pä$$ wörd ✓'), privateKeyFromPkcs8(pkcs8Of(key)));
  });
});

describe('encodeNotaryKeyFile: the bytes notary writes', () => {
  const SALT = Buffer.from('0102030405060708', 'hex');
  const IV = Buffer.from('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', 'hex');
  const PKCS8 = ed25519SeedToPkcs8(new Uint8Array(32).fill(7)); // 48 bytes: 64 bytes of ciphertext

  it('is PBES2(PBKDF2 salt+iterations only, AES-256-CBC iv) over the ciphertext, byte for byte', () => {
    const pem = encodeNotaryKeyFile(PKCS8, PASS, HEADERS, { salt: SALT, iv: IV });
    const cipher = createCipheriv('aes-256-cbc', pbkdf2Sync(PASS, SALT, 10000, 32, 'sha1'), IV);
    const c = Buffer.concat([cipher.update(PKCS8), cipher.final()]);
    assert.equal(c.length, 64);
    const der = Buffer.from(
      '30818d' +
        '3049' +
        '06092a864886f70d01050d' +
        '303c' +
        '301b' +
        '06092a864886f70d01050c' +
        '300e' +
        '0408' +
        SALT.toString('hex') +
        '02022710' +
        '301d' +
        '060960864801650304012a' +
        '0410' +
        IV.toString('hex') +
        '0440' +
        c.toString('hex'),
      'hex',
    );
    const lines = der.toString('base64').match(/.{1,64}/g)!;
    const want = `-----BEGIN ENCRYPTED PRIVATE KEY-----\ngun: ${HEADERS.gun}\nrole: targets\n\n${lines.join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
    assert.equal(pem, want);
    assert.equal(encodeNotaryKeyFile(PKCS8, PASS, HEADERS, { salt: SALT, iv: IV }), pem, 'deterministic for a fixed salt and iv');
  });

  it('draws a fresh 8-byte salt and 16-byte iv, and uses NOTARY_KEY_ITERATIONS unless told', () => {
    const a = fields(bodyOf(encodeNotaryKeyFile(PKCS8, PASS, HEADERS)));
    const b = fields(bodyOf(encodeNotaryKeyFile(PKCS8, PASS, HEADERS)));
    assert.deepEqual(a.oids, ['1.2.840.113549.1.5.13', '1.2.840.113549.1.5.12', '2.16.840.1.101.3.4.1.42']);
    assert.equal(a.kdfFieldCount, 2, 'no keyLength, no prf');
    assert.equal(a.salt.length, 8);
    assert.equal(a.iv.length, 16);
    assert.notDeepEqual(a.salt, b.salt);
    assert.notDeepEqual(a.iv, b.iv);
    assert.equal(NOTARY_KEY_ITERATIONS, 10000);
    assert.equal(a.iterations, NOTARY_KEY_ITERATIONS);
    assert.equal(fields(bodyOf(encodeNotaryKeyFile(PKCS8, PASS, HEADERS, { iterations: 2048 }))).iterations, 2048);
  });

  it('writes the headers sorted, gun only when given, then a blank line and 64-column base64', () => {
    const [, key] = KEYS[0]!;
    const pem = encodeNotaryKeyFile(pkcs8Of(key), PASS, { role: 'root', gun: 'docker.io/library/x' });
    const lines = pem.split('\n');
    assert.deepEqual(lines.slice(0, 4), ['-----BEGIN ENCRYPTED PRIVATE KEY-----', 'gun: docker.io/library/x', 'role: root', '']);
    assert.deepEqual(lines.slice(-2), ['-----END ENCRYPTED PRIVATE KEY-----', '']);
    const b64 = lines.slice(4, -2);
    for (const line of b64.slice(0, -1)) assert.equal(line.length, 64);
    assert.ok(b64.at(-1)!.length > 0 && b64.at(-1)!.length <= 64);
    for (const gun of [undefined, '']) {
      const only = encodeNotaryKeyFile(pkcs8Of(key), PASS, { role: 'root', ...(gun !== undefined && { gun }) });
      assert.ok(only.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\nrole: root\n\n'));
    }
  });
});

describe('notaryKeyFileHeaders', () => {
  const [, key] = KEYS[0]!;

  it('reads back role and gun (a gun with a port keeps its colon)', () => {
    assert.deepEqual(notaryKeyFileHeaders(encodeNotaryKeyFile(pkcs8Of(key), PASS, HEADERS)), HEADERS);
    assert.deepEqual(notaryKeyFileHeaders(encodeNotaryKeyFile(pkcs8Of(key), PASS, { role: 'targets/releases' })), { role: 'targets/releases' });
  });

  it('reads headers in any order and leaves out absent or empty ones', () => {
    const body = encodeNotaryKeyFile(pkcs8Of(key), PASS, { role: 'root' }).split('\n\n')[1]!;
    const file = (headers: string) => `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${headers}\n${body}`;
    assert.deepEqual(notaryKeyFileHeaders(file('role: root\ngun: reg.example/app\n')), { role: 'root', gun: 'reg.example/app' });
    assert.deepEqual(notaryKeyFileHeaders(file('role: root\ngun: \n')), { role: 'root' });
    assert.deepEqual(notaryKeyFileHeaders(key.export({ type: 'pkcs8', format: 'pem' }).toString()), {});
  });

  it('refuses what is not one PEM block', () => {
    throwsWithCode(() => notaryKeyFileHeaders('role: root\n'), 'KEY_INVALID');
  });
});

describe('encodeNotaryKeyFile: with openssl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trustext-notary-key-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  // OpenSSL refuses PEM headers other than Proc-Type/DEK-Info ("not proc type"), so it gets the bare block.
  const bare = (pem: string) => pem.replace(/^(-----BEGIN [A-Z ]+-----\n)[\s\S]*?\n\n/, '$1');

  for (const [name, key] of KEYS) {
    it(`${name}: openssl decrypts it to the same key, and refuses a wrong passphrase`, () => {
      const file = write(`${name}.key`, bare(encodeNotaryKeyFile(pkcs8Of(key), PASS, HEADERS)));
      const spki = execFileSync('openssl', ['pkey', '-in', file, '-passin', `pass:${PASS}`, '-pubout', '-outform', 'DER']);
      assert.deepEqual(spki, createPublicKey(key).export({ type: 'spki', format: 'der' }));
      assert.throws(() => execFileSync('openssl', ['pkey', '-in', file, '-passin', 'pass:wrong', '-noout'], { stdio: 'pipe' }));
    });
  }

  it('has the layout openssl writes for PBES2 with hmacWithSHA1: no hmacWithSHA256, no prf, no key length', () => {
    const [, key] = KEYS[0]!;
    const ours = execFileSync('openssl', ['asn1parse', '-in', write('ours.pem', bare(encodeNotaryKeyFile(pkcs8Of(key), PASS, HEADERS)))], { encoding: 'utf8' });
    assert.match(ours, /:PBES2/);
    assert.match(ours, /:PBKDF2/);
    assert.match(ours, /:aes-256-cbc/);
    assert.match(ours, /INTEGER +:2710/);
    assert.doesNotMatch(ours, /hmacWith/);
    const plain = write('plain.pem', key.export({ type: 'pkcs8', format: 'pem' }).toString());
    const theirs = execFileSync(
      'openssl',
      ['pkcs8', '-topk8', '-in', plain, '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA1', '-iter', '10000', '-passout', `pass:${PASS}`],
      { encoding: 'utf8' },
    );
    const asn1 = execFileSync('openssl', ['asn1parse', '-in', write('theirs.pem', theirs)], { encoding: 'utf8' });
    // Depth, form and type of every element, values of OIDs and integers; lengths and octets differ by nature.
    const shape = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => l.replace(/^ *\d+:(d=\d+) +hl=\d+ l= *\d+ (\w+): ([A-Z ]+?) *(:[^[]*)?(\[HEX DUMP\].*)?$/, '$1 $2 $3 $4').trim());
    assert.deepEqual(shape(ours), shape(asn1));
  });
});

describe('encodeNotaryKeyFile: refusals', () => {
  const [, key] = KEYS[0]!;
  const pkcs8 = pkcs8Of(key);

  it('needs a passphrase', () => {
    throwsWithCode(() => encodeNotaryKeyFile(pkcs8, '', HEADERS), 'PASSPHRASE_REQUIRED');
  });

  it('needs a role, and header values that read back unchanged', () => {
    throwsWithCode(() => encodeNotaryKeyFile(pkcs8, PASS, { role: '' }), 'KEY_INVALID', /role/);
    for (const bad of ['root\ngun: x', 'root\r', ' root', 'root ', 'a\tb']) {
      throwsWithCode(() => encodeNotaryKeyFile(pkcs8, PASS, { role: bad }), 'KEY_INVALID', /role header/);
      throwsWithCode(() => encodeNotaryKeyFile(pkcs8, PASS, { role: 'root', gun: bad }), 'KEY_INVALID', /gun header/);
    }
  });

  it('needs an unencrypted PKCS#8 key and sane salt, iv and iterations', () => {
    throwsWithCode(() => encodeNotaryKeyFile(Buffer.from('not a key'), PASS, HEADERS), 'KEY_INVALID', /PKCS#8/);
    throwsWithCode(() => encodeNotaryKeyFile(key.export({ type: 'sec1', format: 'der' }), PASS, HEADERS), 'KEY_INVALID', /PKCS#8/);
    throwsWithCode(() => encodeNotaryKeyFile(pkcs8, PASS, HEADERS, { salt: new Uint8Array(7) }), 'KEY_INVALID', /salt/);
    throwsWithCode(() => encodeNotaryKeyFile(pkcs8, PASS, HEADERS, { iv: new Uint8Array(8) }), 'KEY_INVALID', /IV/);
    for (const iterations of [0, -1, 1.5, Number.NaN]) {
      throwsWithCode(() => encodeNotaryKeyFile(pkcs8, PASS, HEADERS, { iterations }), 'KEY_INVALID', /iterations/);
    }
  });
});
