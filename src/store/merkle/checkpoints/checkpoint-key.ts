import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import { createPrivateFolders } from '../../../private-folders'
import { keyIdOf } from './checkpoint'

/**
 * The checkpoint signing key: an Ed25519 key in a PEM file the operator keeps apart from the
 * ledger's database (a stolen database must not bring the key with it). Its public key is
 * published; auditors verify checkpoints with it alone.
 */
export interface CheckpointKey {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly keyId: string
}

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError'
}

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))

/** A new key written to `path` (0600, never over an existing file); returns it. */
export const createKeyFile = (path: string): CheckpointKey => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  try {
    createPrivateFolders(path)
    const fd = openSync(path, 'wx', 0o600)
    try {
      writeSync(fd, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
    } finally {
      closeSync(fd)
    }
  } catch (err) {
    throw new KeyFileError(code(err) === 'EEXIST' ? `${path} already exists: a signing key is never overwritten (choose another file)` : `cannot write ${path} (${code(err)})`)
  }
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) }
}

const readText = (path: string, what: string): string => {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new KeyFileError(`cannot read the ${what} ${path} (${code(err)})`)
  }
}

export const readKeyFile = (path: string): CheckpointKey => {
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(readText(path, 'signing key'))
  } catch (err) {
    if (err instanceof KeyFileError) throw err
    throw new KeyFileError(`${path}: not a PEM private key (${err instanceof Error ? err.message : String(err)})`)
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path}: expected an Ed25519 key, found ${privateKey.asymmetricKeyType}`)
  const publicKey = createPublicKey(privateKey)
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) }
}

export const publicKeyPem = (k: CheckpointKey): string => k.publicKey.export({ type: 'spki', format: 'pem' }) as string
