/** A script's `--name value` argument, else `fallback`; without either, an error naming it. */
export const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  if (i >= 0) return process.argv[i + 1]!
  if (fallback === undefined) throw new Error(`--${name} is required`)
  return fallback
}
