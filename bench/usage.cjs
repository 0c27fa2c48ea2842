// Preloaded (`node -r bench/usage.cjs ...`) into every process the benchmark times: at exit
// it writes the process's CPU time (all threads) and peak RSS to $BENCH_USAGE_FILE, so the
// report can show CPU seconds next to wall time (wall time suffers when the machine is busy).
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssMB: u.maxRSS / 1024 }));
  });
}
