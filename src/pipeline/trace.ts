/**
 * Phase trace for long runs: with OGI_TRACE set, each pipeline phase prints its end time and the
 * process's resident memory to stderr ("ogi: trace 253.1 s  rss 701 MB  parse done"). It is how the
 * memory figures of README "Scale" were broken down; off, it costs one property read per phase.
 */
export function tracePhase(phase: string): void {
  if (!process.env.OGI_TRACE) return;
  // Seconds since the process started, so the figures line up with /usr/bin/time and RSS samplers.
  const seconds = process.uptime().toFixed(1);
  const rss = Math.round(process.memoryUsage.rss() / 1048576);
  const heap = Math.round(process.memoryUsage().heapUsed / 1048576);
  process.stderr.write(`ogi: trace ${seconds} s  rss ${rss} MB  heap ${heap} MB  ${phase}\n`);
}
