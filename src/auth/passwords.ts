import argon2 from 'argon2';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;
/** OWASP's argon2id baseline (19 MiB, t=2, p=1); tests lower the memory cost only. */
export const ARGON2_MEMORY_KIB = 19456;

export async function hashPassword(password: string, memoryCost = ARGON2_MEMORY_KIB): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Verifying against this when the user does not exist keeps timing from revealing usernames.
 * It is hashed with the same cost as real accounts, so both verifications take as long.
 */
const dummyHashes = new Map<number, Promise<string>>();
export function dummyPasswordHash(memoryCost = ARGON2_MEMORY_KIB): Promise<string> {
  let hash = dummyHashes.get(memoryCost);
  if (!hash) dummyHashes.set(memoryCost, (hash = hashPassword('not-a-real-password-ever', memoryCost)));
  return hash;
}

// The most common passwords from leaked lists (about 49,000, lower-case), as shipped by the
// maintained, MIT-licensed @zxcvbn-ts/language-common package. Loaded on first use.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const file = createRequire(import.meta.url).resolve('@zxcvbn-ts/language-common/src/passwords.json');
    common = new Set((JSON.parse(fs.readFileSync(file, 'utf8')) as string[]).map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * True when a password is one people commonly choose: on the list as it is, on the list once the
 * digits and symbols people tack on at either end are taken off ("dragon123456!"), or a short
 * pattern repeated ("abcabcabcabc", "aaaaaaaaaaaa").
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const core = lower.replace(/^[\d\W_]+/u, '').replace(/[\d\W_]+$/u, '');
  if (core.length >= 4 && core !== lower && list.has(core)) return true;
  return /^(.{1,4})\1+$/su.test(lower);
}

/** The rule for every new password (account forms, password resets): zod messages are i18n keys. */
export const newPasswordSchema = () =>
  z
    .string()
    .min(1, 'validation.required')
    .min(PASSWORD_MIN)
    .max(PASSWORD_MAX)
    .refine((p) => p.length < PASSWORD_MIN || !isCommonPassword(p), 'validation.password_common');
