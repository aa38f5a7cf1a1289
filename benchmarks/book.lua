-- Booking POST for benchmarks/pages.py: the real form with its CSRF cookie and token, a new
-- email address each time (EMAIL in the body is replaced). Set by pages.py in the environment.
local cookie = os.getenv("BENCH_COOKIE")
local body = os.getenv("BENCH_BODY")
local referer = os.getenv("BENCH_REFERER")
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function request()
  counter = counter + 1
  local email = "t" .. tid .. "-" .. counter .. "-" .. math.random(1, 1000000000)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
  wrk.headers["Referer"] = referer .. wrk.path
  wrk.body = body:gsub("EMAIL", email)
  return wrk.format()
end
