-- GET or PATCH (METHOD) /projects/{id} of a random one of the $ROWS seeded projects, with `Authorization: Bearer
-- $TOKEN`; a PATCH sets a new budget. scripts/bench/bench_api.py seeds the rows and sets the variables.
local rows = tonumber(os.getenv("ROWS") or "10000")
local method = os.getenv("METHOD") or "GET"
local headers = {["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or ""), ["Content-Type"] = "application/json"}
local counter = 0

function request()
  counter = counter + 1
  local path = "/projects/" .. math.random(1, rows)
  if method == "PATCH" then
    return wrk.format("PATCH", path, headers, '{"budget":' .. (counter % 5000) .. '}')
  end
  return wrk.format("GET", path, headers)
end
