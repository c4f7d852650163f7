-- What the wrk scripts of the benchmarks share (wrk_signed_posts.lua, wrk_timeline.lua):
-- wrk's figures as one JSON line, which the Python drivers read from wrk's last output line.
-- Each script loads it with dofile() from its own folder (debug.getinfo gives the script's path).

function report(summary, latency)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
