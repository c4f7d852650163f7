-- wrk script for scripts/bench.sh sms and social: each wrk thread POSTs its own slice
-- of pre-signed webhooks (written by tests/bench/sms_bench.py or social_bench.py as lines
-- "SIGNATURE BODY" in PREFIX.<thread number>), one new message id per request, with the
-- signature in header HEADER and the body as CONTENT_TYPE (default: Twilio's form posts),
-- and prints its figures as one JSON line when done.
--
-- usage: wrk ... -s wrk_signed_posts.lua URL -- PREFIX [HEADER CONTENT_TYPE]
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")
local next_thread = 0
local threads = {}

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  signatures, bodies = {}, {}
  for line in io.lines(args[1] .. "." .. thread_number) do
    local sig, body = line:match("^(%S+) (.*)$")
    signatures[#signatures + 1] = sig
    bodies[#bodies + 1] = body
  end
  header = args[2] or "X-Twilio-Signature"
  content_type = args[3] or "application/x-www-form-urlencoded"
  sent = 0
end

function request()
  sent = sent + 1
  local i = (sent - 1) % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = content_type, [header] = signatures[i]}, bodies[i])
end

function done(summary, latency, requests)
  report(summary, latency)
end
