-- POST /users/ with a new email on every request: `api` refuses a taken email (409), so every request of every
-- thread of every run ($RUN, set by scripts/bench_api.py) has its own. The FastAPI peer gets the same bodies.
local run = os.getenv("RUN") or "0"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_tag", run .. "-" .. threads)
end

local counter = 0

function request()
  counter = counter + 1
  local body = '{"name":"bench","email":"bench-' .. thread_tag .. '-' .. counter .. '@example.com","password":"bench-password"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
