#!/usr/bin/env bash
# kill -9 at seeded random moments of a large larch-index run (a few
# thousand messages, mbox and pipermail months, commits every 200): after
# each kill the index passes xapian-check, and the next run resumes; when
# one completes it leaves exactly the messages, copies and ids of an
# uninterrupted run: nothing lost, nothing doubled.
# LARCH_CRASH_KILLS (25), LARCH_CRASH_SEED, LARCH_CRASH_MESSAGES (1500;
# 700 under a sanitizer) and LARCH_CRASH_BUDGET (seconds of kill rounds,
# 45; 30 under a sanitizer) tune it.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
KILLS=${LARCH_CRASH_KILLS:-25}
SEED=${LARCH_CRASH_SEED:-25}
# A sanitizer build runs several times slower: a smaller archive and a
# shorter budget keep the test near a minute.
if [ "${LARCH_SANITIZER:-none}" = none ]; then
	MESSAGES=${LARCH_CRASH_MESSAGES:-1500}
	BUDGET=${LARCH_CRASH_BUDGET:-45}
else
	MESSAGES=${LARCH_CRASH_MESSAGES:-700}
	BUDGET=${LARCH_CRASH_BUDGET:-30}
fi
MKCORPUS="${LARCH_SHARED:-}/tools/mkcorpus"
# A kill tests the process, not the disk: tmpfs spares the fsyncs.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	work=$(mktemp -d -p /dev/shm)
else
	work=$(mktemp -d)
fi
trap 'rm -rf "$work"' EXIT
printf '[larch]\nbatch = 200\n' >"$work/larch.conf"

# --- the archive -----------------------------------------------------------------
if [ -x "$MKCORPUS" ]; then
	"$MKCORPUS" --seed "$SEED" --messages "$MESSAGES" --lists 3 \
		--format mboxrd,pipermail --out "$work/a" --quiet
	made="mkcorpus: $MESSAGES copies in an mbox and pipermail months"
else
	# Without ../shared: threads over four mboxes and gzip'd pipermail
	# months, with repeated ids (copies) across them.
	python3 - "$work/a" "$MESSAGES" "$SEED" <<'PY'
import gzip, os, random, sys
out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
words = ("policy forum session internet governance draft agenda meeting "
         "report workshop stakeholder charter review comment").split()
os.makedirs(os.path.join(out, "pipermail"), exist_ok=True)
mboxes = [open(os.path.join(out, "list%d.mbox" % k), "w") for k in range(4)]
months = {}
for i in range(n):
    mid = "m%d@example.org" % i
    parent = "m%d@example.org" % rnd.randrange(i) if i and rnd.random() < .7 else None
    day = 1 + i * 27 // n
    body = "\n".join(" ".join(rnd.choice(words) for _ in range(12))
                     for _ in range(rnd.randint(2, 30)))
    head = "From: U%d <u%d@example.org>\nSubject: %s topic %d\n" % (
        i % 37, i % 37, "Re:" if parent else "", i // 5)
    head += "Date: Thu, %02d May 2016 10:%02d:00 +0000\n" % (day, i % 60)
    head += "Message-ID: <%s>\n" % mid
    if parent:
        head += "In-Reply-To: <%s>\n" % parent
    mboxes[i % 4].write("From u@example.org Thu May %2d 10:00:00 2016\n%s\n%s\n\n"
                        % (day, head, body))
    if i % 3 == 0:	# also archived by pipermail: a copy
        m = months.setdefault(day // 10, [])
        m.append("From u%d at example.org  Thu May %2d 10:00:00 2016\n%s\n%s\n\n"
                 % (i % 37, day, head.replace("@example.org>\nSubject",
                                              " at example.org>\nSubject"), body))
for f in mboxes:
    f.close()
for k, msgs in months.items():
    with gzip.open(os.path.join(out, "pipermail", "2016-May-%d.txt.gz" % k),
                   "wt") as f:
        f.write("".join(msgs))
PY
	made="generated: $MESSAGES messages in four mboxes and pipermail months"
fi

state() {	# index: "messages copies" and the sorted ids to $work/ids
	"$LI" --index "$1" --export | python3 -c '
import json, sys
ids = [json.loads(l)["mid"] for l in sys.stdin]
open(sys.argv[1], "w").write("\n".join(sorted(ids)) + "\n")' "$work/ids"
	"$LI" --index "$1" --stats --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["messages"], d["copies"])'
}
now_ms() { date +%s%3N; }

# --- uninterrupted runs: the reference ----------------------------------------------
# Twice: the second, with warm caches, times the kills, and both must
# agree.
t0=$(now_ms)
timeout 300 "$LI" --index "$work/ref" --config "$work/larch.conf" --quiet "$work/a"
is "$?" 0 "an uninterrupted run completes ($made)"
ref=$(state "$work/ref")
mv "$work/ids" "$work/ref-ids"
dups=$(uniq -d "$work/ref-ids" | wc -l)
is "$dups" 0 "the reference has each id once ($ref messages copies)"
t0=$(now_ms)
timeout 300 "$LI" --index "$work/ref2" --config "$work/larch.conf" --quiet \
	"$work/a"
ref_ms=$(($(now_ms) - t0))
is "$(state "$work/ref2")" "$ref" "a second uninterrupted run agrees (${ref_ms} ms)"
rm -rf "$work/ref" "$work/ref2"

# --- kill rounds ----------------------------------------------------------------------
# Each round starts a fresh index and kills one to three runs in a row,
# each resuming where the last commit of the one before stopped, at seeded
# moments: a share of what is left of the reference run's time.  Then the
# next run must complete and leave exactly the reference.
python3 -c '
import random, sys
rnd = random.Random(int(sys.argv[1]))
for _ in range(2 * int(sys.argv[2])):
    print(" ".join("%.3f" % rnd.uniform(.03, .85)
                   for _ in range(rnd.choice((1, 2, 2, 3)))))' \
	"$SEED" "$KILLS" >"$work/plan"

kills=0 rounds=0 finished_early=0 bad_check=0 bad_resume=0 bad_state=0
doubles=0 start=$(now_ms)
# kill_after MS: runs larch-index on $work/i and kill -9s it after MS ms.
kill_after() {
	local pid
	"$LI" --index "$work/i" --config "$work/larch.conf" --quiet \
		"$work/a" 2>/dev/null &
	pid=$!
	sleep "$(python3 -c "print($1 / 1000)")"
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	else
		finished_early=$((finished_early + 1))
	fi
	wait "$pid" 2>/dev/null
	if command -v xapian-check >/dev/null && [ -d "$work/i/shard-0" ] &&
	    ! xapian-check "$work/i/shard-0" >/dev/null 2>&1; then
		bad_check=$((bad_check + 1))
		echo "# round $rounds: xapian-check fails after a kill at $1 ms"
	fi
}
while read -r -a fractions; do
	if [ "$kills" -ge "$KILLS" ]; then
		break
	fi
	if [ $(($(now_ms) - start)) -gt $((BUDGET * 1000)) ] &&
	    [ "$kills" -ge $((KILLS < 5 ? KILLS : 5)) ]; then
		echo "# time budget of ${BUDGET} s spent after $rounds rounds"
		break
	fi
	rounds=$((rounds + 1))
	rm -rf "$work/i"
	left=$ref_ms
	at=""
	for f in "${fractions[@]}"; do
		ms=$(python3 -c "print(int($f * $left))")
		kill_after "$ms"
		at="$at ${ms}ms"
		left=$((left - ms))
	done
	timeout 300 "$LI" --index "$work/i" --config "$work/larch.conf" \
		--quiet "$work/a" || {
		bad_resume=$((bad_resume + 1))
		echo "# round $rounds: the run after the kills failed"
	}
	got=$(state "$work/i")
	if [ "$got" != "$ref" ] || ! cmp -s "$work/ids" "$work/ref-ids"; then
		bad_state=$((bad_state + 1))
		echo "# round $rounds (kills at$at): got '$got', want '$ref'"
	fi
	[ -n "$(uniq -d "$work/ids")" ] && doubles=$((doubles + 1))
done <"$work/plan"

echo "# $rounds rounds, $kills kills, $finished_early runs ended before their kill, $(($(now_ms) - start)) ms"
want=$((KILLS < 5 ? KILLS : 5))
ok "$([ "$kills" -ge "$want" ]; echo $?)" \
	"$kills kill -9s landed in $rounds rounds (at least $want)"
is "$bad_check" 0 "xapian-check passes after every kill"
is "$bad_resume" 0 "after every kill the next run completes"
is "$bad_state" 0 "after every round: exactly the reference's messages, copies and ids"
is "$doubles" 0 "no id is doubled after any round"
if command -v xapian-check >/dev/null; then
	xapian-check "$work/i/shard-0" >/dev/null 2>&1
	is "$?" 0 "xapian-check passes at the end"
else
	skip "xapian-check passes at the end" "no xapian-check"
fi

done_testing
