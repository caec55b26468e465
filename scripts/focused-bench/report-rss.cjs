// Preloaded (--require) by the cold benchmarks (scripts/focused-bench/bench-cold-cli.ts, bench-cold-ab.ts): on exit, the
// process's peak resident memory and its CPU time, from the OS, as one JSON line on stderr.
process.on('exit', () => {
  const u = process.resourceUsage()
  process.stderr.write(`${JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime })}\n`)
})
