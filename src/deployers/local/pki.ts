// The cluster's PKI, generated in-process: one CA, a serving cert for 127.0.0.1/localhost (and the
// in-cluster service names), client certs per component, and the service-account signing key (clientsOnly: the
// CA and client certs, as for the front proxy's own CA).
// ECDSA P-256 keys (fast to make; accepted by every component). Private keys are written mode 0600.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from '../../util/atomic.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface ClientIdentity {
  /** File name stem, e.g. "admin". */
  file: string;
  cn: string;
  org?: string;
}

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  saKey: string;
  saPub: string;
  client(file: string): { cert: string; key: string };
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

async function pemKey(k: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', k as unknown as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function pemPub(k: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('spki', k as unknown as webcrypto.CryptoKey));
  return `-----BEGIN PUBLIC KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PUBLIC KEY-----\n`;
}

function dn(cn: string, org?: string): string {
  return org ? `CN=${cn}, O=${org}` : `CN=${cn}`;
}

export async function generatePki(
  dir: string,
  clients: ClientIdentity[],
  opts: { clusterName: string; serviceIp: string; clientsOnly?: boolean },
): Promise<Pki> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const caKeys = await keyPair();
  const caName = `kubetest-ca-${opts.clusterName}`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: dn(caName),
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const write = (name: string, data: string, secret = false) =>
    writeFileAtomic(join(dir, name), data, secret ? 0o600 : 0o644);
  write('ca.crt', ca.toString('pem') + '\n');
  write('ca.key', await pemKey(caKeys.privateKey), true);

  const issue = async (
    file: string,
    subject: string,
    usage: x509.ExtendedKeyUsage[],
    sans?: x509.JsonGeneralName[],
  ) => {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
      subject,
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      notBefore,
      notAfter,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension(usage),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        ...(sans ? [new x509.SubjectAlternativeNameExtension(sans)] : []),
      ],
    });
    write(`${file}.crt`, cert.toString('pem') + '\n');
    write(`${file}.key`, await pemKey(keys.privateKey), true);
  };

  if (!opts.clientsOnly)
    await issue(
      'serving',
      dn('kube-apiserver'),
      [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
      [
        { type: 'dns', value: 'localhost' },
        { type: 'dns', value: 'kubernetes' },
        { type: 'dns', value: 'kubernetes.default' },
        { type: 'dns', value: 'kubernetes.default.svc' },
        { type: 'dns', value: 'kubernetes.default.svc.cluster.local' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: opts.serviceIp },
      ],
    );
  for (const c of clients) await issue(c.file, dn(c.cn, c.org), [x509.ExtendedKeyUsage.clientAuth]);

  if (!opts.clientsOnly) {
    const sa = await keyPair();
    write('sa.key', await pemKey(sa.privateKey), true);
    write('sa.pub', await pemPub(sa.publicKey));
  }

  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'serving.crt'),
    servingKey: join(dir, 'serving.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    client: (file) => ({ cert: join(dir, `${file}.crt`), key: join(dir, `${file}.key`) }),
  };
}
