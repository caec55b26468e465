import type { TokenConfig } from '../access/tokens'

/**
 * What `npm start` says about its tokens. Tokens it has just created are shown here, this once,
 * whatever the output is: the file keeps only their hashes, so no one could ever see them again.
 */
export const tokenLines = (tokens: TokenConfig, readableByOthers: boolean): string[] => {
  const lines: string[] = []
  if (tokens.created) {
    const fresh = tokens.entries.filter((e) => e.token !== undefined)
    const roleWidth = Math.max(...fresh.map((e) => e.role.length))
    const nameWidth = Math.max(...fresh.map((e) => e.name.length))
    lines.push(
      `  tokens: created one random token per role; ${tokens.source} keeps only their hashes (mode 0600).`,
      '          Copy them now: they are shown this once. Send one as "Authorization: Bearer <token>".',
      ...fresh.map((e) => `          ${e.role.padEnd(roleWidth)}  ${e.name.padEnd(nameWidth)}  ${e.token}`),
    )
  } else lines.push(`  tokens: ${tokens.entries.length} from ${tokens.source}`)
  const plain = tokens.plainText
  if (plain?.rewritten)
    lines.push(`          ${tokens.file} kept ${plain.count} token(s) in plain text: it now keeps only their hashes; the tokens still work`)
  else if (plain)
    lines.push(
      `  warning: ${tokens.file} keeps ${plain.count} token(s) in plain text and could not be rewritten (${plain.why});`,
      '           replace each "token" with "hash": "sha256:<the SHA-256 of the token in hex>"',
    )
  if (readableByOthers) lines.push(`  warning: ${tokens.file} is readable by other users; chmod 600 it`)
  return lines
}
