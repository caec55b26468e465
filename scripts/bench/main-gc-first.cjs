// BENCH_GC (scripts/focused-bench/bench-writes.ts): one collection of the server's main thread before any of its code runs, so that
// the first --trace-gc-nvp line is the main thread's isolate. The lines name isolates, not threads, and without this
// the commit worker's isolate was at times the first to collect and was counted as the main thread.
require('node:v8').setFlagsFromString('--expose-gc')
require('node:vm').runInNewContext('gc')()
