#!/usr/bin/env bash
# larch's searches against notmuch's on one small archive of
# ../shared/corpora (notmuch's own lkml test corpus, 176 messages):
# bench/query-agreement indexes it with both, runs its field, date,
# phrase and boolean queries through larchd and notmuch, and this test
# reads the per-query Jaccard indexes from its --json output.
#
# Fields and dates are meant to agree (mean Jaccard >= 0.98); phrases and
# booleans differ by design in places (larch's phrases match stems, larch
# indexes attachment text and strips list footers: docs/query.md,
# "Agreement with notmuch"), so they are reported as TODO when below the
# target, never hidden.  Skipped without ../shared or notmuch.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

C="${LARCH_SHARED:-$(dirname "$0")/../../shared}/corpora"
archive="$C/notmuch-test-corpora/lkml.mbox"
bench="$(dirname "$0")/../bench/query-agreement"
if [ ! -f "$archive" ]; then
	echo "1..0 # SKIP no corpora at $C"
	exit 0
fi
if ! command -v notmuch >/dev/null; then
	echo "1..0 # SKIP notmuch is not installed"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

LARCH_BUILD="$LARCH_BUILD" "$bench" --json "$work/out.json" \
	--work "$work/run" "$archive" >"$work/out.txt" 2>&1
status=$?
# A Python error exits 1 too: only a bench that wrote its report ran.
ran=1
if { [ "$status" = 0 ] || [ "$status" = 1 ]; } && [ -s "$work/out.json" ]; then
	ran=0
fi
ok "$ran" "the bench ran (exit $status: 0 all agree, 1 some below target)"
if [ "$ran" != 0 ]; then
	sed 's/^/# /' "$work/out.txt" | tail -20
	done_testing
	exit
fi

# kind mean-jaccard queries below-target, one line per kind
python3 - "$work/out.json" >"$work/kinds" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for kind in ("field", "date", "phrase", "boolean"):
    qs = [q for q in d["queries"] if q["kind"] == kind and not q["empty"]]
    if not qs:
        print(kind, "none", 0, "")
        continue
    mean = sum(q["jaccard"] for q in qs) / len(qs)
    below = [q["larch"] for q in qs if q["jaccard"] < d["target"]]
    print(kind, "%.4f" % mean, len(qs), "; ".join(below))
PY

while read -r kind mean n below; do
	if [ "$mean" = none ]; then
		skip "$kind queries agree with notmuch" "no $kind query here"
		continue
	fi
	pass=$(python3 -c "print(0 if $mean >= 0.98 else 1)")
	case "$kind" in
	field | date)
		_tap_report "$pass" \
			"$kind queries agree with notmuch: mean Jaccard $mean over $n queries" \
			"below target: $below" ;;
	*)
		todo_is "$pass" 0 \
			"$kind queries agree with notmuch: mean Jaccard $mean over $n queries" \
			"known differences (docs/query.md): $below" ;;
	esac
done <"$work/kinds"

# Every query below target comes with its explained examples.
grep -A3 ' BELOW ' "$work/out.txt" | sed 's/^/# /'

done_testing
