-- GET of the URL with `Authorization: Bearer $TOKEN` (scripts/bench_api.py gets the token first).
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
