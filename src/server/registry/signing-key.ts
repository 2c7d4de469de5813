// @peculiar/x509 (through tsyringe) needs the Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  webcrypto,
} from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

/**
 * Rise's registry token-signing key (EC P-256, ES256). The private key stays in
 * `<dataDir>/registry/signing-key.pem` (0600); its self-signed certificate goes to
 * `<dataDir>/registry-certs/rise-registry.crt`, the registry's `auth.token.rootcertbundle`.
 */
export type RegistrySigningKey = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** libtrust key id, the JWT header `kid` distribution 2.8 matches against the bundle. */
  kid: string;
  /** Certificate as standard base64 DER, for a JWT `x5c` header. */
  certificateDer: string;
  certificatePem: string;
  certificatePath: string;
  alg: 'ES256';
};

export const signingKeyPaths = (dataDir: string) => ({
  key: path.join(dataDir, 'registry', 'signing-key.pem'),
  certificate: path.join(dataDir, 'registry-certs', 'rise-registry.crt'),
});

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The libtrust key id: base32 (no padding) of the first 30 bytes of SHA-256 over the public key's DER
 * SubjectPublicKeyInfo, in 12 groups of 4 joined by ':'.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const encoded = base32(createHash('sha256').update(spki).digest().subarray(0, 30));
  return encoded.match(/.{4}/g)!.join(':');
}

async function writeOnce(file: string, contents: string, mode: number): Promise<boolean> {
  // Write to a temp name, then link: exactly one of several starting processes creates the file.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, contents, { mode });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject): Promise<string> {
  const crypto = webcrypto as unknown as Crypto;
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = {
    privateKey: await crypto.subtle.importKey(
      'pkcs8',
      privateKey.export({ type: 'pkcs8', format: 'der' }),
      algorithm,
      false,
      ['sign'],
    ),
    publicKey: await crypto.subtle.importKey(
      'spki',
      publicKey.export({ type: 'spki', format: 'der' }),
      algorithm,
      true,
      ['verify'],
    ),
  };
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Date.now().toString(16).padStart(16, '0'),
      name: 'CN=Rise registry token signer',
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 20 * 365 * 86_400_000),
      signingAlgorithm: algorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    crypto,
  );
  return certificate.toString('pem');
}

function certificateMatches(pem: string, publicKey: KeyObject): boolean {
  try {
    const certificate = new x509.X509Certificate(pem);
    const certKey = createPublicKey({
      key: Buffer.from(certificate.publicKey.rawData),
      format: 'der',
      type: 'spki',
    });
    return certKey.equals(publicKey) && certificate.notAfter.getTime() > Date.now();
  } catch {
    return false;
  }
}

const loaded = new Map<string, Promise<RegistrySigningKey>>();

/** Loads the signing key and certificate from `dataDir`, creating them the first time. */
export function ensureRegistrySigningKey(dataDir: string): Promise<RegistrySigningKey> {
  const resolved = path.resolve(dataDir);
  let promise = loaded.get(resolved);
  if (!promise) {
    promise = load(resolved);
    promise.catch(() => loaded.delete(resolved));
    loaded.set(resolved, promise);
  }
  return promise;
}

async function load(dataDir: string): Promise<RegistrySigningKey> {
  const paths = signingKeyPaths(dataDir);
  // The data dir itself keeps default permissions: the registry must reach registry-certs/.
  await mkdir(dataDir, { recursive: true });
  await mkdir(path.dirname(paths.key), { recursive: true, mode: 0o700 });
  await mkdir(path.dirname(paths.certificate), { recursive: true, mode: 0o755 });
  const generated = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const created = await writeOnce(
    paths.key,
    generated.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    0o600,
  );
  const privateKey = created
    ? generated.privateKey
    : createPrivateKey(await readFile(/*turbopackIgnore: true*/ paths.key, 'utf8'));
  await chmod(paths.key, 0o600);
  const publicKey = createPublicKey(privateKey);

  let certificatePem = await readFile(/*turbopackIgnore: true*/ paths.certificate, 'utf8').catch(() => '');
  if (!certificateMatches(certificatePem, publicKey)) {
    certificatePem = await selfSignedCertificate(privateKey, publicKey);
    const temp = `${paths.certificate}.${process.pid}.tmp`;
    await writeFile(temp, certificatePem, { mode: 0o644 });
    await rename(temp, paths.certificate);
  }
  await chmod(paths.certificate, 0o644);
  const certificateDer = Buffer.from(new x509.X509Certificate(certificatePem).rawData).toString('base64');
  return {
    privateKey,
    publicKey,
    kid: libtrustKeyId(publicKey),
    certificateDer,
    certificatePem,
    certificatePath: paths.certificate,
    alg: 'ES256',
  };
}
