/*
 * Tests for the query layer (lib/store_search.cc): each field and operator
 * with messages that must match and messages that must not, sorting,
 * paging, one row per thread, quoted text, hidden lists, thread rows and
 * list figures.  One small index is built once in a temporary directory.
 */
#include <string.h>
#include <glib/gstdio.h>

#include "larch/search.h"
#include "larch/store.h"
#include "test-search-util.h"
#include "test-util.h"

static char *tmp_dir;
static char *index_dir;
static struct larch_store *reader;

/* The fixture: a policy list and a private drafting list. */
struct fixture_msg {
	const char *mid;
	const char *list;
	const char *also;	/* cross-posted to, or NULL */
	const char *date;	/* ISO 8601 UTC */
	const char *from;
	const char *from_name;
	const char *to;
	const char *subject;
	const char *new_text;
	const char *quote;	/* quoted text, or NULL */
	const char *thread;
	const char *parent;	/* NULL for a root */
	const char *attachment;	/* file name, or NULL */
	bool from_is_list;	/* "from" is the list's: it rewrote From */
};

static const struct fixture_msg msgs[] = {
	{ "root1@x", "mag", NULL, "2016-05-26T19:05:00Z", "markus@example.org",
	    "Markus Kummer", "mag@example.org", "Best practice forums",
	    "We should start the best practice forums on cybersecurity.",
	    NULL, "root1@x", NULL, NULL },
	{ "reply1@x", "mag", NULL, "2016-05-27T08:00:00Z", "ann@example.org",
	    "Ann Smith", "mag@example.org", "Re: Best practice forums",
	    "Agreed, and gender too.",
	    "We should start the best practice forums on cybersecurity.",
	    "root1@x", "root1@x", NULL },
	{ "reply2@x", "mag", NULL, "2016-06-02T10:00:00Z", "bob@example.net",
	    "Bob Jones", "mag@example.org", "Re: Best practice forums",
	    "I attach the draft charter for the policies.", NULL, "root1@x",
	    "reply1@x", "charter-draft_smb3.1.1.pdf" },
	{ "root2@x", "mag", NULL, "2017-01-15T12:00:00Z", "ann@example.org",
	    "Ann Smith", "mag@example.org", "Meeting dates 2017",
	    "The open consultations will be in Geneva.  Pasted: "
	    "talloc_free(); ldap://dc1.example.org/ (don't use C++ or "
	    "AT&T 1.2.3, fish+chips)", NULL, "root2@x",
	    NULL, NULL },
	{ "secret1@x", "drafting", "mag", "2016-05-28T09:00:00Z",
	    "carol@example.com", "Carol", "drafting@example.org",
	    "Confidential draft", "The cybersecurity draft is confidential.",
	    NULL, "root1@x", "root1@x", NULL },
	{ "secret2@x", "drafting", NULL, "2016-07-01T09:00:00Z",
	    "carol@example.com", "Carol", "drafting@example.org",
	    "Internal only", "Nobody outside may read this.", NULL,
	    "secret2@x", NULL, NULL },
	{ "accent1@x", "mag", NULL, "2018-04-04T04:04:04Z", "zoe@example.fr",
	    "Zoé Müller", "mag@example.org", "Réunion à Genève",
	    "Le café de la réunion est à Zürich. L’ordre du jour "
	    "d'aujourd'hui: la Straße et le λόγος, une œuvre.", NULL,
	    "accent1@x", NULL,
	    NULL },
	{ "cjk1@x", "mag", NULL, "2018-03-03T03:03:03Z", "li@example.cn",
	    "Li Wei", "mag@example.org", "互联网治理论坛",
	    "我们讨论互联网治理的最佳实践。\n\n本次会议由多个国家的代表参加，"
	    "会议讨论了网络安全、数字经济、人工智能伦理以及数据保护等议题，"
	    "各方代表充分交换了意见，并同意在下次会议之前提交书面建议。"
	    "多利益相关方模式是这一进程的核心原则之一。", NULL, "cjk1@x",
	    NULL, NULL },
	/* Ann again, through a list that rewrote her From, and someone the
	 * index knows no address of. */
	{ "via1@x", "bpf", NULL, "2019-02-02T02:02:02Z", "bpf@example.org",
	    "ANN  Smith", "bpf@example.org", "Quokka plan",
	    "The quokka plan text.", NULL, "via1@x", NULL, NULL, true },
	{ "via2@x", "bpf", NULL, "2019-02-03T02:02:02Z", "bpf@example.org",
	    "Dana Roe", "bpf@example.org", "Re: Quokka plan",
	    "Quokka, yes.", NULL, "via1@x", "via1@x", NULL, true },
};

static int64_t
iso_to_unix(const char *iso)
{
	GDateTime *t = g_date_time_new_from_iso8601(iso, NULL);
	int64_t v;

	g_assert_nonnull(t);
	v = g_date_time_to_unix(t);
	g_date_time_unref(t);
	return v;
}

static struct larch_msg *
build_msg(const struct fixture_msg *f)
{
	struct larch_msg *m = larch_msg_new();

	m->mid = g_strdup(f->mid);
	m->header_mid = g_strdup(f->mid);
	m->list = g_strdup(f->list);
	if (f->also != NULL)
		larch_msg_add_list(m, f->also);
	m->date = iso_to_unix(f->date);
	m->from_addr = g_strdup(f->from);
	m->from_name = g_strdup(f->from_name);
	m->from_is_list = f->from_is_list;
	m->to = g_strdup(f->to);
	/* One message is copied to addresses whose words, mixed, make
	 * another address. */
	if (strcmp(f->mid, "reply2@x") == 0)
		m->cc = g_strdup("Kernel Team <team@kernel.org>, "
		    "\"Bo, B.\" <b@collabora.com>");
	m->subject = g_strdup(f->subject);
	m->body = g_strdup(f->new_text);
	m->new_text = g_strdup(f->new_text);
	m->summary = g_strdup(f->new_text);
	if (f->quote != NULL)
		larch_msg_add_quote(m, f->quote, 1, f->parent)->attribution =
		    g_strdup(strcmp(f->mid, "reply1@x") == 0 ?
		    "On Thu, 26 May 2016, Markus Kummer wrote:" : NULL);
	m->thread = g_strdup(f->thread);
	m->parent = g_strdup(f->parent);
	m->depth = f->parent == NULL ? 0 :
	    strcmp(f->parent, f->thread) == 0 ? 1 : 2;
	if (f->parent != NULL)
		m->in_reply_to = g_strdup(f->parent);
	if (f->attachment != NULL) {
		struct larch_attachment *a = g_new0(struct larch_attachment, 1);

		a->filename = g_strdup(f->attachment);
		a->content_type = g_strdup("application/pdf");
		a->size = 1234;
		g_ptr_array_add(m->attachments, a);
	}
	return m;
}

/* Writes an index at dir holding the n fixture messages f. */
static void
write_index(const char *dir, const struct fixture_msg *f, size_t n)
{
	struct larch_store *w = NULL;

	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &w), ==,
	    LARCH_OK);
	for (size_t i = 0; i < n; i++) {
		struct larch_msg *m = build_msg(&f[i]);
		struct larch_store_doc *doc = NULL;

		g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
		g_assert_cmpint(larch_store_put(w, doc), ==, LARCH_OK);
		larch_msg_free(m);
	}
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
}

static void
build_index(void)
{
	GError *err = NULL;

	tmp_dir = g_dir_make_tmp("larch-search-XXXXXX", &err);
	g_assert_no_error(err);
	index_dir = g_build_filename(tmp_dir, "index", NULL);
	write_index(index_dir, msgs, G_N_ELEMENTS(msgs));
	g_assert_cmpint(larch_store_open(index_dir, LARCH_STORE_READ,
	    &reader), ==, LARCH_OK);
}

/* The mids of a search in store, sorted (relevance order is not the
 * point here) and joined by spaces; caller frees. */
static char *
found_in(struct larch_store *store, const char *query,
    const struct larch_search_opts *given)
{
	struct larch_search_opts o = { .limit = 100 };

	if (given != NULL)
		o = *given;
	return test_search_mids(store, query, &o, NULL);
}

static char *
found(const char *query, const struct larch_search_opts *given)
{
	return found_in(reader, query, given);
}

static const char *const private_lists[] = { "drafting", NULL };

/* Each row: a query, the mids it must find (sorted), and whether the
 * private list is hidden. */
static const struct {
	const char *query;
	const char *want;
	bool hide;
	bool quotes;
} field_cases[] = {
	/* free text: new text and subject, stemmed, not quotes */
	{ "cybersecurity", "root1@x secret1@x", false, false },
	{ "cybersecurity", "reply1@x root1@x secret1@x", false, true },
	/* an attribution line is searched with the quote it introduces */
	{ "\"kummer wrote\"", "", false, false },
	{ "\"kummer wrote\"", "reply1@x", false, true },
	{ "policy", "reply2@x", false, false },	/* "policies" stems */
	{ "forums", "reply1@x reply2@x root1@x", false, false },
	{ "nosuchword", "", false, false },
	/* phrases, NEAR, wildcards, booleans */
	{ "\"best practice forums\"", "reply1@x reply2@x root1@x", false,
	    false },
	{ "\"forums practice\"", "", false, false },
	{ "start NEAR cybersecurity", "root1@x", true, false },
	{ "consult*", "root2@x", false, false },
	/* text pasted from code and URLs of any scheme */
	{ "talloc_free()", "root2@x", false, false },
	{ "talloc_free() geneva", "root2@x", false, false },
	{ "talloc_free() forums", "", false, false },
	{ "ldap://dc1.example.org", "root2@x", false, false },
	{ "ldap://dc2.example.org", "", false, false },
	{ "gender OR geneva", "reply1@x root2@x", false, false },
	{ "forums AND charter", "reply2@x", false, false },
	{ "forums NOT charter", "reply1@x root1@x", false, false },
	{ "forums -charter", "reply1@x root1@x", false, false },
	{ "(gender OR charter) AND agreed", "reply1@x", false, false },
	/* fields */
	{ "from:ann", "reply1@x root2@x via1@x", false, false },
	/* via1@x is Ann's, through a list that rewrote her From: found by
	 * the name her own messages give, whatever its case and blanks. */
	{ "from:ann@example.org", "reply1@x root2@x via1@x", false, false },
	/* pasted from a pipermail page */
	{ "from:\"ann at example.org\"", "reply1@x root2@x via1@x", false,
	    false },
	{ "to:\"mag at example.org\" from:\"ann at example.org\"",
	    "reply1@x root2@x", false, false },
	{ "from:\"ann at example\"", "", false, false },
	{ "from:bpf@example.org", "via1@x via2@x", false, false },
	{ "from:dana@example.org", "", false, false },
	{ "from:\"dana roe\"", "via2@x", false, false },
	{ "from:\"bob jones\"", "reply2@x", false, false },
	/* a quoted name is a phrase: its words in this order */
	{ "from:\"jones bob\"", "", false, false },
	{ "from:\"smith ann\"", "", false, false },
	{ "from:\"ann smith\" date:2017", "root2@x", false, false },
	{ "from:\"markus kummer\" OR from:\"zoe muller\"",
	    "accent1@x root1@x", false, false },
	{ "from:markus", "root1@x", false, false },
	{ "from:<ANN@Example.org>", "reply1@x root2@x via1@x", false, false },
	{ "from:example.org", "reply1@x root1@x root2@x via1@x via2@x", false,
	    false },
	{ "from:mark*", "root1@x", false, false },
	{ "from:ann from:smith", "reply1@x root2@x via1@x", false, false },
	{ "from:ann from:bob", "", false, false },
	{ "to:drafting", "secret1@x secret2@x", false, false },
	{ "to:drafting@example.org", "secret1@x secret2@x", false, false },
	{ "to:\"drafting@example.org\"", "secret1@x secret2@x", false,
	    false },
	{ "to:nobody@example.org", "", false, false },
	{ "cc:b@collabora.com", "reply2@x", false, false },
	{ "cc:<TEAM@kernel.org>", "reply2@x", false, false },
	{ "cc:kernel@collabora.com", "", false, false },
	{ "cc:kernel cc:collabora.com", "reply2@x", false, false },
	{ "to:b@collabora.com", "", false, false },
	{ "to:drafting to:carol", "", false, false },	/* both */
	{ "list:drafting list:nosuch", "secret1@x secret2@x", false, false },
	/* list names in any case, still hidden when hidden */
	{ "list:DRAFTING", "secret1@x secret2@x", false, false },
	{ "list:Drafting", "", true, false },
	{ "list:BPF", "via1@x via2@x", false, false },
	{ "is:root is:reply", "", false, false },
	{ "to:mag", "accent1@x cjk1@x reply1@x reply2@x root1@x root2@x", false,
	    false },
	{ "subject:meeting", "root2@x", false, false },
	{ "subject:cybersecurity", "", false, false },
	{ "list:drafting", "secret1@x secret2@x", false, false },
	{ "list:mag subject:confidential", "secret1@x", false, false },
	{ "mid:reply2@x", "reply2@x", false, false },
	{ "mid:<reply2@x>", "reply2@x", false, false },
	{ "thread:root1@x", "reply1@x reply2@x root1@x secret1@x", false,
	    false },
	{ "thread:reply2@x", "reply1@x reply2@x root1@x secret1@x", false,
	    false },
	{ "has:attachment", "reply2@x", false, false },
	{ "filename:charter", "reply2@x", false, false },
	/* words joined by '_', digits by '.', and the whole name */
	{ "filename:draft", "reply2@x", false, false },
	{ "filename:smb3", "reply2@x", false, false },
	{ "filename:draft_smb3.1.1", "reply2@x", false, false },
	{ "filename:\"draft smb3\"", "reply2@x", false, false },
	{ "filename:smb4", "", false, false },
	{ "is:root list:mag", "accent1@x cjk1@x root1@x root2@x", false,
	    false },
	{ "is:reply", "reply1@x reply2@x secret1@x via2@x", false, false },
	{ "date:2016", "reply1@x reply2@x root1@x secret1@x secret2@x",
	    false, false },
	{ "date:2016-05", "reply1@x root1@x secret1@x", false, false },
	{ "date:2016-05-27", "reply1@x", false, false },
	{ "date:2016-06..2017-01", "reply2@x root2@x secret2@x", false,
	    false },
	{ "date:2016-05-27..2017-01-15",
	    "reply1@x reply2@x root2@x secret1@x secret2@x", false, false },
	{ "date:2016-05-28..2016-06-01", "secret1@x", false, false },
	{ "date:1990..1999", "", false, false },
	/* Ends of different lengths: each end is whole. */
	{ "date:2016-05-27..2016-05", "reply1@x secret1@x", false, false },
	{ "date:2016-06..2016", "reply2@x secret2@x", false, false },
	{ "date:2017..", "accent1@x cjk1@x root2@x via1@x via2@x", false,
	    false },
	{ "date:..2016-05-26", "root1@x", false, false },
	{ "date:2016 from:ann", "reply1@x", false, false },
	/* A field before date: narrows it too (Xapian's range processor
	 * ORed them), in either order, with words, repeated dates either. */
	{ "from:ann date:2016", "reply1@x", false, false },
	{ "is:root date:2016", "root1@x secret2@x", false, false },
	{ "date:2016 is:root", "root1@x secret2@x", false, false },
	{ "is:root list:mag date:2017..", "accent1@x cjk1@x root2@x", false,
	    false },
	{ "has:attachment date:2017", "", false, false },
	{ "to:mag date:..2016-05-26", "root1@x", false, false },
	{ "cc:kernel date:2016", "reply2@x", false, false },
	{ "forums is:reply date:2016-05", "reply1@x", false, false },
	{ "is:root date:2016-05 OR is:root date:2018-04",
	    "accent1@x root1@x", false, false },
	{ "date:2016-05 date:2018", "accent1@x cjk1@x reply1@x root1@x "
	    "secret1@x", false, false },
	{ "from:ann NOT date:2016", "root2@x via1@x", false, false },
	{ "forums -date:2016-05", "reply2@x", false, false },
	/* Only excluded operands: every message but those (Xapian found
	 * the ones containing them), hidden lists still hidden; after OR
	 * an excluded word starts a run of its own. */
	{ "-charter", "accent1@x cjk1@x reply1@x root1@x root2@x secret1@x "
	    "secret2@x via1@x via2@x", false, false },
	{ "-charter", "accent1@x cjk1@x reply1@x root1@x root2@x via1@x "
	    "via2@x", true, false },
	{ "-list:mag", "secret2@x via1@x via2@x", false, false },
	{ "-list:mag -list:drafting", "via1@x via2@x", false, false },
	{ "quokka OR -list:mag", "secret2@x via1@x via2@x", false, false },
	{ "gender OR -forums geneva", "reply1@x root2@x", false, false },
	{ "NOT -charter", "reply2@x", false, false },
	/* Words side by side bind tighter than any operator: a leading
	 * NOT, or one between words, takes the whole run after it. */
	{ "NOT forums gender", "accent1@x cjk1@x reply2@x root1@x root2@x "
	    "secret1@x secret2@x via1@x via2@x", false, false },
	{ "-forums gender", "", false, false },
	{ "(NOT forums) gender", "", false, false },
	{ "(NOT charter) forums", "reply1@x root1@x", false, false },
	{ "forums NOT charter policy", "reply1@x root1@x", false, false },
	{ "forums NOT charter gender", "reply1@x reply2@x root1@x", false,
	    false },
	{ "geneva forums OR gender", "reply1@x", false, false },
	/* A NEAR chain beside other words (Xapian read NEAR as a word). */
	{ "start NEAR cybersecurity forums", "root1@x", false, false },
	{ "forums start NEAR cybersecurity", "root1@x", false, false },
	{ "forums +date:2016-05 -is:root", "reply1@x", false, false },
	/* accents fold both ways, also full-width forms */
	{ "cafe", "accent1@x", false, false },
	{ "café", "accent1@x", false, false },
	{ "zurich", "accent1@x", false, false },
	{ "ＺＵＲＩＣＨ", "accent1@x", false, false },
	{ "subject:geneve", "accent1@x", false, false },
	{ "from:zoe", "accent1@x", false, false },
	{ "from:\"zoe muller\"", "accent1@x", false, false },
	{ "\"reunion est a zurich\"", "accent1@x", false, false },
	/* Elided articles are dropped, typed or not; ß is ss; final
	 * sigma is sigma */
	{ "ordre", "accent1@x", false, false },
	{ "l'ordre", "accent1@x", false, false },
	{ "L’ORDRE", "accent1@x", false, false },
	{ "Ｌ’ＯＲＤＲＥ", "accent1@x", false, false },
	{ "\"zurich l'ordre du jour\"", "accent1@x", false, false },
	{ "d'ordre", "accent1@x", false, false },
	{ "aujourd'hui", "accent1@x", false, false },
	{ "hui", "", false, false },
	{ "strasse", "accent1@x", false, false },
	{ "STRAßE", "accent1@x", false, false },
	{ "ΛΟΓΟΣ", "accent1@x", false, false },
	{ "λογος", "accent1@x", false, false },
	{ "oeuvre", "accent1@x", false, false },
	{ "ŒUVRE", "accent1@x", false, false },
	/* CJK words */
	{ "治理", "cjk1@x", false, false },
	{ "论坛", "cjk1@x", false, false },
	/* CJK phrases: the characters in this order, adjacent; a two- and
	 * a one-character phrase, in the subject and mixed with Latin */
	{ "\"互联网治理\"", "cjk1@x", false, false },
	{ "\"最佳实践\"", "cjk1@x", false, false },
	{ "\"治理\"", "cjk1@x", false, false },
	{ "\"治\"", "cjk1@x", false, false },
	{ "subject:\"治理论坛\"", "cjk1@x", false, false },
	{ "\"Li 互联网\"", "", false, false },
	{ "\"治理互联网\"", "", false, false },
	{ "\"互联治理\"", "", false, false },
	{ "\"论坛治理\"", "", false, false },
	{ "subject:\"讨论\"", "", false, false },
	/* hidden lists: never seen, also not when cross-posted */
	{ "cybersecurity", "root1@x", true, false },
	{ "list:drafting", "", true, false },
	{ "carol", "", true, false },
	{ "thread:root1@x", "reply1@x reply2@x root1@x", true, false },
	{ "list:mag subject:confidential", "", true, false },
};

static void
test_fields(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(field_cases); i++) {
		struct larch_search_opts o = { .limit = 100 };
		char *got;

		o.quotes = field_cases[i].quotes;
		if (field_cases[i].hide)
			o.hidden_lists = private_lists;
		got = found(field_cases[i].query, &o);
		if (strcmp(got, field_cases[i].want) != 0)
			g_error("query '%s'%s%s: got '%s', want '%s'",
			    field_cases[i].query,
			    field_cases[i].hide ? " (hidden)" : "",
			    field_cases[i].quotes ? " (quotes)" : "", got,
			    field_cases[i].want);
		g_free(got);
	}
}

static const struct {
	const char *query;
	const char *reason;	/* a word the error must contain */
	size_t offset;
} bad_queries[] = {
	{ "", "empty", 0 },
	{ "   ", "empty", 0 },
	{ "\"best practice", "quote", 0 },
	{ "a (b OR c", "never closed", 2 },
	{ "a b)", "without", 3 },
	{ "form:ann", "unknown field", 0 },
	{ "from: ann", "needs a value", 0 },
	{ "date:2016-13", "bad date", 5 },
	{ "date:2016-02-30", "bad date", 5 },
	{ "date:9999", "years 1900-2199", 5 },
	{ "date:1899..2016", "1900-2199", 5 },
	{ "date:2017..2016", "ends before", 5 },
	{ "date:2017-02..2017-01", "ends before", 5 },
	{ "date:2017..2016-12-31", "ends before", 5 },
	{ "is:sent", "is:", 3 },
	{ "has:pdf", "has:", 4 },
	{ "forums AND", "after it", 7 },
	{ "OR forums", "before it", 0 },
	{ "a AND OR b", "before it", 6 },
	{ "()", "empty", 1 },
	{ "x () y", "empty", 3 },
	{ "x( )", "empty", 3 },
	/* folding makes syntax, so it is checked after folding, and the
	 * offset is the one in the text as typed */
	{ "café AND", "after it", 6 },
	{ "ai\xef\xbc\x9as:root", "unknown field", 0 },	/* U+FF1A colon */
	{ "\xef\xbc\x88" "a OR b", "never closed", 0 },	/* U+FF08 paren */
	{ "x \xef\xbc\xa1\xef\xbc\xae\xef\xbc\xa4", "after it", 2 },
	/* A field after '+', '-' or punctuation Xapian skips is checked as
	 * without them: these reached the date processor, whose exception
	 * aborted the process inside Xapian's parser. */
	{ "+date:abc", "bad date", 6 },
	{ "-date:abc", "bad date", 6 },
	{ "(+date:abc)", "bad date", 7 },
	{ "forums OR +date:abc", "bad date", 16 },
	{ "-date:abc forums", "bad date", 6 },
	{ "!date:abc", "bad date", 6 },
	{ "+date:2016-13", "bad date", 6 },
	{ "+date:..", "start or an end", 6 },
	{ "forums -date:2016-5", "bad date", 13 },
	{ "x -date:2016..2015", "ends before", 8 },
	{ "+date:", "needs a value", 1 },
	{ "+foo:bar", "unknown field", 1 },
	{ "-is:foo", "is:", 4 },
	{ "+has:x", "has:", 5 },
	/* Xapian read these as nothing, or NEAR as a word */
	{ "*", "wildcard", 0 },
	{ "a*b", "ends a word", 1 },
	{ "!", "nothing to search", 0 },
	{ "\"\"", "empty phrase", 0 },
	{ "forums AND \"\"", "empty phrase", 11 },
	{ "subject:!", "needs a word", 8 },
	{ "list:\"\"", "needs a value", 5 },
	{ "x -OR y", "not before", 2 },
	{ "forums NEAR/0 plan", "distance", 7 },
	{ "forums NEAR/x plan", "distance", 7 },
	{ "polic* NEAR forums", "wildcard", 0 },
	{ "forums NEAR polic*", "wildcard", 12 },
	{ "\"best practice\" NEAR forums", "phrase", 0 },
	{ "(a OR b) NEAR c", "group", 0 },
	{ "from:ann NEAR forums", "field", 0 },
	{ "a NEAR (b)", "group", 7 },
	{ "a NEAR -b", "no '-'", 7 },
	{ "a NEAR NOT b", "NOT", 7 },
	{ "a NEAR b ADJ c", "one operator", 9 },
	{ "e-mail NEAR x", "several words", 0 },
	{ "subject:policy ADJ consultation", "one field", 19 },
	{ "forums NEAR subject:plan", "one field", 12 },
	{ "subject:a NEAR subject:b NEAR c", "one field", 30 },
	{ "filename:a NEAR subject:b", "one field", 16 },
	/* A '*' Xapian would match nothing with, and too many of them. */
	{ "\"polic* forum\"", "cannot go in it", 0 },
	{ "subject:\"polic* forum\"", "cannot go in it", 8 },
	{ "from:ann@*", "address is matched whole", 9 },
	{ "from:*@example.org", "address is matched whole", 5 },
	{ "from:@example.org", "domain alone", 5 },
	{ "list:rep*", "matched whole", 8 },
	{ "mid:x*", "matched whole", 5 },
	{ "thread:t*", "matched whole", 8 },
	{ "subject:*forum", "ends a word", 8 },
	{ "a* b* c* d* e* f* g* h* i* j* k*", "more than 10 wildcards",
	  31 },
	{ "a* OR subject:b* OR c* d* e* f* g* h* i* j* k*", "more than 10",
	  45 },
};

static void
test_bad_queries(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bad_queries); i++) {
		struct larch_search_opts o = { .limit = 10 };
		struct larch_search_result *r = NULL;
		char *want_prefix = g_strdup_printf("%zu: ",
		    bad_queries[i].offset);
		const char *e;

		g_assert_cmpint(larch_store_search(reader,
		    bad_queries[i].query, &o, &r), ==, LARCH_ERR_PARSE);
		g_assert_null(r);
		e = larch_store_error(reader);
		if (!g_str_has_prefix(e, want_prefix) ||
		    strstr(e, bad_queries[i].reason) == NULL)
			g_error("query '%s': error '%s', want '%s...%s'",
			    bad_queries[i].query, e, want_prefix,
			    bad_queries[i].reason);
		g_free(want_prefix);
	}
}

static void
test_sort_and_paging(void)
{
	struct larch_search_opts o = { .limit = 2, .sort = LARCH_SORT_NEWEST };
	struct larch_search_result *r = NULL;
	char *got;

	got = found("list:mag", &o);
	g_assert_cmpstr(got, ==, "accent1@x cjk1@x");
	g_free(got);
	o.offset = 2;
	got = found("list:mag", &o);
	g_assert_cmpstr(got, ==, "root2@x reply2@x");
	g_free(got);
	o.offset = 0;
	o.sort = LARCH_SORT_OLDEST;
	got = found("list:mag", &o);
	g_assert_cmpstr(got, ==, "root1@x reply1@x");
	g_free(got);

	g_assert_cmpint(larch_store_search(reader, "list:mag", &o, &r), ==,
	    LARCH_OK);
	g_assert_cmpuint(r->total, ==, 7);
	g_assert_true(r->total_exact);
	g_assert_cmpint(r->rows[0].score, ==, -1);
	g_assert_cmpstr(r->rows[0].from_name, ==, "Markus Kummer");
	g_assert_cmpstr(r->rows[0].subject, ==, "Best practice forums");
	g_assert_cmpstr(r->rows[0].list, ==, "mag");
	g_assert_cmpstr(r->rows[0].thread, ==, "root1@x");
	g_assert_cmpstr(r->rows[0].parent, ==, "");
	g_assert_cmpint(r->rows[0].date, ==, iso_to_unix(msgs[0].date));
	g_assert_cmpuint(r->rows[0].messages, ==, 4);
	larch_search_result_free(r);

	/* past the end: no rows, the total still counted */
	o.offset = 50;
	g_assert_cmpint(larch_store_search(reader, "list:mag", &o, &r), ==,
	    LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 0);
	g_assert_cmpuint(r->total, ==, 7);
	larch_search_result_free(r);
}

/* skip_thread_sizes leaves messages 0 and every other field as it was;
 * rows come in newest-first order, against the docid order values are
 * read in. */
static void
test_skip_thread_sizes(void)
{
	struct larch_search_opts o = { .limit = 10,
	    .sort = LARCH_SORT_NEWEST };
	struct larch_search_result *full = NULL, *bare = NULL;

	g_assert_cmpint(larch_store_search(reader, "list:mag", &o, &full), ==,
	    LARCH_OK);
	o.skip_thread_sizes = true;
	g_assert_cmpint(larch_store_search(reader, "list:mag", &o, &bare), ==,
	    LARCH_OK);
	g_assert_cmpuint(full->n_rows, ==, 7);
	g_assert_cmpuint(bare->n_rows, ==, full->n_rows);
	g_assert_cmpuint(bare->total, ==, full->total);
	for (unsigned i = 0; i < full->n_rows; i++) {
		const struct larch_search_row *a = &full->rows[i];
		const struct larch_search_row *b = &bare->rows[i];

		g_assert_cmpstr(a->mid, ==, b->mid);
		g_assert_cmpstr(a->thread, ==, b->thread);
		g_assert_cmpstr(a->parent, ==, b->parent);
		g_assert_cmpstr(a->list, ==, b->list);
		g_assert_cmpstr(a->from, ==, b->from);
		g_assert_cmpstr(a->from_name, ==, b->from_name);
		g_assert_cmpstr(a->subject, ==, b->subject);
		g_assert_cmpstr(a->summary, ==, b->summary);
		g_assert_cmpint(a->date, ==, b->date);
		g_assert_cmpint(a->depth, ==, b->depth);
		g_assert_cmpuint(a->messages, >=, 1);
		g_assert_cmpuint(b->messages, ==, 0);
		if (i > 0)
			g_assert_cmpint(a->date, <=, full->rows[i - 1].date);
	}
	g_assert_cmpstr(full->rows[full->n_rows - 1].mid, ==, "root1@x");
	g_assert_cmpuint(full->rows[full->n_rows - 1].messages, ==, 4);
	larch_search_result_free(full);
	larch_search_result_free(bare);
}

static void
test_relevance(void)
{
	struct larch_search_opts o = { .limit = 10 };
	struct larch_search_result *r = NULL;

	g_assert_cmpint(larch_store_search(reader, "cybersecurity", &o, &r),
	    ==, LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 2);
	for (unsigned i = 0; i < r->n_rows; i++) {
		g_assert_cmpint(r->rows[i].score, >, 0);
		g_assert_cmpint(r->rows[i].score, <=, 100);
	}
	larch_search_result_free(r);
}

static const struct {
	const char *query;
	const char *mid;
	const char *want;
} snippet_cases[] = {
	{ "policy", "reply2@x",
	    "I attach the draft charter for the **policies**." },
	{ "forums list:mag", "root1@x", "We should start the best practice "
	    "**forums** on cybersecurity." },
	{ "\"best practice\"", "root1@x", "We should start the **best** "
	    "**practice** forums on cybersecurity." },
	{ "reunion", "accent1@x", "Le café de la **réunion** est à Zürich. "
	  "L’ordre du jour d'aujourd'hui: la Straße et le λόγος, une œuvre." },
	{ "ordre strasse", "accent1@x", "Le café de la réunion est à Zürich. "
	  "L’**ordre** du jour d'aujourd'hui: la **Straße** et le λόγος, "
	  "une œuvre." },
	/* n-grams that touch are one marked run; a paragraph without
	 * spaces is cut at a character, not at the line break above it */
	{ "互联网", "cjk1@x", "我们讨论**互联网**治理的最佳实践。 本次会议由多个"
	  "国家的代表参加，会议讨论了网络安全、数字经济、人工智能伦理以及数据保"
	  "护等议题，各方代表充…" },
	{ "治理", "cjk1@x", "我们讨论互联网**治理**的最佳实践。 本次会议由多个"
	  "国家的代表参加，会议讨论了网络安全、数字经济、人工智能伦理以及数据保"
	  "护等议题，各方代表充…" },
	/* Deep in such a paragraph, with context before it (the more as
	 * the text ends soon after the match); a query word's
	 * characters are not marked alone elsewhere (会议, 建议). */
	{ "多利益相关方", "cjk1@x", "…人工智能伦理以及数据保护等议题，各方代表充分"
	  "交换了意见，并同意在下次会议之前提交书面建议。**多利益相关方**模式是这"
	  "一进程的核心原则之一。" },
	{ "议题", "cjk1@x", "…经济、人工智能伦理以及数据保护等**议题**，各方代表"
	  "充分交换了意见，并同意在下次会议之前提交书面建议。多利益相关方模式是"
	  "这一进程的核心原则…" },
	{ "subject:meeting", "root2@x",
	    "The open consultations will be in Geneva. Pasted: "
	    "talloc_free(); ldap://dc1.example.org/ (don't use C++ or "
	    "AT&T 1.2.3, fish+chips)" },
	{ "talloc_free()", "root2@x", "The open consultations will be in "
	    "Geneva. Pasted: **talloc_free**(); ldap://dc1.example.org/ "
	    "(don't use C++ or AT&T 1.2.3, fish+chips)" },
	/* Words as Xapian's term generator reads them: joined by an
	 * apostrophe, '&', '.' between digits, ended by "++" (not by
	 * the '+' of "fish+chips") */
	{ "don't c++ 1.2.3 at&t fish", "root2@x", "The open "
	    "consultations will be in Geneva. Pasted: talloc_free(); "
	    "ldap://dc1.example.org/ (**don't** use **C++** or **AT&T** "
	    "**1.2.3**, **fish**+chips)" },
	{ "aujourd'hui", "accent1@x", "Le café de la réunion est à Zürich. "
	  "L’ordre du jour d'**aujourd'hui**: la Straße et le λόγος, une "
	  "œuvre." },
	/* a wildcard marks the words it matched, in any field's syntax */
	{ "consult* OR subject:gene*", "root2@x", "The open "
	    "**consultations** will be in **Geneva**. Pasted: "
	    "talloc_free(); ldap://dc1.example.org/ (don't use C++ or "
	    "AT&T 1.2.3, fish+chips)" },
	{ "zur* reu*", "accent1@x", "Le café de la **réunion** est à "
	  "**Zürich**. L’ordre du jour d'aujourd'hui: la Straße et le "
	  "λόγος, une œuvre." },
	{ "互联*", "cjk1@x", "我们讨论**互联**网治理的最佳实践。 本次会议由多个"
	  "国家的代表参加，会议讨论了网络安全、数字经济、人工智能伦理以及数据保"
	  "护等议题，各方代表充…" },
};

static void
test_snippets(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(snippet_cases); i++) {
		struct larch_search_opts o = { .limit = 10, .snippets = true };
		struct larch_search_result *r = NULL;
		bool seen = false;

		g_assert_cmpint(larch_store_search(reader,
		    snippet_cases[i].query, &o, &r), ==, LARCH_OK);
		for (unsigned k = 0; k < r->n_rows; k++) {
			if (strcmp(r->rows[k].mid, snippet_cases[i].mid) != 0)
				continue;
			g_assert_cmpstr(r->rows[k].snippet, ==,
			    snippet_cases[i].want);
			seen = true;
		}
		g_assert_true(seen);
		larch_search_result_free(r);
	}
}

static void
test_threads_mode(void)
{
	struct larch_search_opts o = { .limit = 10, .threads = true };
	struct larch_search_result *r = NULL;
	uint64_t n = 0;

	g_assert_cmpint(larch_store_search(reader, "forums OR geneva OR "
	    "cybersecurity", &o, &r), ==, LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 2);
	g_assert_cmpuint(r->total, ==, 2);
	for (unsigned i = 0; i < r->n_rows; i++) {
		if (strcmp(r->rows[i].thread, "root1@x") == 0)
			g_assert_cmpuint(r->rows[i].messages, ==, 4);
		else
			g_assert_cmpuint(r->rows[i].messages, ==, 1);
	}
	larch_search_result_free(r);

	g_assert_cmpint(larch_store_search_count(reader, "forums OR geneva "
	    "OR cybersecurity", &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 2);
	/* three matches, one thread: exact, not the collapse estimate */
	g_assert_cmpint(larch_store_search_count(reader, "forums", &o, &n), ==,
	    LARCH_OK);
	g_assert_cmpuint(n, ==, 1);
	o.exact = true;
	g_assert_cmpint(larch_store_search(reader, "forums", &o, &r), ==,
	    LARCH_OK);
	g_assert_cmpuint(r->total, ==, 1);
	g_assert_true(r->total_exact);
	larch_search_result_free(r);
	o.exact = false;
	o.threads = false;
	g_assert_cmpint(larch_store_search_count(reader, "forums OR geneva "
	    "OR cybersecurity", &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 5);
	o.hidden_lists = private_lists;
	g_assert_cmpint(larch_store_search_count(reader, "forums OR geneva "
	    "OR cybersecurity", &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 4);
	/* thread: takes no hidden message's id: the thread found would
	 * tell that the id exists */
	g_assert_cmpint(larch_store_search_count(reader, "thread:secret1@x",
	    &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 0);
	g_assert_cmpint(larch_store_search_count(reader, "thread:reply1@x",
	    &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 3);
	/* a hidden thread member is not counted in thread sizes */
	o.threads = true;
	g_assert_cmpint(larch_store_search(reader, "forums", &o, &r), ==,
	    LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 1);
	g_assert_cmpuint(r->rows[0].messages, ==, 3);
	larch_search_result_free(r);
}

static void
test_thread_rows(void)
{
	struct larch_search_result *r = NULL;

	g_assert_cmpint(larch_store_thread_rows(reader, "reply2@x", NULL, &r),
	    ==, LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 4);
	/* parents before replies, siblings by date */
	g_assert_cmpstr(r->rows[0].mid, ==, "root1@x");
	g_assert_cmpint(r->rows[0].depth, ==, 0);
	g_assert_cmpstr(r->rows[1].mid, ==, "reply1@x");
	g_assert_cmpstr(r->rows[2].mid, ==, "reply2@x");
	g_assert_cmpint(r->rows[2].depth, ==, 2);
	g_assert_cmpstr(r->rows[2].parent, ==, "reply1@x");
	g_assert_cmpstr(r->rows[3].mid, ==, "secret1@x");
	/* The thread's id names it as any of its messages does. */
	char *thread = g_strdup(r->rows[0].thread);
	larch_search_result_free(r);
	g_assert_cmpint(larch_store_thread_rows(reader, thread, NULL, &r),
	    ==, LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 4);
	g_assert_cmpstr(r->rows[0].mid, ==, "root1@x");
	larch_search_result_free(r);
	g_assert_cmpint(larch_store_thread_rows(reader, thread, private_lists,
	    &r), ==, LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 3);
	larch_search_result_free(r);
	g_free(thread);
	g_assert_cmpint(larch_store_thread_rows(reader, "t000000000000", NULL,
	    &r), ==, LARCH_ERR_NOT_FOUND);

	g_assert_cmpint(larch_store_thread_rows(reader, "<root1@x>",
	    private_lists, &r), ==, LARCH_OK);
	g_assert_cmpuint(r->n_rows, ==, 3);
	larch_search_result_free(r);
	g_assert_cmpint(larch_store_thread_rows(reader, "secret1@x",
	    private_lists, &r), ==, LARCH_ERR_NOT_FOUND);
	g_assert_cmpint(larch_store_thread_rows(reader, "nosuch@x", NULL, &r),
	    ==, LARCH_ERR_NOT_FOUND);
	g_assert_null(r);
}

static enum larch_status
collect_info(const struct larch_list_info *info, void *data)
{
	g_string_append_printf(data, "%s %" G_GUINT64_FORMAT " %"
	    G_GUINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ";",
	    info->name, info->messages, info->threads, info->first,
	    info->last);
	return LARCH_OK;
}

static void
test_list_infos(void)
{
	GString *s = g_string_new("");
	char *want;

	g_assert_cmpint(larch_store_list_infos(reader, NULL, collect_info, s),
	    ==, LARCH_OK);
	want = g_strdup_printf("bpf 2 1 %" G_GINT64_FORMAT " %"
	    G_GINT64_FORMAT ";drafting 2 2 %" G_GINT64_FORMAT " %"
	    G_GINT64_FORMAT ";mag 7 4 %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
	    ";", iso_to_unix(msgs[8].date), iso_to_unix(msgs[9].date),
	    iso_to_unix(msgs[4].date), iso_to_unix(msgs[5].date),
	    iso_to_unix(msgs[0].date), iso_to_unix(msgs[6].date));
	g_assert_cmpstr(s->str, ==, want);
	g_free(want);
	g_string_truncate(s, 0);
	g_assert_cmpint(larch_store_list_infos(reader, private_lists,
	    collect_info, s), ==, LARCH_OK);
	want = g_strdup_printf("bpf 2 1 %" G_GINT64_FORMAT " %"
	    G_GINT64_FORMAT ";mag 6 4 %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
	    ";", iso_to_unix(msgs[8].date), iso_to_unix(msgs[9].date),
	    iso_to_unix(msgs[0].date), iso_to_unix(msgs[6].date));
	g_assert_cmpstr(s->str, ==, want);
	g_free(want);
	g_string_free(s, TRUE);
}

static void
test_is_hidden(void)
{
	struct larch_msg *m = build_msg(&msgs[4]);

	g_assert_true(larch_search_is_hidden(m, private_lists));
	g_assert_false(larch_search_is_hidden(m, NULL));
	g_free(m->list);
	m->list = g_strdup("mag");
	g_ptr_array_set_size(m->also_lists, 0);
	g_assert_false(larch_search_is_hidden(m, private_lists));
	larch_msg_free(m);
}

/* A list stemmed in French is searched with French stems; the others
 * keep English ones. */
/* An estimated thread total is never more threads than the index holds:
 * Xapian's estimate of a collapsed total gave 2,000 of 20. */
static void
test_thread_estimate(void)
{
	struct larch_store *w = NULL, *r = NULL;
	char *dir = g_build_filename(tmp_dir, "estimate", NULL);
	struct larch_search_opts o = { .limit = 1, .threads = true };
	struct larch_search_result *res = NULL;

	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &w), ==,
	    LARCH_OK);
	for (int i = 0; i < 2000; i++) {
		char *mid = g_strdup_printf("e%d@x", i);
		char *root = g_strdup_printf("e%d@x", i % 20);
		struct fixture_msg f = { mid, "est", NULL,
		    "2019-01-01T00:00:00Z", "a@x", "A", "l@x", "topic",
		    "alpha beta", NULL, root, NULL, NULL };
		struct larch_msg *m = build_msg(&f);
		struct larch_store_doc *doc = NULL;

		g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
		g_assert_cmpint(larch_store_put(w, doc), ==, LARCH_OK);
		larch_msg_free(m);
		g_free(mid);
		g_free(root);
	}
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_READ, &r), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_search(r, "-zzz", &o, &res), ==,
	    LARCH_OK);
	g_assert_cmpuint(res->n_rows, ==, 1);
	g_assert_cmpuint(res->total, <=, 20);
	g_assert_cmpuint(res->total, >=, 1);
	larch_search_result_free(res);
	larch_store_close(r);
	g_free(dir);
}

static void
test_languages(void)
{
	struct fixture_msg fr = { "fr1@x", "fr", NULL, "2019-01-01T00:00:00Z",
	    "a@x", "A", "fr@x", "Nouvelles", "Les chevaux sont arrivés.",
	    NULL, "fr1@x", NULL, NULL };
	struct fixture_msg en = fr;
	struct larch_store *w = NULL, *r = NULL;
	char *dir = g_build_filename(tmp_dir, "languages", NULL);
	struct larch_search_opts o = { .limit = 10 };
	const struct { const char *query, *want; } cases[] = {
		{ "cheval", "fr1@x" },		/* French stem of chevaux */
		{ "chevaux", "en1@x fr1@x" },
		{ "list:en chevaux", "en1@x" },
	};

	en.mid = "en1@x";
	en.list = "en";
	en.thread = "en1@x";
	g_assert_true(larch_store_language_is_known("french"));
	g_assert_true(larch_store_language_is_known("none"));
	g_assert_false(larch_store_language_is_known("klingon"));
	g_assert_false(larch_store_language_is_known(""));
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &w), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_set_language(w, "fr", "klingon"), ==,
	    LARCH_ERR_INVALID);
	g_assert_cmpint(larch_store_set_language(w, "fr", "french"), ==,
	    LARCH_OK);
	for (int i = 0; i < 2; i++) {
		struct larch_msg *m = build_msg(i == 0 ? &fr : &en);
		struct larch_store_doc *doc = NULL;

		g_assert_cmpint(larch_store_doc_new_in(m, i == 0 ? "french" :
		    NULL, &doc), ==, LARCH_OK);
		g_assert_cmpint(larch_store_put(w, doc), ==, LARCH_OK);
		larch_msg_free(m);
	}
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_READ, &r), ==,
	    LARCH_OK);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = found_in(r, cases[i].query, &o);

		if (strcmp(got, cases[i].want) != 0)
			g_error("languages: '%s' found '%s', want '%s'",
			    cases[i].query, got, cases[i].want);
		g_free(got);
	}
	larch_store_close(r);
	g_free(dir);
}

/*
 * A word in every message of an index that had a message deleted: Xapian
 * 1.4.22's unweighted matching of such a term, once its posting list
 * spans more than one chunk (about 1100 messages), failed with "index is
 * corrupt".  Counts, date sorts and exact thread totals match unweighted.
 * A third of the messages are in a list hidden at the end.
 */
static void
test_word_in_every_message(void)
{
	struct larch_store *w = NULL, *r = NULL;
	char *dir = g_build_filename(tmp_dir, "every", NULL);
	struct larch_search_opts o = { .limit = 1,
	    .sort = LARCH_SORT_NEWEST };
	struct larch_search_result *res = NULL;
	enum { N = 1200 };
	uint64_t n = 0;

	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &w), ==,
	    LARCH_OK);
	for (int i = 0; i < N; i++) {
		struct fixture_msg f = { NULL, "big", NULL, NULL,
		    "p@company.example", "P", "big@x", "s",
		    "everywhere text", NULL, NULL, NULL, NULL };
		char *mid = g_strdup_printf("e%d@x", i);
		char *date = g_strdup_printf("2016-05-%02dT%02d:%02d:00Z",
		    1 + i / 60 % 28, i / 60 % 24, i % 60);
		struct larch_store_doc *doc = NULL;
		struct larch_msg *m;

		f.mid = f.thread = mid;
		f.date = date;
		if (i < N / 3)
			f.list = "hush";
		m = build_msg(&f);
		g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
		g_assert_cmpint(larch_store_put(w, doc), ==, LARCH_OK);
		larch_msg_free(m);
		g_free(mid);
		g_free(date);
	}
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	g_assert_cmpint(larch_store_delete(w, "e5@x"), ==, LARCH_OK);
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_READ, &r), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_search_count(r, "everywhere", &o, &n),
	    ==, LARCH_OK);
	g_assert_cmpuint(n, ==, N - 1);
	g_assert_cmpint(larch_store_search(r, "everywhere", &o, &res), ==,
	    LARCH_OK);
	g_assert_cmpuint(res->n_rows, ==, 1);
	larch_search_result_free(res);
	o.threads = true;
	o.exact = true;
	o.sort = LARCH_SORT_RELEVANCE;
	g_assert_cmpint(larch_store_search(r, "everywhere", &o, &res), ==,
	    LARCH_OK);
	g_assert_cmpuint(res->total, ==, N - 1);
	larch_search_result_free(res);
	/* The total a client sees never depends on what it may not see:
	 * Xapian's estimate, counted from term frequencies, did. */
	o.threads = false;
	o.exact = false;
	o.hidden_lists = (const char *const[]){ "hush", NULL };
	g_assert_cmpint(larch_store_search(r, "everywhere", &o, &res), ==,
	    LARCH_OK);
	g_assert_cmpuint(res->total, ==, N - N / 3);
	g_assert_true(res->total_exact);
	larch_search_result_free(res);
	g_assert_cmpint(larch_store_search(r, "everywhere OR nosuchword", &o,
	    &res), ==, LARCH_OK);
	g_assert_cmpuint(res->total, ==, N - N / 3);
	larch_search_result_free(res);
	larch_store_close(r);
	g_free(dir);
}

/*
 * from:ADDRESS also finds "Name via list" posts by the names ADDRESS's
 * own messages give; not by names read from messages of hidden lists,
 * which would tell what name a private-only address writes under.
 */
static void
test_private_names(void)
{
	struct fixture_msg posts[] = {
		{ "s1@x", "hush", NULL, "2016-05-30T09:00:00Z",
		    "bob@secret.example", "Bob Secret", "hush@x", "private",
		    "private text", NULL, "s1@x", NULL, NULL },
		{ "v1@x", "pub", NULL, "2016-05-30T10:00:00Z", "pub@x",
		    "Bob Secret", "pub@x", "munged", "munged post body",
		    NULL, "v1@x", NULL, NULL, true },
	};
	struct larch_store *r = NULL;
	char *dir = g_build_filename(tmp_dir, "names", NULL);
	struct larch_search_opts o = { .limit = 10 };
	uint64_t n = 0;

	write_index(dir, posts, G_N_ELEMENTS(posts));
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_READ, &r), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_search_count(r, "from:bob@secret.example",
	    &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 2);
	o.hidden_lists = (const char *const[]){ "hush", NULL };
	g_assert_cmpint(larch_store_search_count(r, "from:bob@secret.example",
	    &o, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 0);
	larch_store_close(r);
	g_free(dir);
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	build_index();
	g_test_add_func("/search/fields", test_fields);
	g_test_add_func("/search/bad-queries", test_bad_queries);
	g_test_add_func("/search/sort-paging", test_sort_and_paging);
	g_test_add_func("/search/relevance", test_relevance);
	g_test_add_func("/search/skip-thread-sizes", test_skip_thread_sizes);
	g_test_add_func("/search/snippets", test_snippets);
	g_test_add_func("/search/threads", test_threads_mode);
	g_test_add_func("/search/thread-estimate", test_thread_estimate);
	g_test_add_func("/search/thread-rows", test_thread_rows);
	g_test_add_func("/search/list-infos", test_list_infos);
	g_test_add_func("/search/is-hidden", test_is_hidden);
	g_test_add_func("/search/languages", test_languages);
	g_test_add_func("/search/private-names", test_private_names);
	g_test_add_func("/search/word-in-every-message",
	    test_word_in_every_message);
	rc = g_test_run();
	larch_store_close(reader);
	test_rm_rf(tmp_dir);
	g_free(index_dir);
	g_free(tmp_dir);
	return rc;
}
