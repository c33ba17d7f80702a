import argon2 from 'argon2';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

export async function hashPassword(password: string, memoryCost = 19456): Promise<string> {
  // OWASP's argon2id baseline (19 MiB, t=2, p=1); tests lower the memory cost only.
  return argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when the user does not exist keeps timing from revealing usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-ever');
  return dummyHash;
}
