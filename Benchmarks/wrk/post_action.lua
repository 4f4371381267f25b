-- POST /action/?user=bench with an empty body and `Authorization: Bearer $TOKEN` (the FastAPI peer ignores it).
wrk.method = "POST"
wrk.body = ""
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
