import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Discord's signing key as node:crypto needs it, from the hex public key in the developer portal. */
export function discordPublicKey(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('DISCORD_PUBLIC_KEY must be 32 bytes (64 hex characters)');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Requests signed longer ago than this are refused, so a captured request cannot be replayed later. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

/** Why a request was refused, or null when its signature holds. */
export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'invalid' | null;

/**
 * Checks Discord's Ed25519 signature over `timestamp + rawBody`, and that the timestamp is recent.
 * `now` is in seconds.
 */
export function checkSignature(
  key: KeyObject,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  rawBody: Buffer,
  now = Date.now() / 1000,
): SignatureProblem {
  if (!signatureHex || !timestamp) return 'missing';
  if (!/^[0-9a-f]{128}$/i.test(signatureHex) || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  if (Math.abs(now - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) return 'stale';
  const ok = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), key, Buffer.from(signatureHex, 'hex'));
  return ok ? null : 'invalid';
}
