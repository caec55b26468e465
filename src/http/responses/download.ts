import type { Response } from 'express'
import { attachment } from '../../export/files'

/**
 * A file download: an attachment named in ASCII and in full (RFC 6266 / 8187), never cached by a
 * shared cache (it holds budget data), with the ledger revision it shows when it shows one.
 */
export const sendDownload = (
  res: Response,
  file: { readonly type: string; readonly bytes: Buffer | string; readonly ascii: string; readonly name: string; readonly revision?: number },
): void => {
  res.status(200)
  res.setHeader('Content-Type', file.type)
  res.setHeader('Content-Disposition', attachment(file.ascii, file.name))
  res.setHeader('Cache-Control', 'private, no-store')
  if (file.revision !== undefined) res.setHeader('X-Ledger-Revision', String(file.revision))
  res.send(file.bytes)
}
