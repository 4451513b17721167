-- wrk script: POST /api/customer/ with a login no other request of the run uses.
-- BENCH_PREFIX makes logins unique across runs; each wrk thread numbers its own requests.
local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local prefix = os.getenv("BENCH_PREFIX") or "bench"
local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function request()
	counter = counter + 1
	return wrk.format("POST", "/api/customer/", headers,
		string.format('{"login":"%s-%d-%d"}', prefix, tid, counter))
end

-- One line for bench/run.sh to read: latencies in microseconds.
function done(summary, latency, requests)
	io.write(string.format(
		"RESULT requests=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d max_us=%d non2xx=%d timeouts=%d socket_errors=%d\n",
		summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(99), latency.max, summary.errors.status,
		summary.errors.timeout, summary.errors.connect + summary.errors.read + summary.errors.write))
end
