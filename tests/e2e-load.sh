#!/usr/bin/env bash
# A bounded load test of larchd on a unix socket (tests/load.py): 64
# connections issue mixed queries (SEARCH, COUNT, THREAD, SHOW, SUMMARY,
# text and JSON) while another client repeats a slow query; every answer
# must equal the one a quiet connection got, none may be dropped, and the
# run must finish within 60 s.  The index is a generated 3,000-message
# archive when ../shared's mkcorpus is there, the bundled sample otherwise.
# TAP.
set -u
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/larchd.sh"

tests=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$tests")
LI="$LARCH_BUILD/indexer/larch-index"
LD="$LARCH_BUILD/daemon/larchd"
skip_unless_built "load test" "$LD"

work=$(mktemp -d)
dpid=
trap '[ -n "$dpid" ] && kill -TERM "$dpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
idx="$work/index"
sock="$work/larchd.sock"

mk="${LARCH_SHARED:-$root/../shared}/tools/mkcorpus"
if [ -f "$mk" ]; then
	python3 "$mk" --seed 5 --messages 3000 --format mboxrd \
		--out "$work/corpus.mbox" --quiet &&
		"$LI" --index "$idx" --list gen --quiet "$work/corpus.mbox" 2>/dev/null
	ok $? "a generated 3,000-message archive is indexed"
else
	"$LI" --index "$idx" --quiet "$root/sample/pipermail" "$root/sample/mbox" 2>/dev/null
	ok $? "the sample archive is indexed (no ../shared: no generated corpus)"
fi

"$LD" --foreground --index "$idx" --listen "unix:$sock" 2>"$work/larchd.log" &
dpid=$!
wait_greeting "unix:$sock" "$dpid" "$work/larchd.log"
up=$?
ok $up "larchd starts and greets"
if [ $up != 0 ]; then
	done_testing
	exit
fi

timeout 90 python3 "$tests/load.py" "unix:$sock" --conns 64 --requests 100 \
	--budget 60 >"$work/res" 2>"$work/err"
st=$?
sed 's/^/# /' "$work/err"
res=$(tail -1 "$work/res")
f() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$res" "$1" 2>/dev/null; }
is "$(f answered)/$(f requests)" "6400/6400" "64 connections x 100 requests: every one answered"
is "$(f wrong)" 0 "every answer is byte-identical to the quiet one"
is "$(f dropped) $(f hung)" "0 0" "no connection dropped, refused or hung"
ok $([ "$(f slow_queries)" -ge 1 ] 2>/dev/null; echo $?) "the slow query ran during the load"
is "$(f slow_wrong)" 0 "and its answers were correct too"
# A slow query must not stall the others; only meaningful when it is slow.
if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 50 else 1)' "$(f slow_quiet_ms)" 2>/dev/null; then
	ok $([ "$(f answered_during_slow)" -gt 0 ] 2>/dev/null; echo $?) \
		"other answers kept arriving while the slow query ran"
else
	skip "other answers kept arriving while the slow query ran" \
		"the slowest query takes $(f slow_quiet_ms) ms here"
fi
is "$(f within_budget)" True "the load test finished within 60 s"
is "$st" 0 "load.py passes"
echo "# p50 $(f p50_ms) ms, p99 $(f p99_ms) ms, $(f qps) req/s over $(f load_seconds) s"
kill -0 "$dpid" 2>/dev/null
ok $? "larchd is still running"
kill -TERM "$dpid"
wait "$dpid"
is "$?" 0 "larchd exits 0 on SIGTERM after the load"
dpid=
if grep -q -E 'Sanitizer|runtime error|CRITICAL' "$work/larchd.log"; then
	ok 1 "larchd's log has no sanitizer report or critical"
	sed 's/^/#   /' "$work/larchd.log" | head -40
else
	ok 0 "larchd's log has no sanitizer report or critical"
fi
done_testing
