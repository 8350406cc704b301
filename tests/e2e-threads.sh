#!/usr/bin/env bash
# End-to-end tests of threads, quotes and summaries with the real
# larch-index: late arrivals across runs, merges, subject fallback, the
# --thread summary, and the export fields.  TAP.
set -u
. "$(dirname "$0")/tap.sh"

LI="$LARCH_BUILD/indexer/larch-index"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
idx="$work/index"

# msg ID DATE SUBJECT BODY [HEADER...]
msg() {
	local id=$1 date=$2 subject=$3 body=$4
	shift 4
	printf 'From a@example.org Thu May 26 19:05:00 2016\n'
	printf 'From: %s <%s@example.org>\n' "${id%%@*}" "${id%%@*}"
	printf 'Date: %s\nSubject: %s\nMessage-ID: <%s>\n' "$date" \
		"$subject" "$id"
	for h in "$@"; do printf '%s\n' "$h"; done
	printf '\n%s\n\n' "$body"
}

export_field() {	# mid python-expression-on-record-r
	"$LI" --index "$idx" --export | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["mid"] == sys.argv[1]:
        print(eval(sys.argv[2]))' "$1" "$2"
}

# --- replies first, root later: one thread, kept id -----------------------
msg c1@x "Tue, 3 Jan 2023 10:00:00 +0000" "Re: budget" \
	"I agree with the budget.

On Mon, 2 Jan 2023 at 09:00, root <root@example.org> wrote:
> Here is the proposed budget for the forum." \
	"In-Reply-To: <root@x>" "References: <root@x>" >"$work/1.mbox"
msg c2@x "Tue, 3 Jan 2023 11:00:00 +0000" "Re: budget" "Me too." \
	"In-Reply-To: <c1@x>" "References: <root@x> <c1@x>" >>"$work/1.mbox"
"$LI" --index "$idx" --list forum --quiet "$work/1.mbox"
t1=$(export_field c1@x 'r["thread"]')
is "$(export_field c2@x 'r["thread"]')" "$t1" \
	"replies to a missing root share one thread"
is "$(export_field c1@x 'r["parent"]')" "root@x" \
	"the missing root is the parent (a ghost)"
is "$(export_field c2@x 'r["depth"]')" 2 "depth counts the ghost"

msg root@x "Mon, 2 Jan 2023 09:00:00 +0000" "budget" \
	"Here is the proposed budget for the forum." >"$work/2.mbox"
"$LI" --index "$idx" --list forum --quiet "$work/2.mbox"
is "$(export_field root@x 'r["thread"]')" "$t1" \
	"a late root joins the thread and the id is kept"
is "$(export_field root@x 'r["depth"]')" 0 "the root has depth 0"
is "$(export_field c1@x 'r["quotes"][0]["source"]')" "root@x" \
	"the quote is linked to the message it quotes"
is "$(export_field c1@x 'r["new_text"]')" "I agree with the budget." \
	"new text leaves out the attribution and the quote"
is "$(export_field c1@x 'r["quotes"][0]["attribution"]')" \
	"On Mon, 2 Jan 2023 at 09:00, root <root@example.org> wrote:" \
	"the quote keeps the attribution line that introduced it"
is "$(export_field c1@x 'len(r["sources"]), r["subject"]')" \
	"(1, 'Re: budget')" "relinking a message keeps its whole record"

# The same late root within one run: the reply is relinked from memory.
cat "$work/1.mbox" "$work/2.mbox" >"$work/12.mbox"
"$LI" --index "$work/idx12" --list forum --quiet "$work/12.mbox"
is "$("$LI" --index "$work/idx12" --export | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["mid"] == "c1@x":
        print(len(r["sources"]), r["subject"], r["quotes"][0]["source"])')" \
	"1 Re: budget root@x" "a reply relinked in the same run keeps its record"

# --- a late message joins two threads ---------------------------------------
msg x1@x "Wed, 4 Jan 2023 10:00:00 +0000" "Re: travel" "x1 body" \
	"In-Reply-To: <mid@x>" >"$work/3.mbox"
msg y1@x "Wed, 4 Jan 2023 11:00:00 +0000" "Re: travel" "y1 body" \
	"In-Reply-To: <top@x>" >>"$work/3.mbox"
"$LI" --index "$idx" --list forum --quiet "$work/3.mbox"
tx=$(export_field x1@x 'r["thread"]')
ty=$(export_field y1@x 'r["thread"]')
ok "$([ "$tx" != "$ty" ]; echo $?)" "two threads before the link arrives"
msg mid@x "Wed, 4 Jan 2023 09:00:00 +0000" "Re: travel" "mid body" \
	"In-Reply-To: <top@x>" "References: <top@x>" >"$work/4.mbox"
"$LI" --index "$idx" --list forum --quiet "$work/4.mbox"
is "$(export_field x1@x 'r["thread"]')" \
	"$(export_field y1@x 'r["thread"]')" "a late message merges them"
is "$(export_field x1@x 'r["depth"]')" 2 "depths follow the merge"

# --- a reused id: a reply's parent does not depend on archive order --------
msg x@x "Mon, 2 Jan 2023 09:00:00 +0000" "first" "the first message" \
	>"$work/A"
msg x@x "Mon, 6 Mar 2023 09:00:00 +0000" "Re: other" \
	"a later, different message that reused the id" \
	"In-Reply-To: <other@x>" >"$work/B"
msg r@x "Tue, 7 Mar 2023 09:00:00 +0000" "Re: other" "a reply to it" \
	"In-Reply-To: <x@x>" >"$work/R"
for order in "A B R" "A R B"; do
	rm -rf "$work/ord" && mkdir "$work/ord"
	for f in $order; do cat "$work/$f"; done >"$work/ord/x.mbox"
	"$LI" --index "$work/ord/i" --list forum --quiet "$work/ord/x.mbox" \
		2>/dev/null
	"$LI" --index "$work/ord/i" --export | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["mid"] == "r@x":
        print(r["parent"].split(".dup-")[0], ".dup-" in r["parent"])' \
		>"$work/ord-$order"
done
is "$(cat "$work/ord-A B R")" "x@x True" \
	"a reply to a reused id follows the message its date points to"
is "$(cat "$work/ord-A R B")" "$(cat "$work/ord-A B R")" \
	"whatever the archive order"

# --- subject fallback -------------------------------------------------------
msg s0@x "Thu, 5 Jan 2023 09:00:00 +0000" "[Forum] Agenda for March" \
	"Draft agenda attached." >"$work/5.mbox"
msg s1@x "Fri, 6 Jan 2023 09:00:00 +0000" "Re: [Forum] Agenda for March" \
	"Looks fine." >>"$work/5.mbox"
msg s2@x "Fri, 6 Jan 2024 09:00:00 +0000" "Re: Agenda for March" \
	"A year later, not a reply." >>"$work/5.mbox"
"$LI" --index "$idx" --list forum --quiet "$work/5.mbox"
is "$(export_field s1@x 'r["parent"]')" "s0@x" \
	"a reply-looking subject without references is linked by subject"
is "$(export_field s1@x 'r["inferred_parent"]')" True \
	"and the link is marked inferred"
is "$(export_field s2@x 'r["parent"]')" "None" \
	"not outside the window"
printf '[larch]\nsubject_fallback = false\n' >"$work/nofallback.conf"
rm -rf "$work/idx2"
"$LI" --index "$work/idx2" --config "$work/nofallback.conf" --list forum \
	--quiet "$work/5.mbox"
is "$("$LI" --index "$work/idx2" --stats --json | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["threads"])')" 3 \
	"subject fallback can be switched off"

# --- --thread summary -------------------------------------------------------
out=$("$LI" --index "$idx" --thread "<c2@x>")
like "$out" "budget" "the thread summary names the subject"
like "$out" "I agree with the budget" "and each message's summary"
"$LI" --index "$idx" --thread c2@x --json >"$work/t.json"
is "$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(t["messages"], t["root"], [i["mid"] for i in t["items"]])' \
	"$work/t.json")" "3 root@x ['root@x', 'c1@x', 'c2@x']" \
	"JSON summary with its root, in thread order"
"$LI" --index "$idx" --thread nothing@x >/dev/null 2>"$work/err"
is "$?" 1 "an unknown message id fails with 1"
like "$(cat "$work/err")" "no message <nothing@x>" "and says so"

# --- ghost parents -----------------------------------------------------------
# data/ghost-parents: Max's reply has no Message-ID, so Rita's answer to it
# names an id nobody has; Dana's message carries Vera's id, so Uma's answer
# names Dana's lost one; Sam's References end with an id of a message not
# archived after the real parent.  Quoted text shows what each answers.
# Nia's reply has no Message-ID either and one line of Max's, later than
# his: Rita quotes all of Max's, so she answers Max.  Ron answers Max's
# lost id too and quotes nothing: he goes where Rita's quotes put it.
# Gus and Gail answer a message that is really missing, as do Tom and
# Tess: those ghosts stay and hold their replies together.  The same
# parents whatever the reading order, and across two runs.
gp="$(dirname "$0")/data/ghost-parents"
gp_mbox() {	# out file...
	local out=$1 f
	shift
	: >"$out"
	for f in "$@"; do
		printf 'From a@example.org Mon Feb  6 09:00:00 2023\n' >>"$out"
		cat "$gp/$f" >>"$out"
		printf '\n' >>"$out"
	done
}
gp_summary() {	# index
	"$LI" --index "$1" --export | python3 -c '
import json, sys
recs = {}
for line in sys.stdin:
    r = json.loads(line)
    recs[r["mid"]] = r
def name(mid):
    if mid is None:
        return "-"
    if mid in recs and recs[mid]["subject"] == "Mirror schedule":
        return "D"
    if mid.endswith("@larch.invalid"):
        return "N" if recs[mid]["from"].startswith("nia@") else "M"
    return mid.split("@")[0]
out = []
for mid in ["gp-r@x", "gp-r2@x", "gp-g1@x", "gp-g2@x", "gp-s@x", "gp-t1@x", "gp-t2@x",
        "gp-u@x"]:
    r = recs[mid]
    out.append("%s:%s%s:%s" % (name(mid), name(r["parent"]),
        "*" if r["inferred_parent"] else "", r["depth"]))
    out.append(",".join(name(q["source"]) for q in r["quotes"]) or "()")
thread = {name(m): r["thread"] for m, r in recs.items()}
out.append("threads:%d" % len(set(thread.values())))
thread.pop("gp-v", None)
out.append("same:%s" % (thread["gp-g1"] == thread["gp-g2"] == thread["gp-r"]
    == thread["M"] == thread["N"] == thread["gp-r2"] == thread["gp-p"] and thread["gp-t1"] == thread["gp-t2"]
    == thread["gp-s"] == thread["gp-q"]))
print(" ".join(out))'
}
gp_files=$(cd "$gp" && ls)
gp_reversed=$(printf '%s\n' $gp_files | sort -r)
gp_mbox "$work/gp-fwd.mbox" $gp_files
"$LI" --index "$work/gp-fwd" --list forum --quiet "$work/gp-fwd.mbox"
# message:parent[* inferred]:depth, then its quotes' sources ("()": none).
gp_want="gp-r:M*:2 M gp-r2:M*:2 () gp-g1:gp-gone:2 - gp-g2:gp-gone:2 -"
gp_want="$gp_want gp-s:gp-q*:1 gp-q gp-t1:gp-del2:2 gp-q gp-t2:gp-del2:2 gp-q"
gp_want="$gp_want gp-u:D*:1 D threads:4 same:True"
is "$(gp_summary "$work/gp-fwd")" "$gp_want" \
	"ghost parents: under the message quoted, real ghosts stay"
gp_mbox "$work/gp-rev.mbox" $gp_reversed
"$LI" --index "$work/gp-rev" --list forum --quiet "$work/gp-rev.mbox"
is "$(gp_summary "$work/gp-rev")" "$gp_want" \
	"ghost parents: the same read in reverse order"
gp_mbox "$work/gp-1.mbox" 03-r.eml 04-g1.eml 07-s.eml 08-t1.eml 12-u.eml \
	10-v.eml 13-r2.eml
gp_mbox "$work/gp-2.mbox" 01-p.eml 02-m-noid.eml 05-g2.eml 06-q.eml \
	09-t2.eml 11-d-reused-id.eml 14-n-noid.eml
"$LI" --index "$work/gp-inc" --list forum --quiet "$work/gp-1.mbox"
"$LI" --index "$work/gp-inc" --list forum --quiet "$work/gp-2.mbox"
is "$(gp_summary "$work/gp-inc")" "$gp_want" \
	"ghost parents: the same when the replies came in an earlier run"
printf '[larch]\nsubject_fallback = false\n' >"$work/gp-nofallback.conf"
"$LI" --index "$work/gp-nofb" --config "$work/gp-nofallback.conf" \
	--list forum --quiet "$work/gp-fwd.mbox"
like "$(gp_summary "$work/gp-nofb")" "gp-r:gp-lost:2 M " \
	"without the subject fallback a message without an id is not made the parent (its thread still holds what the reply quotes)"

# --- References written newest first, no In-Reply-To ----------------------
# Some clients list References backwards; the dates of the messages they
# name show it.  The parent is the newest, whatever the reading order.
msg n1@x "Mon, 2 Jan 2023 09:00:00 +0000" "plan" "the plan" >"$work/n1"
msg n2@x "Tue, 3 Jan 2023 09:00:00 +0000" "Re: plan" "n2 on the plan" \
	"In-Reply-To: <n1@x>" "References: <n1@x>" >"$work/n2"
msg n3@x "Wed, 4 Jan 2023 09:00:00 +0000" "Re: plan" "n3 on n2" \
	"In-Reply-To: <n2@x>" "References: <n1@x> <n2@x>" >"$work/n3"
msg n4@x "Thu, 5 Jan 2023 09:00:00 +0000" "Re: plan" "n4 on n3" \
	"References: <n3@x> <n2@x> <n1@x>" >"$work/n4"
for order in "n1 n2 n3 n4" "n4 n1 n2 n3"; do
	rm -rf "$work/rev" && mkdir "$work/rev"
	for f in $order; do cat "$work/$f"; done >"$work/rev/x.mbox"
	"$LI" --index "$work/rev/i" --list forum --quiet "$work/rev/x.mbox"
	is "$(idx="$work/rev/i" export_field n4@x 'r["parent"], r["depth"]')" \
		"('n3@x', 3)" "backwards References, read as $order: parent n3"
done

# --- quotes of older messages of the thread --------------------------------
# data/quote-older/far.mbox: replies quoting their great-grandparent, the
# root from four levels down, and a message of another branch.
older="$(dirname "$0")/data/quote-older"
sources() {	# index: "mid:source,source" for each message with quotes
	"$LI" --index "$1" --export | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["quotes"]:
        print(r["mid"] + ":" + ",".join(str(q["source"]) for q in r["quotes"]))' |
		sort | tr '\n' ' '
}
"$LI" --index "$work/far" --list forum --quiet "$older/far.mbox"
is "$(sources "$work/far")" \
	"q-ggp@x:m2@x q-root@x:m1@x q-sib@x:m2@x " \
	"a quote of an older message of the thread finds its source"
# root.mbox, replies.mbox: m3 quotes m2 and, nested, m1.  The root read
# last (same run or next) links the grandchild's nested quote too.
cat "$older/root.mbox" "$older/replies.mbox" >"$work/older-in-order.mbox"
cat "$older/replies.mbox" "$older/root.mbox" >"$work/older-late.mbox"
"$LI" --index "$work/o1" --list forum --quiet "$work/older-in-order.mbox"
"$LI" --index "$work/o2" --list forum --quiet "$work/older-late.mbox"
"$LI" --index "$work/o3" --list forum --quiet "$older/replies.mbox"
"$LI" --index "$work/o3" --list forum --quiet "$older/root.mbox"
is "$(sources "$work/o1")" "m2@x:m1@x m3@x:m2@x,m1@x " \
	"nested quotes linked to parent and grandparent"
is "$(sources "$work/o2")" "$(sources "$work/o1")" \
	"the same when the root comes last in the run"
is "$(sources "$work/o3")" "$(sources "$work/o1")" \
	"the same when the root comes in a later run"

# --- the sample archive -----------------------------------------------------
sample="$(dirname "$0")/../sample"
rm -rf "$idx"
"$LI" --index "$idx" --quiet "$sample/pipermail" "$sample/mbox"
threads=$("$LI" --index "$idx" --stats --json | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["threads"])')
want=$(python3 -c '
import json, sys
roots = {json.loads(l)["thread"] for l in open(sys.argv[1])}
print(len(roots))' "$sample/truth.jsonl")
is "$threads" "$want" "sample: as many threads as the truth has"
"$LI" --index "$idx" --export >"$work/export"
python3 - "$work/export" >"$work/keys" <<'PY'
import json, sys
need = {"thread", "parent", "depth", "inferred_parent", "new_text",
        "summary", "quotes", "signature", "footer"}
bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if need - r.keys() or r["thread"] is None:
        bad += 1
    for q in r["quotes"]:
        if not {"text", "source", "attribution"} <= set(q):
            bad += 1
print("ok" if bad == 0 else f"{bad} bad records")
PY
is "$(cat "$work/keys")" "ok" "every export record has the thread and quote fields"

done_testing
