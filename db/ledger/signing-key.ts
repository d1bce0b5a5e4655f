// The Ed25519 key that signs ledger checkpoints. It lives in a file outside the database (named
// by LEDGER_SIGNING_KEY at the composition root), so that someone who can write the database
// cannot sign a rewritten history. PKCS#8 PEM, readable by its owner only.
import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

export interface LedgerSigner {
  /** sha256 of the public key's SPKI DER, hex. */
  keyId: string;
  /** The public key, SPKI DER in base64. */
  publicKey: string;
  sign(message: string): string;
}

/** Creates a new key file; refuses (EEXIST) to overwrite one. */
export function createSigningKeyFile(path: string): LedgerSigner {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  return signerOf(privateKey);
}

export function loadSigningKey(path: string): LedgerSigner {
  const key = createPrivateKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  return signerOf(key);
}

function signerOf(privateKey: KeyObject): LedgerSigner {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return {
    keyId: hash('sha256', der, 'hex'),
    publicKey: der.toString('base64'),
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
  };
}

/** Whether `signature` (base64) is the Ed25519 signature of `message` by the SPKI DER `publicKey` (base64). Never throws. */
export function signatureValid(publicKey: string, message: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(message), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The key id of a public key (base64 SPKI DER). */
export function keyIdOf(publicKey: string): string {
  return hash('sha256', Buffer.from(publicKey, 'base64'), 'hex');
}
