import type { Command } from 'commander'
import { registerFinance } from './finance'
import { registerMigrate } from './migrate'
import type { CliIo } from './io'

/**
 * Command groups beyond the core (finance commands, migrate, audit, …). Each module registers its
 * subcommands on the program; main.ts and the tests run the same list.
 */
export const extensions: ReadonlyArray<(cli: Command, io: CliIo) => void> = [registerFinance, registerMigrate]
