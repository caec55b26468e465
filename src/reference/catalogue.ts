import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Catalogue, parseCatalogue } from '../domain/budget-file/catalogue'
import { packageRoot } from '../package-root'

/**
 * Loads a classification catalogue from a folder holding function-codes.csv, economic-codes.csv and
 * economic-mapping-dept-to-gov.csv. Without a folder: the catalogue bundled in src/reference.
 */
export const loadCatalogue = (dir: string = join(packageRoot(), 'src', 'reference')): Catalogue =>
  parseCatalogue({
    functions: readFileSync(join(dir, 'function-codes.csv'), 'utf8'),
    economic: readFileSync(join(dir, 'economic-codes.csv'), 'utf8'),
    mapping: readFileSync(join(dir, 'economic-mapping-dept-to-gov.csv'), 'utf8'),
  })

let bundled: Catalogue | undefined
export const bundledCatalogue = (): Catalogue => (bundled ??= loadCatalogue())
