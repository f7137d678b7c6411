import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A key pair standing in for the application's: the private half signs as Discord would, the public half is DISCORD_PUBLIC_KEY. */
export interface SigningKeys {
  readonly privateKey: KeyObject;
  /** The raw 32-byte Ed25519 public key in hex, as the developer portal shows it. */
  readonly publicKeyHex: string;
}

export function signingKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKeyHex: der.subarray(der.length - 32).toString('hex') };
}

/** The headers of an interaction request Discord signed: Ed25519 over the timestamp and the raw body. */
export function signatureHeaders(body: string, key: KeyObject, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Signature-Ed25519': sign(null, Buffer.from(timestamp + body), key).toString('hex'),
    'X-Signature-Timestamp': timestamp,
  };
}
