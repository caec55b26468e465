import type { Command } from 'commander'
import { registerAudit } from './reads/audit'
import { registerBackup } from './admin/backup'
import { registerCheckpoints, registerProofs } from './proofs/checkpoints'
import { registerVerifyProof } from './proofs/verify-proof'
import { registerExport } from './reads/export'
import { registerFinance } from './recording/finance'
import { registerIndicators } from './recording/indicators'
import type { CliIo } from './shell/io'
import { registerMigrate } from './admin/migrate'
import { registerSnapshots } from './admin/snapshots'
import { registerVouchers } from './recording/vouchers'
import { registerUsers } from './admin/users'

/**
 * Command groups beyond the core (finance commands, migrate, audit, …). Each module registers its
 * subcommands on the program; main.ts and the tests run the same list.
 */
export const extensions: ReadonlyArray<(cli: Command, io: CliIo) => void> = [registerFinance, registerMigrate, registerIndicators, registerAudit, registerBackup, registerCheckpoints, registerProofs, registerVerifyProof, registerExport, registerVouchers, registerUsers, registerSnapshots]
