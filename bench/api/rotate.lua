-- wrk: POST the request bodies of BODIES (one JSON per line) in turn.
local bodies = {}
local i = 0
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
-- Any non-2xx answer is counted by wrk as "Non-2xx or 3xx responses"; the script fails the run on it.
