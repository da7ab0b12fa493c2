import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest shared by the services: AES-256-GCM under keys derived from SESSION_SECRET with HKDF-SHA256, one
 * key per purpose. A sealed payload is iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext; the additional data binds it to
 * its row, so that it cannot be moved to another one.
 */
export function derivedKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'signup', purpose, 32));
}

export function seal(key: Buffer, plain: string, additionalData: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additionalData);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

/** The plain text, or undefined when the payload was sealed under another key (rotation) or altered. */
export function unseal(key: Buffer, payload: Buffer, additionalData: Buffer): string | undefined {
  if (payload.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, 12));
    decipher.setAAD(additionalData);
    decipher.setAuthTag(payload.subarray(12, 28));
    return Buffer.concat([decipher.update(payload.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
