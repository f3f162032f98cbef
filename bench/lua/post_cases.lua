-- POST /api/v1/cases with varied bodies. The generated preamble holds PATH, TOKEN and lists of JSON
-- fragments (already-escaped JSON values) built by bench/run.py: DESCRIPTIONS, NAMES, LOCATIONS, CHANNELS,
-- and BODY_TEMPLATES, one of which is filled in here for every request (its {placeholders} replaced).
-- wrk's script arguments (after --) are this run's guests: a tag for their emails and a phone prefix, so that
-- no other run of the benchmark on this database had the same new customers (bench/harness.py, guests_for).

local counter = 0
local tid = 0
local guest_tag, phone_prefix
local headers

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  guest_tag = args[1] or "0"
  phone_prefix = args[2] or "91"
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
    email = string.format("guest-%s-%d-%d@example.com", guest_tag, tid, counter)
    phone = string.format("+84%s%01d%06d", phone_prefix, tid % 10, counter % 1000000)
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
