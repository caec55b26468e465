/**
 * Preload (`node --require`) for a benchmarked server (scripts/focused-bench/bench-writes.ts, BENCH_HEAP): V8's
 * sampling heap profiler on the main thread, collected objects included, so that the profile is of
 * what was allocated (the garbage that makes the scavenges), not of what stayed alive. SIGUSR2
 * starts it; the next SIGUSR2 stops it and writes `heap-<pid>-<n>.heapprofile` into BENCH_HEAP_OUT.
 * Same-thread inspector sessions answer synchronously, so the file is written before the handler returns.
 */
const { Session } = require('node:inspector')
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')

const out = process.env.BENCH_HEAP_OUT
const session = new Session()
session.connect()
let sampling = false
let n = 0
process.on('SIGUSR2', () => {
  if (!sampling) {
    session.post('HeapProfiler.startSampling', {
      samplingInterval: Number(process.env.BENCH_HEAP_INTERVAL || 4096),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    sampling = true
    return
  }
  sampling = false
  session.post('HeapProfiler.stopSampling', (err, res) => {
    if (err) return void process.stderr.write(`heap-sample: ${err.message}\n`)
    writeFileSync(join(out, `heap-${process.pid}-${n++}.heapprofile`), JSON.stringify(res.profile))
  })
})
