import type { Command } from 'commander'
import { registerAudit } from './audit'
import { registerBackup } from './backup'
import { registerCheckpoints, registerProofs } from './checkpoints'
import { registerVerifyProof } from './verify-proof'
import { registerExport } from './export'
import { registerFinance } from './finance'
import { registerIndicators } from './indicators'
import type { CliIo } from './io'
import { registerMigrate } from './migrate'
import { registerSnapshots } from './snapshots'
import { registerVouchers } from './vouchers'
import { registerUsers } from './users'

/**
 * Command groups beyond the core (finance commands, migrate, audit, …). Each module registers its
 * subcommands on the program; main.ts and the tests run the same list.
 */
export const extensions: ReadonlyArray<(cli: Command, io: CliIo) => void> = [registerFinance, registerMigrate, registerIndicators, registerAudit, registerBackup, registerCheckpoints, registerProofs, registerVerifyProof, registerExport, registerVouchers, registerUsers, registerSnapshots]
