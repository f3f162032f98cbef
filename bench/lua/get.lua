-- GET one path with fixed headers (generated above: PATH, and HEADER_NAMES / HEADER_VALUES).

local request_bytes

function init(args)
  local headers = {}
  for i, name in ipairs(HEADER_NAMES) do headers[name] = HEADER_VALUES[i] end
  request_bytes = wrk.format("GET", PATH, headers, nil)
end

function request()
  return request_bytes
end
