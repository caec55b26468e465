// Preloaded by scripts/bench-cold-cli.ts: the process's peak resident memory from the OS, on exit.
process.on('exit', () => process.stderr.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`))
