-- POST /projects/ with a new name on every request (`api`'s projects are unique per owner and name: 409 for a
-- taken one), so every request of every thread of every run ($RUN, set by scripts/bench/bench_api.py) has its own.
-- The FastAPI peer gets the same bodies. Authorization: Bearer $TOKEN.
local run = os.getenv("RUN") or "0"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_tag", run .. "-" .. threads)
end

local counter = 0

function request()
  counter = counter + 1
  local body = '{"name":"bench ' .. thread_tag .. ' ' .. counter .. '","status":"active","budget":' .. (counter % 1000) .. ',"tags":["bench"]}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")}, body)
end
