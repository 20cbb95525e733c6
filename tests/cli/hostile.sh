# SPDX-License-Identifier: MIT
# hostile.sh: escape sequences (ESC, CSI, OSC 52 clipboard writes), C1 controls, bidi overrides
# and invalid UTF-8 from every outside source — alert labels and annotations, silences,
# Prometheus series, HTTP error bodies, runbooks, database rows — never reach the terminal raw
# through any CLI output, human or --json.
. "$SRCDIR/tests/lib.sh"

command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }

port_file="$T/port"
py_serve "$port_file" 500 <<'PY' &
import http.server, json, socketserver, sys
EVIL = "x\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b[31m\u202e\u2066\x9b31m\x85\x07\x08end"
def alert(i):
    return {"labels": {"alertname": "Evil" + EVIL, "severity": "critical", "instance": EVIL},
            "annotations": {"summary": EVIL, "runbook_url": "http://x/" + EVIL},
            "startsAt": "2026-11-23T03:00:00Z", "endsAt": "2026-11-23T04:00:00Z",
            "updatedAt": "2026-11-23T03:00:00Z", "fingerprint": "f%015d" % i,
            "generatorURL": "http://prom/" + EVIL,
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
            "receivers": [{"name": EVIL}]}
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code); self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data))); self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        p = self.path
        if p.startswith("/api/v2/alerts/groups"):
            self.reply(200, [{"labels": {"alertname": EVIL}, "receiver": {"name": EVIL},
                              "alerts": [alert(1)]}])
        elif p.startswith("/api/v2/alerts"):
            self.reply(200, [alert(1), alert(2)])
        elif p.startswith("/api/v2/silences"):
            self.reply(200, [{"id": "5a1e0000-0000-0000-0000-00000000000" + "1",
                              "status": {"state": "active"},
                              "matchers": [{"name": "alertname", "value": EVIL,
                                            "isRegex": False, "isEqual": True}],
                              "startsAt": "2026-11-23T03:00:00Z", "endsAt": "2026-11-23T05:00:00Z",
                              "updatedAt": "2026-11-23T03:00:00Z", "createdBy": EVIL,
                              "comment": EVIL}])
        elif "inf_ts" in p:
            # numbers JSON cannot carry once parsed: times of 1e309 and -1e309, a NaN value
            kind = "matrix" if "query_range" in p else "vector"
            sample = '"values": [[1e309, "NaN"], [-1e309, "+Inf"]]' if kind == "matrix" \
                else '"value": [1e309, "NaN"]'
            self.reply(200, ('{"status": "success", "data": {"resultType": "%s", "result": '
                             '[{"metric": {"job": "x"}, %s}]}}' % (kind, sample)).encode())
        elif "str_ts" in p:
            self.reply(200, b'{"status": "success", "data": {"resultType": "string", '
                            b'"result": [1e309, "text"]}}')
        elif p.startswith("/api/v1/query_range"):
            self.reply(200, {"status": "success", "data": {"resultType": "matrix", "result": [
                {"metric": {"__name__": EVIL, "job": EVIL},
                 "values": [[1795402800, "1"], [1795402860, "2"]]}]}, "warnings": [EVIL]})
        elif p.startswith("/api/v1/query"):
            self.reply(200, {"status": "success", "data": {"resultType": "vector", "result": [
                {"metric": {"__name__": EVIL, "job": EVIL}, "value": [1795403520, "1"]}]},
                "warnings": [EVIL]})
        elif p.startswith("/err-json"):
            self.reply(422, {"status": "error", "errorType": EVIL, "error": EVIL})
        else:
            # an error page that is not JSON at all, with raw bytes and invalid UTF-8
            self.reply(500, EVIL.encode("utf-8", "surrogatepass") + b"\xff\xfe\xc0\x80",
                       "text/plain")
    def do_POST(self):
        self.reply(400, {"code": 400, "message": EVIL})
    def do_DELETE(self):
        self.reply(500, {"code": 500, "message": EVIL})
    def log_message(self, *a): pass
PY
served $! "$port_file"

evil=$(printf 'x\033]52;c;ZXZpbA==\007\033[2J\302\233\342\200\256\342\201\246\377\300\200end')
mkdir -p "$T/runbooks"
printf -- '---\ntitle: Evil %s\n---\n# Evil %s\n\n%s [link %s](%s)\n\n- [ ] step %s\n\n```\n%s\n```\n' \
	"$evil" "$evil" "$evil" "$evil" "$evil" "$evil" "$evil" >"$T/runbooks/evil.md"

cfg="$T/sitrep.conf"
cat >"$cfg" <<EOF2
[prometheus]
url = http://127.0.0.1:$port/
[alertmanager main]
url = http://127.0.0.1:$port/
[check page]
url = http://127.0.0.1:$port/healthz
[runbooks]
dirs = $T/runbooks
EOF2
export SITREP_RUNBOOK_INDEX="$T/rb-index.db"
S() { "$SITREP" --config "$cfg" --store "$T/s.db" "$@"; }

ncmd=0
# collect CMD...: runs a command, appends its stdout and stderr to $all; a --json command's
# stdout must also be strict JSON when it succeeds.
collect() {
	ncmd=$((ncmd + 1))
	case " $* " in
	*" --json "*)
		"$@" >"$T/json.out" 2>>"$all"
		rc=$?
		cat "$T/json.out" >>"$all"
		[ $rc -ne 0 ] || strict_json "$T/json.out" "command $ncmd ($2 $3 --json)"
		;;
	*)
		"$@" >>"$all" 2>&1
		rc=$?
		;;
	esac
	# the marker must not echo the (hostile) arguments itself
	echo "[exit $rc] command $ncmd: ${2:-} ${3:-}" | LC_ALL=C tr -d '\000-\037\177-\377' >>"$all"
	echo >>"$all"
}
every_command() {
	collect S incident new --sev P1 --title "$evil" --service "$evil" --impact "$evil"
	collect S incident note INC-2026-001 "$evil"
	collect S incident assign INC-2026-001 commander "$evil"
	collect S incident link INC-2026-001 "$evil" --what "$evil"
	collect S incident list
	collect S incident list --json
	collect S incident show INC-2026-001
	collect S incident show INC-2026-001 --json
	collect S incident show "$evil"
	collect S alerts
	collect S alerts --json
	collect S alerts "alertname=$evil"
	collect S query up
	collect S query up --json
	collect S query up --range 1h
	collect S query inf_ts --json
	collect S query inf_ts --range 1h --json
	collect S query str_ts --json
	collect S silence list
	collect S silence add alertname=x --for 1h --comment "$evil"
	collect S silence expire 5a1e0000-0000-0000-0000-000000000001
	collect S check
	collect S runbook list
	collect S runbook index
	collect S runbook show evil --plain
	collect S runbook show evil --toc
	collect S runbook show "$T/runbooks/evil.md"
	collect S runbook search Evil
	collect S runbook search Evil --json
	collect S runbook for "$evil"
	collect S "$evil"
	collect S incident "$evil"
	collect S --config "$evil" incident list
}

# in a UTF-8 locale, then in the C locale (where not one byte >= 0x80 may be written)
all="$T/all"
: >"$all"
export LC_ALL=C.UTF-8
every_command
all="$T/all.C"
: >"$all"
export LC_ALL=C
every_command
unset LC_ALL
never "$T/all.C" "$(printf '[\200-\377]')" "a byte >= 0x80 in the C locale"
grep -q "command $ncmd" "$T/all.C" && pass || fail "the C-locale run did not finish"

# --- line structure: no stored text can start a line of sitrep's own output ---
# Every kind of line break (LF, CR LF, CR, VT, FF, NEL, LS, PS) in a title, impact and note.
L() { "$SITREP" --config "$cfg" --store "$T/lines.db" "$@"; }
forge="INC-2026-999 P1  resolved      L1  0s     met             met             -               FAKE"
n=0
for br in '\n' '\r\n' '\r' '\013' '\014' '\302\205' '\342\200\250' '\342\200\251'; do
	n=$((n + 1))
	text=$(printf "head$br$forge$br""Status: RESOLVED$br")
	L incident new --sev P2 --title "$text" --service "svc$n" --impact "$text" >"$T/lines.new" 2>&1 ||
		fail "incident new with break $br"
	L incident note "INC-2026-$(printf %03d $n)" "$text" >>"$T/lines.new" 2>&1
done
run 0 L incident list
# the header and one row per incident: no forged row
[ "$(wc -l <"$T/out")" -eq $((n + 1)) ] && pass || { fail "incident list has forged rows:"; cat -v "$T/out" >&2; }
[ "$(grep -c '^INC-2026-' "$T/out")" -eq "$n" ] && pass || fail "incident list: a row does not start with an id"
# what new/note printed: each line is "INC-...: ..." or indented under one
if grep -v '^INC-2026-00[0-9]: ' "$T/lines.new" | grep -qv '^    '; then
	fail "new/note output has a line that is neither an event nor indented:"
	cat -v "$T/lines.new" >&2
else pass; fi
grep -q '^INC-2026-999' "$T/lines.new" && fail "a forged event line" || pass
for i in $(seq 1 $n); do
	run 0 L incident show "INC-2026-$(printf %03d "$i")"
	# every line starts with a label sitrep wrote, or with spaces (a later line of a field)
	if grep -Ev '^([A-Z][a-z ]*:|INC-2026-|  )' "$T/out" | grep -q .; then
		fail "incident show $i: a line not drawn by sitrep:"
		cat -v "$T/out" >&2
	else pass; fi
	[ "$(grep -c '^Status:' "$T/out")" -eq 0 ] && pass || fail "incident show $i: forged Status line"
	[ "$(grep -c '^Title:' "$T/out")" -eq 1 ] && pass || fail "incident show $i: title not one line"
	# timeline: a note's later lines sit under its detail column, not at a timestamp's place
	[ "$(grep -c '^  [0-9]\{4\}-' "$T/out")" -eq 2 ] && pass || fail "incident show $i: forged timeline row"
done
# a break never disappears into the text either: the title keeps its words apart
run 0 L incident list --json
strict_json "$T/out" "incident list --json with line breaks"
jq_is 'map(select(.service == "svc1"))[0].title | startswith("head\n")' true

[ "$(grep -c '^\[exit' "$T/all")" -ge 30 ] && pass || fail "not every command ran"
# a command whose exit is neither 0, 1 nor 2 crashed
if grep -E '^\[exit ([3-9]|[0-9]{2,})\]' "$T/all" >&2; then fail "a command crashed"; else pass; fi
never "$T/all" "$(printf '\033')" "raw ESC"
never "$T/all" "$(printf '\007')" "raw BEL"
never "$T/all" "$(printf '\302[\200-\237]')" "a C1 control"
never "$T/all" "$(printf '\342\200[\252-\256]')" "a bidi override"
never "$T/all" "$(printf '\342\201[\246-\251]')" "a bidi isolate"
never "$T/all" "$(printf '\377')" "invalid UTF-8 (0xff)"
never "$T/all" "$(printf '\300\200')" "an overlong NUL"
finish
