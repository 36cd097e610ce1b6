-- persons.lua - wrk script: GET <prefix><random person id>, optionally with a bearer token.
--
--   wrk ... -s bench/persons.lua URL -- IDS_FILE PREFIX [TOKEN]
--
-- IDS_FILE has one person id per line (anything after a tab is ignored: the seeder writes
-- "<id>\t<office>").  done() prints one machine-readable RESULT line that bench/run.sh parses.
local ids = {}
local prefix = "/"

function init(args)
  local file = args[1]
  prefix = args[2] or "/"
  if args[3] and args[3] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[3]
  end
  for line in io.lines(file) do
    local id = line:match("^([^\t]+)")
    if id then ids[#ids + 1] = id end
  end
  -- A different sequence per thread: the address of a fresh table differs between Lua states.
  local salt = tonumber(tostring({}):match("0x(%x+)") or "0", 16) or 0
  math.randomseed(os.time() + salt % 1000003)
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
