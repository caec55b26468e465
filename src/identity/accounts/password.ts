import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Passwords kept only as scrypt hashes with a per-person salt. The cost parameters are written into
 * each hash, so raising them later leaves the older hashes checkable. N=2^15, r=8 takes 32 MiB and
 * tens of milliseconds per guess: cheap for one sign-in, dear for a list of guesses.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_BYTES = 32
const SALT_BYTES = 16
const MAX_MEMORY = 256 * 1024 * 1024

const PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/

const derive = (password: string, salt: Buffer, cost: { N: number; r: number; p: number }, bytes: number): Promise<Buffer> =>
  new Promise((done, fail) =>
    scrypt(password.normalize('NFC'), salt, bytes, { ...cost, maxmem: MAX_MEMORY }, (err, key) => (err ? fail(err) : done(key))),
  )

/** A password made for a person (added, or reset): 18 random bytes, 24 characters, shown to them once. */
export const newPassword = (): string => randomBytes(18).toString('base64url')

/** The least a person may choose for themselves. */
export const MIN_PASSWORD_LENGTH = 12

/** "scrypt$N$r$p$salt$key", salt and key in base64url. */
export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, COST, KEY_BYTES)
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

export const isPasswordHash = (s: string): boolean => PATTERN.test(s)

/** True when `password` is the one hashed; compared in constant time. */
export const verifyPassword = async (password: string, hash: string): Promise<boolean> => {
  const m = PATTERN.exec(hash)
  if (!m) return false
  const expected = Buffer.from(m[5]!, 'base64url')
  const key = await derive(password, Buffer.from(m[4]!, 'base64url'), { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }, expected.length)
  return timingSafeEqual(key, expected)
}

/** A hash no password matches, checked when the name is unknown so timing does not tell which names exist. */
export const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
