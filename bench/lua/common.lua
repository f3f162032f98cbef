-- Shared by every bench script: thread ids, a per-thread status tally, and a JSON summary line that
-- bench/harness.py reads (BENCH_JSON {...}) instead of scraping wrk's text.

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local function json_number(x)
  if x ~= x or x == math.huge or x == -math.huge then return "null" end
  return string.format("%.3f", x)
end

function done(summary, latency, requests)
  local tally = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for code, n in pairs(s) do tally[code] = (tally[code] or 0) + n end
    end
  end
  local parts = {}
  for code, n in pairs(tally) do table.insert(parts, string.format('"%d":%d', code, n)) end
  local pct = {}
  for _, p in ipairs({50, 75, 90, 99, 99.9}) do
    local key = (p == 99.9) and "p99_9" or ("p" .. p)
    table.insert(pct, string.format('"%s":%s', key, json_number(latency:percentile(p))))
  end
  table.insert(pct, string.format('"mean":%s', json_number(latency.mean)))
  table.insert(pct, string.format('"stdev":%s', json_number(latency.stdev)))
  table.insert(pct, string.format('"min":%s', json_number(latency.min)))
  table.insert(pct, string.format('"max":%s', json_number(latency.max)))
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"statuses":{%s},"latency_us":{%s}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ","), table.concat(pct, ",")))
end
