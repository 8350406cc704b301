#!/usr/bin/env bash
# Corrupt and hostile archives through the real larch-index: a truncated
# gzip, a truncated last message, files that are not mail, a 200 MB
# message, a 1 MB header line, NUL bytes, and random byte flips of the
# sample archive (plain and gzip'd, seeded).  Each is skipped or cut with
# a log line naming the file and byte offset, the rest is indexed (exact
# counts where the damage allows one), and every run is bounded in time.
# TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
SRC="$(cd "$(dirname "$0")/.." && pwd)"
SEED=${LARCH_CORRUPT_SEED:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run INDEX PATH...: larch-index under a time limit; stderr to $work/err.
run() {
	local idx=$1
	shift
	rm -rf "$idx"
	timeout 120 "$LI" --index "$idx" --list t "$@" 2>"$work/err"
	rc=$?
}
count() {
	"$LI" --index "$1" --stats --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["messages"])'
}
field() {	# index mid python-expression-on-r
	"$LI" --index "$1" --export | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["mid"] == sys.argv[1]:
        print('"$3"')' "$2"
}
check_index() {	# index description
	if command -v xapian-check >/dev/null; then
		xapian-check "$1/shard-0" >/dev/null 2>&1
		is "$?" 0 "$2: xapian-check passes"
	else
		skip "$2: xapian-check passes" "no xapian-check"
	fi
}

# mbox FILE FIRST COUNT [BODY-BYTES]: messages m<FIRST>.. into FILE.
mbox() {
	python3 - "$@" <<'PY'
import random, sys
path, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = int(sys.argv[4]) if len(sys.argv) > 4 else 0
rnd = random.Random(first)
with open(path, "a") as f:
    for i in range(first, first + n):
        f.write("From u@example.org Thu May 26 19:05:00 2016\n"
                "From: U <u%d@example.org>\nSubject: message %d\n"
                "Message-ID: <m%d@example.org>\n\nbody %d\n" % (i, i, i, i))
        words = []
        while sum(map(len, words)) < size:
            words.append("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz")
                                 for _ in range(rnd.randint(2, 9))))
        for k in range(0, len(words), 12):
            f.write(" ".join(words[k:k + 12]) + "\n")
        f.write("\n")
PY
}

# --- a truncated gzip --------------------------------------------------------
# Ten messages, the sixth with 200 KB of text that compresses poorly; the
# .gz is cut where its data reaches the middle of that message.
mkdir -p "$work/gz"
for i in 1 2 3 4 5; do mbox "$work/gz/list.mbox" $i 1; done
mbox "$work/gz/list.mbox" 6 1 200000
for i in 7 8 9 10; do mbox "$work/gz/list.mbox" $i 1; done
python3 - "$work/gz/list.mbox" <<'PY'
import gzip, re, sys, zlib
data = open(sys.argv[1], "rb").read()
starts = [m.start() for m in re.finditer(rb"^From u@", data, re.M)]
want = (starts[5] + starts[6]) // 2
packed = gzip.compress(data, 6)
lo, hi = 0, len(packed)
while lo < hi:		# the shortest cut whose data reaches want
    mid = (lo + hi) // 2
    got = len(zlib.decompressobj(31).decompress(packed[:mid]))
    lo, hi = (mid + 1, hi) if got < want else (lo, mid)
open(sys.argv[1] + ".gz", "wb").write(packed[:lo])
PY
rm "$work/gz/list.mbox"
run "$work/i" "$work/gz"
is "$rc" 0 "truncated gzip: the run ends normally"
like "$(cat "$work/err")" "cannot read '$work/gz/list.mbox.gz': truncated gzip data at offset" \
	"truncated gzip: the file and the offset are logged"
is "$(count "$work/i")" 5 "truncated gzip: the five messages before the cut are indexed"
timeout 120 "$LI" --index "$work/i" --list t "$work/gz" 2>/dev/null
is "$(count "$work/i")" 5 "truncated gzip: a second run reads it again and doubles nothing"
check_index "$work/i" "truncated gzip"

# --- a truncated last message --------------------------------------------------
mkdir -p "$work/tl"
mbox "$work/tl/body.mbox" 1 3
head -c -4 "$work/tl/body.mbox" >"$work/tl/cut-body.mbox"
rm "$work/tl/body.mbox"
mbox "$work/tl/header.mbox" 11 2
printf 'From u@example.org Thu May 26 19:05:00 2016\nFrom: U <u13@example.org>\nSubject: mess' \
	>>"$work/tl/header.mbox"
last_sep() { grep -b '^From u@' "$1" | tail -1 | cut -d: -f1; }
run "$work/i" "$work/tl"
is "$rc" 0 "truncated last message: the run ends normally"
like "$(cat "$work/err")" "message at '$work/tl/cut-body.mbox' offset $(last_sep "$work/tl/cut-body.mbox") ends inside a line at the end of the file (cut short?)" \
	"cut in its body: logged with file and offset"
like "$(cat "$work/err")" "message at '$work/tl/header.mbox' offset $(last_sep "$work/tl/header.mbox") ends inside a line" \
	"cut in its header: logged with file and offset"
is "$(count "$work/i")" 6 "every message is indexed, the cut ones with what there is"
is "$(field "$work/i" m3@example.org 'r["new_text"]')" "body" \
	"the cut body keeps its text up to the cut"

# --- files that are not mail -----------------------------------------------------
mkdir -p "$work/nm"
python3 - "$work/nm" "$SEED" <<'PY'
import os, random, sys
d, rnd = sys.argv[1], random.Random(int(sys.argv[2]))
open(os.path.join(d, "binary.mbox"), "wb").write(
    bytes(rnd.getrandbits(8) for _ in range(300000)))
open(os.path.join(d, "picture.png"), "wb").write(
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(rnd.getrandbits(8) for _ in range(20000)))
words = "policy forum session from the minutes note".split()
open(os.path.join(d, "notes.txt"), "w").write("".join(
    " ".join(rnd.choice(words) for _ in range(10)) + "\n" for _ in range(3000)))
PY
mbox "$work/nm/good.mbox" 1 3
run "$work/i" --verbose "$work/nm"
is "$rc" 0 "not mail: the run ends normally"
like "$(cat "$work/err")" "warning: skipping '$work/nm/binary.mbox': not a mail archive (no mbox separator in its first 64 KiB, no header at offset 0)" \
	"binary data named .mbox: a warning names it"
like "$(cat "$work/err")" "warning: skipping '$work/nm/notes.txt': not a mail archive" \
	"random text: a warning names it"
like "$(cat "$work/err")" "skipping '$work/nm/picture.png': not a mail archive" \
	"an image: said with --verbose"
is "$(count "$work/i")" 3 "not mail: the mbox beside them is indexed"
timeout 60 "$LI" --index "$work/i" --list t "$work/nm" 2>"$work/err"
like "$(cat "$work/err")" "3 files not mail" "the summary counts them"

# --- a 200 MB message --------------------------------------------------------------
# Written as a stream, between two small messages: it is cut at the size
# limit (64 MB) with a warning, and memory follows the limit, not the
# message.
mkdir -p "$work/big"
mbox "$work/big/list.mbox" 1 1
python3 - "$work/big/list.mbox" <<'PY'
import sys
line = b"the quick brown fox jumps over the lazy dog and keeps on running\n"
chunk = line * 16384
with open(sys.argv[1], "ab") as f:
    f.write(b"From u@example.org Thu May 26 19:05:00 2016\nFrom: u2@example.org\n"
            b"Subject: huge\nMessage-ID: <m2@example.org>\n\n")
    n = 0
    while n < 200 << 20:
        f.write(chunk)
        n += len(chunk)
    f.write(b"\n")
PY
mbox "$work/big/list.mbox" 3 1
rm -rf "$work/i"
if [ -x /usr/bin/time ] && [ "${LARCH_SANITIZER:-none}" = none ]; then
	/usr/bin/time -f "%M" -o "$work/rss" timeout 120 "$LI" --index "$work/i" \
		--list t "$work/big" 2>"$work/err"
	rc=$?
	rss=$(tail -1 "$work/rss")
	ok "$([ "$rss" -lt 420000 ]; echo $?)" \
		"200 MB message: peak RSS $((rss / 1024)) MB, under 420 MB"
else
	timeout 300 "$LI" --index "$work/i" --list t "$work/big" 2>"$work/err"
	rc=$?
	skip "200 MB message: peak RSS" "no GNU time, or a sanitizer build"
fi
is "$rc" 0 "200 MB message: the run ends normally"
like "$(cat "$work/err")" "message at '$work/big/list.mbox' offset 126 is larger than the limit: indexing its first 67108864 bytes" \
	"200 MB message: cut at the limit, logged with file and offset"
is "$(count "$work/i")" 3 "200 MB message: it and its neighbours are indexed"
rm -rf "$work/big"

# --- a 1 MB header line ---------------------------------------------------------------
mkdir -p "$work/hl"
mbox "$work/hl/list.mbox" 1 1
python3 - "$work/hl/list.mbox" <<'PY'
import sys
with open(sys.argv[1], "a") as f:
    f.write("From u@example.org Thu May 26 19:05:00 2016\nFrom: u2@example.org\n"
            "Subject: " + "word " * (1 << 18) + "\nMessage-ID: <m2@example.org>\n"
            "\nwords in the subject\n\n")
    f.write("From u@example.org Thu May 26 19:05:00 2016\nFrom: u3@example.org\n"
            "X-Token: " + "y" * (1 << 20) + "\nSubject: one token\n"
            "Message-ID: <m3@example.org>\n\none token\n\n")
PY
mbox "$work/hl/list.mbox" 4 1
run "$work/i" "$work/hl"
is "$rc" 0 "1 MB header lines: the run ends normally"
is "$(count "$work/i")" 4 "1 MB header lines: all four messages are indexed"
is "$(field "$work/i" m3@example.org 'r["subject"]')" "one token" \
	"the field after a 1 MB line is read"
is "$(field "$work/i" m4@example.org 'r["subject"]')" "message 4" \
	"and the next message is intact"

# --- NUL bytes --------------------------------------------------------------------------
mkdir -p "$work/nul"
mbox "$work/nul/list.mbox" 1 3
python3 - "$work/nul/list.mbox" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
d = d.replace(b"Subject: message 1", b"Subject: mes\0sage 1")
d = d.replace(b"body 2", b"bo\0\0dy 2\0")
d = d.replace(b"From: U <u3@", b"From: U\0 <u3@")
open(p, "wb").write(d)
PY
run "$work/i" "$work/nul"
is "$rc" 0 "NUL bytes: the run ends normally"
is "$(count "$work/i")" 3 "NUL bytes: every message is indexed"
is "$(field "$work/i" m1@example.org 'r["subject"]')" "message 1" \
	"a NUL in a header is dropped, not a cut"
is "$(field "$work/i" m2@example.org 'r["new_text"]')" "body 2" \
	"NULs in a body are dropped"
is "$(field "$work/i" m3@example.org 'r["from"]')" "u3@example.org" \
	"a NUL in an address is dropped"

# --- random byte flips of the sample archive ------------------------------------------
fixture="$SRC/sample/mbox/bpf-cybersecurity.mbox"
mkdir -p "$work/clean" "$work/flip" "$work/flipgz"
cp "$fixture" "$work/clean/list.mbox"
run "$work/ci" "$work/clean"
total=$(count "$work/ci")
"$LI" --index "$work/ci" --export | python3 -c '
import json, sys
for l in sys.stdin:
    print(json.loads(l)["sources"][0]["offset"])' | sort -n >"$work/starts"
# Flip 400 random bytes; bounds on the count: a flip on a separator, the
# line end before it or the header line after it can merge two messages;
# a flipped ">" before "From " could make a new one.
python3 - "$fixture" "$work/flip/list.mbox" "$work/starts" "$SEED" \
	>"$work/bounds" <<'PY'
import random, sys
src, dst, starts_file, seed = sys.argv[1:5]
data = bytearray(open(src, "rb").read())
starts = [int(x) for x in open(starts_file)]
rnd = random.Random(int(seed))
flips = sorted(rnd.sample(range(len(data)), 400))
regions = []
for s in starts:
    e1 = data.index(b"\n", s)
    e2 = data.find(b"\n", e1 + 1)
    regions.append((max(s - 1, 0), e2 if e2 >= 0 else len(data)))
hit = sum(1 for a, b in regions if any(a <= f <= b for f in flips))
gt = sum(1 for f in flips if data[f:f + 6] == b">From ")
for f in flips:
    data[f] ^= rnd.randint(1, 255)
open(dst, "wb").write(data)
print(len(starts) - hit, len(starts) + gt)
PY
read -r low high <"$work/bounds"
run "$work/i" "$work/flip"
is "$rc" 0 "400 flipped bytes: the run ends normally (seed $SEED)"
n=$(count "$work/i")
ok "$([ "$n" -ge "$low" ] && [ "$n" -le "$high" ]; echo $?)" \
	"400 flipped bytes: $n of $total messages, within [$low, $high]"
check_index "$work/i" "flipped bytes"

# The same archive gzip'd, with 8 bytes in the second half of its
# compressed data flipped: zlib finds the damage (at the latest by the
# checksum at the end), and what came before is indexed.
python3 - "$fixture" "$work/flipgz/list.mbox.gz" "$SEED" <<'PY'
import gzip, random, sys
packed = bytearray(gzip.compress(open(sys.argv[1], "rb").read(), 6))
rnd = random.Random(int(sys.argv[3]))
for f in rnd.sample(range(len(packed) // 2, len(packed) - 8), 8):
    packed[f] ^= rnd.randint(1, 255)
open(sys.argv[2], "wb").write(packed)
PY
run "$work/i" "$work/flipgz"
is "$rc" 0 "flipped gzip data: the run ends normally"
like "$(cat "$work/err")" "cannot read '$work/flipgz/list.mbox.gz': " \
	"flipped gzip data: the damage is logged with the file"
like "$(cat "$work/err")" " at offset " "and the offset"
n=$(count "$work/i")
ok "$([ "$n" -ge "$((total / 4))" ] && [ "$n" -le "$((total + 1))" ]; echo $?)" \
	"flipped gzip data: $n of $total messages indexed from the readable part"
check_index "$work/i" "flipped gzip data"

done_testing
