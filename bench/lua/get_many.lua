-- GET each of PATHS in turn with fixed headers (generated above: PATHS, HEADER_NAMES / HEADER_VALUES);
-- each thread starts at its own place in the list.

local requests = {}
local position = 0

function init(args)
  local headers = {}
  for i, name in ipairs(HEADER_NAMES) do headers[name] = HEADER_VALUES[i] end
  for i, path in ipairs(PATHS) do requests[i] = wrk.format("GET", path, headers, nil) end
  position = (tid or 0) * 7
end

function request()
  position = position % #requests + 1
  return requests[position]
end
