#!/usr/bin/env node
import { join } from 'node:path'
import { runWithCodeCache } from './code-cache'

/** `npx budget-ledger` (package.json bin, built to dist/budget-ledger.js): the CLI bundle, its compiled code cached. */
runWithCodeCache(join(__dirname, 'bundles', 'cli.js'), module)
