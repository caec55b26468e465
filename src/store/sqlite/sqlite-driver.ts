import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'

let addon: string | null | undefined

/**
 * The path of better-sqlite3's compiled addon where its install (prebuilt or compiled) puts it,
 * build/Release, or undefined if it is not there: then the driver searches for it itself, which
 * works from the sources (tsx, vitest) but not from a bundle, where it fails naming the paths it
 * tried. Given to the driver, the path spares every process the search of the `bindings` package
 * (a stack trace, then a dozen paths tried), and lets the bundles carry the driver's JavaScript
 * instead of finding and reading its ten files from node_modules: together up to a tenth of a cold
 * command (docs/speed.md, "Cold CLI margin"). Resolved from node_modules at run time, so the addon
 * is the one installed beside the bundle.
 */
const nativeBinding = (): string | undefined => {
  if (addon === undefined) {
    const file = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
    addon = existsSync(file) ? file : null
  }
  return addon ?? undefined
}

/** A SQLite connection: every connection of the ledger is opened here, with the addon found once. */
export const openDatabase = (path: string, options: Database.Options = {}): Database.Database => {
  const binding = nativeBinding()
  return new Database(path, binding === undefined ? options : { ...options, nativeBinding: binding })
}
