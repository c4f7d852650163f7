-- wrk script for scripts/bench.sh api: each request GETs a path picked at random from
-- PATHS_FILE (one request target per line, e.g. a customer's timeline page), with the
-- Authorization header AUTHORIZATION when given, and prints wrk's figures as one JSON line
-- when done (wrk_report.lua).
--
-- usage: wrk ... -s wrk_timeline.lua URL -- PATHS_FILE [AUTHORIZATION]
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")
local next_thread = 0

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  headers = {}
  if args[2] and args[2] ~= "" then headers["Authorization"] = args[2] end
  -- A different sequence per thread, the same in every run.
  math.randomseed(1000 + thread_number)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function done(summary, latency, requests)
  report(summary, latency)
end
