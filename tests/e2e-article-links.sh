#!/usr/bin/env bash
# End-to-end: citing a message by its pipermail article page.  The HTML
# fixture month and its .txt archive are indexed, larchd serves them, and
# THREAD, SHOW, RAW and SUMMARY are asked by full URL, by path and by the
# "YYYY-Month/NNNNNN.html" tail (also in a quarterly volume's folder);
# SHOW names the pages; with the errors for an index page (504)
# and a page that shows nothing (430).  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
LD="$LARCH_BUILD/daemon/larchd"
LC="$LARCH_BUILD/client/larch"
work=$(mktemp -d)
dpid=
trap '[ -n "$dpid" ] && kill "$dpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
sock="$work/larchd.sock"
lc() { "$LC" --connect "unix:$sock" "$@"; }

# A page made without the mailto link: its author is a name only.
mkdir -p "$work/extra/testlist/2016-June"
python3 -c '
import re, sys
page = open(sys.argv[1], "rb").read()
page = re.sub(rb"<A HREF=\"mailto:[^\"]*\"\s+TITLE=\"[^\"]*\">([^<]*)</A>",
              rb"\1", page, count=1, flags=re.S)
page = re.sub(rb"<LINK REL=\"made\"[^>]*>", b"", page, flags=re.S)
# Text of its own, so that it is not a copy of the archived message.
page = page.replace(b"<!--beginarticle-->\n<PRE>",
                    b"<!--beginarticle-->\n<PRE>Only on this page.\n", 1)
open(sys.argv[2], "wb").write(page)' \
	"$LARCH_TEST_DATA/pipermail-html/policy-forum/2016-May/000001.html" \
	"$work/extra/testlist/2016-June/000007.html"
# A page of an archive in quarterly volumes (archive_volume_frequency 2).
mkdir -p "$work/extra/testlist/2016q2"
sed 's|<!--beginarticle-->|&\nOnly in a quarter.|; s|HREF="mailto:[^"]*"|HREF="mailto:q%40example.org"|' \
	"$work/extra/testlist/2016-June/000007.html" \
	>"$work/extra/testlist/2016q2/000009.html"
"$LI" --index "$work/index" --quiet "$LARCH_TEST_DATA/pipermail-html" \
	"$work/extra" >"$work/index.log" 2>&1
ok $? "the HTML month and its text archive are indexed"
"$LD" --foreground --index "$work/index" --listen "unix:$sock" \
	2>"$work/larchd.log" &
dpid=$!
for _ in $(seq 100); do
	[ -S "$sock" ] && break
	sleep 0.1
done

root=20160526170500.GA1234@example.org
url=https://lists.example.org/pipermail/policy-forum/2016-May/000000.html
got=$(lc show "$url" | grep '^Message-ID:')
is "$got" "Message-ID: <$root>" "SHOW by article URL"
got=$(lc show "/var/lib/mailman/archives/public/policy-forum/2016-May/000000.html" | grep '^Message-ID:')
is "$got" "Message-ID: <$root>" "SHOW by archive path"
got=$(lc --json show 2016-May/000000.html | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["headers"]["message_id"])' 2>&1)
like "$got" "$root" "SHOW by month/page tail, JSON"
got=$(lc show https://h.example/pipermail/testlist/2016q2/000009.html | grep -c 'Only in a quarter')
is "$got" 1 "SHOW by the URL of a page in a quarterly volume's folder"

# The page's list folder may differ from the list's name in the index.
got=$(lc show https://x.example/pipermail/another-name/2016-May/000000.html | grep '^Message-ID:')
is "$got" "Message-ID: <$root>" "a page under another list folder still finds its message"

# Which page shows a message, to cite it: SHOW says, and takes it back.
got=$(lc show "$root" | grep '^Archived-At:')
is "$got" "Archived-At: policy-forum/2016-May/000000.html" \
	"SHOW names the message's page"
got=$(lc --json show "$root" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["articles"])')
is "$got" "['policy-forum/2016-May/000000.html']" "and so does its JSON"
got=$(lc show policy-forum/2016-May/000000.html | grep '^Message-ID:')
is "$got" "Message-ID: <$root>" "SHOW by that list/month/page tail"

n=$(lc thread 2016-May/000001.html | wc -l)
want=$(lc thread "$root" | wc -l)
is "$n" "$want" "THREAD by a reply's page gives the whole thread"
ok $([ "$n" -ge 2 ]; echo $?) "the thread has its replies ($n messages)"
lc summary "$url" >"$work/summary" 2>&1
ok $? "SUMMARY by article URL"
lc raw "$url" >"$work/raw" 2>&1
like "$(grep -m1 '^Message-ID:' "$work/raw")" "$root" "RAW by article URL gives the message's own bytes"

err=$(lc show https://x.example/pipermail/policy-forum/2016-May/date.html 2>&1)
is "$?" 2 "an index page is a usage error (exit 2)"
like "$err" "504" "an index page is answered 504"
like "$err" "index page" "and the reason says what it is"
err=$(lc show 2016-May/009999.html 2>&1)
is "$?" 1 "a page that shows no message: nothing found (exit 1)"
like "$err" "430" "and the daemon answered 430"
got=$(lc show testlist/2016-June/000007.html | grep '^From:')
case "$got" in
*"<>"*) ok 1 "SHOW of a page that names its author only: no empty '<>' ($got)" ;;
"From: "?*) ok 0 "SHOW of a page that names its author only: no empty '<>'" ;;
*) ok 1 "SHOW of a page that names its author only: a From line ($got)" ;;
esac

done_testing
