#!/usr/bin/env bash
# Crash safety and incremental edge cases of larch-index, made
# deterministic with its fault injection (see indexer/writer.c): an exit as
# by kill -9 right after each commit of a run, a failed store mid-batch,
# files that shrink, grow from tiny, or sit behind a long path, and a
# symbolic-link loop.  After every fault the next run must leave exactly
# the messages of a clean run.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# mbox FILE FIRST COUNT: COUNT small messages m<FIRST>.. into FILE.
mbox() {
	for ((i = $2; i < $2 + $3; i++)); do
		printf 'From u@example.org Thu May 26 19:05:00 2016\n'
		printf 'From: U <u%d@example.org>\nSubject: message %d\n' "$i" "$i"
		printf 'Message-ID: <m%d@example.org>\n\nbody %d\n\n' "$i" "$i"
	done >>"$1"
}
count() {	# index: "messages copies"
	"$LI" --index "$1" --stats --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["messages"], d["copies"])'
}
printf '[larch]\nbatch = 3\n' >"$work/small.conf"

# --- exit right after each commit, over two files ----------------------------
mkdir -p "$work/a"
mbox "$work/a/1.mbox" 0 7
mbox "$work/a/2.mbox" 100 7
for n in 1 2 3 4 5; do
	rm -rf "$work/i"
	LARCH_FAULT_EXIT_AFTER_COMMIT=$n "$LI" --index "$work/i" --list t \
		--config "$work/small.conf" --quiet "$work/a" 2>/dev/null
	"$LI" --index "$work/i" --list t --config "$work/small.conf" --quiet \
		"$work/a"
	is "$(count "$work/i")" "14 14" "exit after commit $n: the next run completes, nothing lost or doubled"
done

# --- a grown file, exit after each commit ---------------------------------------
for n in 1 2 3; do
	rm -rf "$work/g" "$work/i"
	mkdir -p "$work/g"
	mbox "$work/g/1.mbox" 0 4
	"$LI" --index "$work/i" --list t --config "$work/small.conf" --quiet \
		"$work/g"
	mbox "$work/g/1.mbox" 4 6
	mbox "$work/g/2.mbox" 100 3
	LARCH_FAULT_EXIT_AFTER_COMMIT=$n "$LI" --index "$work/i" --list t \
		--config "$work/small.conf" --quiet "$work/g" 2>/dev/null
	"$LI" --index "$work/i" --list t --config "$work/small.conf" --quiet \
		"$work/g"
	is "$(count "$work/i")" "13 13" "grown file, exit after commit $n: complete"
done

# --- a failed store mid-batch ----------------------------------------------------
rm -rf "$work/i"
LARCH_FAULT_FAIL_PUT=5 "$LI" --index "$work/i" --list t \
	--config "$work/small.conf" --quiet "$work/a" 2>"$work/err"
is "$?" 1 "a store failure is fatal (exit 1)"
like "$(cat "$work/err")" "cannot write the index" "and says so"
"$LI" --index "$work/i" --list t --config "$work/small.conf" --quiet "$work/a"
is "$(count "$work/i")" "14 14" "the next run completes after a store failure"

# --- a rewritten run interrupted: the sweep removes what left ----------------------
rm -rf "$work/r" "$work/i"
mkdir -p "$work/r"
mbox "$work/r/1.mbox" 0 8
"$LI" --index "$work/i" --list t --config "$work/small.conf" --quiet "$work/r"
: >"$work/r/1.mbox"
mbox "$work/r/1.mbox" 0 3
mbox "$work/r/1.mbox" 50 3
LARCH_FAULT_EXIT_AFTER_COMMIT=1 "$LI" --index "$work/i" --list t \
	--config "$work/small.conf" --quiet "$work/r" 2>/dev/null
"$LI" --index "$work/i" --list t --config "$work/small.conf" --quiet "$work/r" \
	2>/dev/null
is "$(count "$work/i")" "6 6" "a re-read cut short by a crash ends with the file's messages only"

# --- a file cut short is re-read -------------------------------------------------
rm -rf "$work/c" "$work/i"
mkdir -p "$work/c"
mbox "$work/c/1.mbox" 0 10
"$LI" --index "$work/i" --list t --quiet "$work/c"
: >"$work/c/1.mbox"
mbox "$work/c/1.mbox" 0 2
mbox "$work/c/1.mbox" 500 1
"$LI" --index "$work/i" --list t "$work/c" 2>"$work/err"
like "$(cat "$work/err")" "was rewritten" "a file cut below what was read is seen as rewritten"
is "$(count "$work/i")" "3 3" "and holds only its present messages"

# --- a tiny file grows: no false rewrite ---------------------------------------------
rm -rf "$work/t" "$work/i"
mkdir -p "$work/t"
mbox "$work/t/2016-May.txt" 0 1
"$LI" --index "$work/i" --list t --quiet "$work/t"
for k in 1 2; do
	mbox "$work/t/2016-May.txt" $((k * 100)) 40
	touch -d "+$k minutes" "$work/t/2016-May.txt"
	"$LI" --index "$work/i" --list t "$work/t" 2>"$work/err"
	case "$(cat "$work/err")" in
	*rewritten*) ok 1 "growing a small file, step $k: not taken for a rewrite" ;;
	*) ok 0 "growing a small file, step $k: not taken for a rewrite" ;;
	esac
done
is "$(count "$work/i")" "81 81" "all its messages are there once"

# --- a path longer than Xapian's key limit -----------------------------------------
deep="$work/d/$(printf 'x%.0s' {1..120})/$(printf 'y%.0s' {1..120})"
mkdir -p "$deep"
mbox "$deep/list.mbox" 0 2
rm -rf "$work/i"
"$LI" --index "$work/i" --list t --quiet "$work/d"
is "$?" 0 "an archive behind a 250-byte path is indexed"
"$LI" --index "$work/i" --list t --quiet "$work/d"
is "$(count "$work/i")" "2 2" "and recognised on the next run"

# --- a symbolic-link loop --------------------------------------------------------------
mkdir -p "$work/l/sub"
mbox "$work/l/sub/a.mbox" 0 1
ln -s .. "$work/l/sub/up1"
ln -s .. "$work/l/sub/up2"
rm -rf "$work/i"
timeout 20 "$LI" --index "$work/i" --list t --quiet "$work/l"
is "$?" 0 "a symbolic-link loop does not hang the walk"
is "$(count "$work/i")" "1 1" "and each file is read once"

done_testing
