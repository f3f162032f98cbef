-- POST /api/v1/cases with varied bodies. The generated preamble holds PATH, TOKEN and lists of JSON
-- fragments (already-escaped JSON values) built by bench/run.py: DESCRIPTIONS, NAMES, LOCATIONS, CHANNELS,
-- and BODY_TEMPLATES, one of which is filled in here for every request (its {placeholders} replaced).

local counter = 0
local tid = 0
local headers

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  headers = {
    ["Authorization"] = "Bearer " .. TOKEN,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  math.randomseed(1000 + tid)
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  counter = counter + 1
  local email, phone
  if math.random() < REPEAT_SHARE then
    -- A regular who complained before: the service matches the identity and flags a repeat failure.
    local n = math.random(REGULARS)
    email = string.format("regular%04d@example.com", n)
    phone = string.format("+8490%07d", n)
  else
    email = string.format("guest-%d-%d-%d@example.com", RUN_ID, tid, counter)
    phone = string.format("+8491%01d%06d", tid % 10, counter % 1000000)
  end
  local body = pick(BODY_TEMPLATES)
    :gsub("{description}", function() return pick(DESCRIPTIONS) end)
    :gsub("{name}", function() return pick(NAMES) end)
    :gsub("{location}", function() return pick(LOCATIONS) end)
    :gsub("{channel}", function() return pick(CHANNELS) end)
    :gsub("{email}", email)
    :gsub("{phone}", phone)
    :gsub("{severity}", tostring(math.random(5) <= 4 and 3 or math.random(5)))
  return wrk.format("POST", PATH, headers, body)
end
