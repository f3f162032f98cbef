-- POST the public complaint form (/t/<code>/<lang>/) as customers' phones do: form-encoded fields with the
-- CSRF token and cookie the form page gave. The preamble holds COOKIE, TOKEN, CODES (touchpoints' public
-- codes), LANGUAGES, DESCRIPTIONS (already URL-encoded) and CONTACT_SHARE (how many leave an email).

local counter = 0
local tid = 0
local guest_tag
local headers

function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
  guest_tag = args[1] or "0"  -- this run's, so no other run of the benchmark had the same guests
  headers = {
    ["Cookie"] = COOKIE,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  math.randomseed(2000 + tid)
end

local function pick(list)
  return list[math.random(#list)]
end

local SEVERITIES = {2, 3, 3, 3, 4, 5}

function request()
  counter = counter + 1
  local email = ""
  if math.random() < CONTACT_SHARE then
    email = string.format("guest-form-%s-%d-%d%%40example.com", guest_tag, tid, counter)
  end
  local body = "csrfmiddlewaretoken=" .. TOKEN .. "&description=" .. pick(DESCRIPTIONS)
    .. "&severity=" .. pick(SEVERITIES) .. "&email=" .. email .. "&phone=&line_id=&zalo_id=&website="
  local path = "/t/" .. pick(CODES) .. "/" .. pick(LANGUAGES) .. "/"
  return wrk.format("POST", path, headers, body)
end
