# SPDX-License-Identifier: MIT
# www.sh: a local stand-in for Prometheus and Alertmanager (sourced): python3's http.server
# serving recorded answers from $T/www on 127.0.0.1 at a free port (it ignores query strings).
command -v python3 >/dev/null 2>&1 || { echo "python3 missing (the test's HTTP server)"; exit 77; }

WWW_PID=""
WWW_PORT=""

# www_start: serves $T/www (on WWW_PORT again after www_stop, so a restart is the same server).
www_start() {
	mkdir -p "$T/www/api/v2" "$T/www/api/v1"
	for try in 1 2 3 4 5; do
		[ -n "$WWW_PORT" ] || WWW_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		: >"$T/www.log"
		python3 -m http.server "$WWW_PORT" --bind 127.0.0.1 --directory "$T/www" \
			>"$T/www.log" 2>&1 &
		WWW_PID=$!
		n=50
		while [ "$n" -gt 0 ]; do
			if grep -q "Serving HTTP" "$T/www.log" 2>/dev/null; then return 0; fi
			kill -0 "$WWW_PID" 2>/dev/null || break
			sleep 0.1
			n=$((n - 1))
		done
		kill "$WWW_PID" 2>/dev/null
		sleep 0.5	# the port may still be held a moment after a stop
	done
	echo "cannot start the test HTTP server"
	exit 1
}

# www_stop: stops the server this script started (by its PID only).
www_stop() {
	if [ -n "$WWW_PID" ] && grep -q "http.server" "/proc/$WWW_PID/cmdline" 2>/dev/null; then
		kill "$WWW_PID"
		wait "$WWW_PID" 2>/dev/null
	fi
	WWW_PID=""
}

# www_range V...: the answer of every range query: one series of values V, a minute apart.
www_range() {
	t=1763867520
	vals=""
	for v in "$@"; do
		vals="$vals${vals:+,}[$t,\"$v\"]"
		t=$((t + 60))
	done
	printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[%s]}]}}\n' \
		"$vals" >"$T/www/api/v1/query_range"
}

# www_conf FILE [PANELS...]: a config with 1 s polls of the stand-in and one panel per name
# (with warn = $WWW_WARN when set).
www_conf() {
	f=$1
	shift
	{
		echo "[feeds]"
		echo "alerts_interval = 1s"
		echo "panels_interval = 1s"
		echo "[prometheus]"
		echo "url = http://127.0.0.1:$WWW_PORT"
		echo "[alertmanager main]"
		echo "url = http://127.0.0.1:$WWW_PORT"
		for p in "$@"; do
			echo "[panel $p]"
			echo "query = sum(rate(${p}_total[5m]))"
			[ -z "${WWW_WARN:-}" ] || echo "warn = $WWW_WARN"
		done
	} >"$f"
}

trap 'www_stop; cleanup_tmux' EXIT
