#!/usr/bin/env node
import { join } from 'node:path'
import { runWithCodeCache } from './code-cache'

/** `npm start` (built to dist/server.js): the server bundle, its compiled code cached. */
runWithCodeCache(join(__dirname, 'bundles', 'server.js'), module)
