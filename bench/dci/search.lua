-- search.lua - wrk script for the DCI benchmarks (bench/dci/run.sh): POST a DCI request per call.
--
--   wrk ... -s bench/dci/search.lua URL -- MODE FILE PATH TOKEN SENDER
--
-- MODE "gen":   FILE is the seeder's ids file (third column: national id); each request is an
--               unsigned idtype-value search for a random UIN with a new message_id (replay
--               protection refuses a message_id seen before) - PATH /registry/sync/search or
--               /registry/search (async: the ACK is what is measured).
-- MODE "file":  FILE has one complete request body per line (pre-signed by bench/dci/sign.mjs,
--               each with its own message_id); thread k of T sends lines k, k+T, k+2T, ... once
--               (run.sh gives every wrk run its own file: a message_id is never sent twice).
--               Running out is reported (exhausted=1): reused bodies would be replays.
-- Every reply is checked: "bad" counts replies that are not the expected answer (a sync search must
-- return one record; an async search an ACK), e.g. an ERR envelope (HTTP 200).  done() prints one
-- RESULT line that run.sh parses.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local mode, path, sender, expect
local uins, bodies = {}, {}
local seq, next_line = 0, 1
-- globals, so that done() can read them from each thread (thread:get reads globals only)
exhausted, bad = 0, 0
local prefix

function init(args)
  mode, path, sender = args[1], args[3], args[5]
  wrk.method = "POST"
  wrk.path = path
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[4]
  expect = path:find("sync", 1, true) and '"reg_records":[{' or '"ack_status":"ACK"'
  local nthreads = tonumber(args[6] or "1")
  if mode == "gen" then
    for line in io.lines(args[2]) do
      local uin = line:match("^[^\t]+\t[^\t]+\t([^\t]+)$")
      if uin then uins[#uins + 1] = uin end
    end
    local salt = tonumber(tostring({}):match("0x(%x+)") or "0", 16) or 0
    math.randomseed(os.time() + salt % 1000003)
    prefix = string.format("bench-%d-%d-%d-", os.time(), tid, salt % 1000003)
  else
    local i = 0
    for line in io.lines(args[2]) do
      i = i + 1
      if (i - tid) % nthreads == 0 then bodies[#bodies + 1] = line end
    end
  end
end

local TS = "2026-01-01T00:00:00Z"
function request()
  if mode == "gen" then
    seq = seq + 1
    local id = prefix .. seq
    local body = '{"header":{"version":"1.0.0","message_id":"' .. id .. '","message_ts":"' .. TS ..
      '","action":"search","sender_id":"' .. sender .. '","total_count":1},"message":{"transaction_id":"' .. id ..
      '","search_request":[{"reference_id":"r1","timestamp":"' .. TS ..
      '","search_criteria":{"reg_type":"ns:org:RegistryType:ESS","query_type":"idtype-value","query":{"type":"UIN","value":"' ..
      uins[math.random(#uins)] .. '"}}}]}}'
    return wrk.format(nil, nil, nil, body)
  end
  local body = bodies[next_line]
  if not body then exhausted = 1; next_line = 1; body = bodies[1] end
  next_line = next_line + 1
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 200 or not body:find(expect, 1, true) then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("unexpected reply " .. status .. ": " .. body:sub(1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local b, ex = 0, 0
  for _, t in ipairs(threads) do
    b = b + (t:get("bad") or 0)
    ex = math.max(ex, t:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d non2xx=%d socket_errors=%d bad=%d exhausted=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout, b, ex))
end
