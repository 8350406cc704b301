/* Tests for lib/article.c: pipermail article references. */
#include <string.h>

#include "larch/article.h"
#include "larch/store.h"

static void
test_accepts(void)
{
	static const struct {
		const char *in;
		const char *list;	/* NULL: none named */
		const char *month;
		uint32_t number;
	} rows[] = {
		{ "https://lists.example.org/pipermail/igfmaglist_intgovforum."
		  "org/2016-May/003251.html", "igfmaglist_intgovforum.org",
		  "2016-May", 3251 },
		{ "http://mail.python.org/pipermail/python-list/2001-January/"
		  "000000.html", "python-list", "2001-January", 0 },
		/* Private archives, mirrors, local copies: any prefix. */
		{ "https://lists.example.org/mailman/private/mag/2020-March/"
		  "000012.html", "mag", "2020-March", 12 },
		{ "/var/lib/mailman/archives/public/bpf-gender/2019-December/"
		  "000104.html", "bpf-gender", "2019-December", 104 },
		{ "pipermail/policy-forum/2016-May/003251.html",
		  "policy-forum", "2016-May", 3251 },
		{ "policy-forum/2016-May/3251.html", "policy-forum",
		  "2016-May", 3251 },
		/* The tail alone names no list. */
		{ "2016-May/003251.html", NULL, "2016-May", 3251 },
		{ "/2016-May/003251.html", NULL, "2016-May", 3251 },
		{ "https://lists.example.org/2016-May/003251.html", NULL,
		  "2016-May", 3251 },
		/* Spacing, brackets, query and fragment, case. */
		{ "  <https://h/pipermail/l/2016-May/003251.html>\n", "l",
		  "2016-May", 3251 },
		{ "https://h/pipermail/l/2016-May/003251.html#start", "l",
		  "2016-May", 3251 },
		{ "https://h/pipermail/l/2016-May/003251.html?x=1", "l",
		  "2016-May", 3251 },
		{ "https://h/pipermail/L/2016-may/003251.HTML", "L",
		  "2016-May", 3251 },
		{ "HTTPS://H/pipermail/l/2016-SEPTEMBER/1.html", "l",
		  "2016-September", 1 },
		/* Percent escapes in the list name. */
		{ "https://h/pipermail/igf%2Dmag/2016-May/1.html", "igf-mag",
		  "2016-May", 1 },
		{ "https://h/pipermail/caf%C3%A9/2016-May/1.html", "café",
		  "2016-May", 1 },
		{ "x/2016-February/4294967295.html", "x", "2016-February",
		  4294967295u },
		{ "x/2016-February/00000000000000000007.html", "x",
		  "2016-February", 7 },
		/* Archives in volumes other than months. */
		{ "https://h/pipermail/l/2016q2/003251.html", "l", "2016q2",
		  3251 },
		{ "https://h/pipermail/l/2016/000007.html", "l", "2016", 7 },
		{ "l/week-of-mon-20160502/000007.html", "l",
		  "Week-of-Mon-20160502", 7 },
		{ "20160502/000007.html", NULL, "20160502", 7 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_article a;
		const char *why = "unset";
		enum larch_status st = larch_article_parse(rows[i].in, &a,
		    &why);

		if (st != LARCH_OK)
			g_error("row %zu '%s': %s", i, rows[i].in, why);
		g_assert_null(why);
		g_assert_cmpstr(a.list, ==, rows[i].list);
		g_assert_cmpstr(a.month, ==, rows[i].month);
		g_assert_cmpuint(a.number, ==, rows[i].number);
		larch_article_release(&a);
		g_assert_null(a.list);
		g_assert_null(a.month);
	}
}

static void
test_rejects(void)
{
	static const struct {
		const char *in;
		const char *why;	/* a part of the reason */
	} rows[] = {
		{ "", "empty" },
		{ "   \t\n", "empty" },
		{ "<>", "empty" },
		{ "https://lists.example.org", "no path" },
		{ "https://h/pipermail/l/2016-May/date.html", "index page" },
		{ "https://h/pipermail/l/2016-May/thread.html", "index page" },
		{ "https://h/pipermail/l/2016-May/author.html", "index page" },
		{ "https://h/pipermail/l/2016-May/subject.html",
		  "index page" },
		{ "https://h/pipermail/l/2016-May/index.html", "index page" },
		{ "https://h/pipermail/l/2016-May/", "NNNNNN.html" },
		{ "https://h/pipermail/l/2016-May", "NNNNNN.html" },
		{ "https://h/pipermail/l/2016-May.txt.gz", "NNNNNN.html" },
		{ "https://h/pipermail/l/2016-May/003251.txt", "NNNNNN.html" },
		{ "https://h/pipermail/l/2016-May/.html", "digits" },
		{ "https://h/pipermail/l/2016-May/0032a1.html", "digits" },
		{ "https://h/pipermail/l/2016-May/-1.html", "digits" },
		{ "https://h/pipermail/l/2016-May/4294967296.html",
		  "too large" },
		{ "https://h/pipermail/l/2016-May/99999999999999999999.html",
		  "too large" },
		{ "003251.html", "YYYY-Month" },
		{ "https://h/pipermail/l/2016-Mai/003251.html", "YYYY-Month" },
		{ "https://h/pipermail/l/16-May/003251.html", "YYYY-Month" },
		{ "https://h/pipermail/l/2016-05/003251.html", "YYYY-Month" },
		{ "https://h/pipermail/l/2016-Mayy/003251.html", "YYYY-Month" },
		{ "https://h/pipermail/l/2016q5/003251.html", "YYYY-Month" },
		{ "https://h/pipermail/l/Week-of-Mon-2016/1.html",
		  "YYYY-Month" },
		{ "https://h/pipermail/l/May-2016/003251.html", "YYYY-Month" },
		{ "https://h/pipermail/l/2016-May/003251.html/", "NNNNNN" },
		{ "https://h/pipermail/l%ZZ/2016-May/003251.html",
		  "list name" },
		{ "https://h/pipermail/l%00x/2016-May/003251.html",
		  "list name" },
		{ "https://h/pipermail/%FF/2016-May/003251.html", "list name" },
		{ "https://h/pipermail/a%2Fb/2016-May/003251.html",
		  "list name" },
		{ "https://h/pipermail/../2016-May/003251.html", "list name" },
		{ "https://h/pipermail/%0A/2016-May/003251.html", "list name" },
		{ "mid@example.org", "NNNNNN.html" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_article a = { (char *)"junk", NULL, 9 };
		const char *why = NULL;

		if (larch_article_parse(rows[i].in, &a, &why) !=
		    LARCH_ERR_PARSE)
			g_error("row %zu '%s' was accepted", i, rows[i].in);
		g_assert_nonnull(why);
		if (strstr(why, rows[i].why) == NULL)
			g_error("row %zu '%s': reason '%s' lacks '%s'", i,
			    rows[i].in, why, rows[i].why);
		g_assert_null(a.list);
		g_assert_null(a.month);
		g_assert_cmpuint(a.number, ==, 0);
	}
	g_assert_cmpint(larch_article_parse(NULL, NULL, NULL), ==,
	    LARCH_ERR_INVALID);
}

static void
test_looks_like(void)
{
	static const struct {
		const char *in;
		bool yes;
	} rows[] = {
		{ "https://h/pipermail/l/2016-May/003251.html", true },
		{ "https://h/pipermail/l/2016-May/date.html", true },
		{ "https://lists.example.org", true },
		{ "2016-May/003251.html", true },
		{ " <2016-May/003251.HTML> ", true },
		{ "2016-May/003251.html#start", true },
		{ "x/pipermail/l/", true },
		{ "20160526170500.GA1234@example.org", false },
		{ "<CAD+x7=abc@mail.example.com>", false },
		{ "abc/def@example.org", false },
		{ "html", false },
		{ "", false },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
		if (larch_article_looks_like(rows[i].in) != rows[i].yes)
			g_error("row %zu '%s'", i, rows[i].in);
	g_assert_false(larch_article_looks_like(NULL));
}

static void
test_month(void)
{
	static const struct {
		const char *in;
		const char *want;
	} rows[] = {
		{ "2016-May", "2016-May" },
		{ "2016-may", "2016-May" },
		{ "1999-DECEMBER", "1999-December" },
		{ "2016-Ma", NULL },
		{ "2016-", NULL },
		{ "201a-May", NULL },
		{ "2016_May", NULL },
		{ "", NULL },
		/* The other volumes of archive_volume_frequency. */
		{ "2016", "2016" },
		{ "2016q2", "2016q2" },
		{ "2016Q4", "2016q4" },
		{ "2016q5", NULL },
		{ "2016q", NULL },
		{ "Week-of-Mon-20160502", "Week-of-Mon-20160502" },
		{ "week-of-mon-20160502", "Week-of-Mon-20160502" },
		{ "Week-of-Mon-2016050", NULL },
		{ "Week-of-Tue-20160503", NULL },
		{ "20160502", "20160502" },
		{ "2016050", NULL },
		{ "201605021", NULL },
		{ "02016", NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *m = larch_article_volume(rows[i].in,
		    strlen(rows[i].in));

		g_assert_cmpstr(m, ==, rows[i].want);
		g_free(m);
	}
	g_assert_null(larch_article_volume(NULL, 0));
	/* Only len bytes count. */
	{
		char *m = larch_article_volume("2016-Mayday", 8);

		g_assert_cmpstr(m, ==, "2016-May");
		g_free(m);
	}
}

static void
test_tail(void)
{
	struct larch_article a = { NULL, (char *)"2016-May", 3251 };
	char *t = larch_article_tail(&a);

	g_assert_cmpstr(t, ==, "2016-May/003251.html");
	g_free(t);
	a.number = 1234567;
	t = larch_article_tail(&a);
	g_assert_cmpstr(t, ==, "2016-May/1234567.html");
	g_free(t);
}

/* What larch_article_tail() writes reads back the same. */
static void
test_round_trip(void)
{
	static const uint32_t numbers[] = { 0, 1, 999999, 1000000,
		G_MAXUINT32 };

	for (size_t i = 0; i < G_N_ELEMENTS(numbers); i++) {
		struct larch_article a = { NULL, (char *)"2009-October",
		    numbers[i] }, b;
		char *t = larch_article_tail(&a);
		char *url = g_strconcat("https://h/pipermail/x/", t, NULL);

		g_assert_cmpint(larch_article_parse(url, &b, NULL), ==,
		    LARCH_OK);
		g_assert_cmpstr(b.list, ==, "x");
		g_assert_cmpstr(b.month, ==, a.month);
		g_assert_cmpuint(b.number, ==, a.number);
		larch_article_release(&b);
		g_free(url);
		g_free(t);
	}
}

/* Arbitrary bytes never crash the parser and never half-fill out. */
static void
test_garbage(void)
{
	GRand *r = g_rand_new_with_seed(5);
	static const char alphabet[] = "/%.:#?<> -0123456789htmlMayJunex\t";

	for (int n = 0; n < 20000; n++) {
		char buf[48];
		size_t len = (size_t)g_rand_int_range(r, 0, sizeof buf);
		struct larch_article a;
		enum larch_status st;

		for (size_t i = 0; i < len; i++)
			buf[i] = alphabet[g_rand_int_range(r, 0,
			    sizeof alphabet - 1)];
		buf[len] = '\0';
		st = larch_article_parse(buf, &a, NULL);
		if (st == LARCH_OK) {
			g_assert_nonnull(a.month);
			larch_article_release(&a);
		} else {
			g_assert_cmpint(st, ==, LARCH_ERR_PARSE);
			g_assert_null(a.month);
			g_assert_null(a.list);
		}
	}
	g_rand_free(r);
}

/* ---- the store's lookups ------------------------------------------ */

static struct larch_msg *
page_msg(const char *mid, const char *subject, int64_t date)
{
	struct larch_msg *m = larch_msg_new();

	m->mid = g_strdup(mid);
	m->header_mid = g_strdup(mid);
	m->list = g_strdup("dev");
	m->date = date;
	m->from_addr = g_strdup("ann@example.org");
	m->subject = g_strdup(subject);
	m->body = g_strdup("some words");
	larch_msg_add_source(m, "/srv/dev/2016-May.txt", 0, 10,
	    LARCH_FORMAT_PIPERMAIL);
	return m;
}

static void
put(struct larch_store *s, const struct larch_msg *m)
{
	struct larch_store_doc *doc = NULL;

	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	g_assert_cmpint(larch_store_put(s, doc), ==, LARCH_OK);
}

/* The mids found at an article, joined by spaces, or "-" for none. */
static char *
found(struct larch_store *s, const char *list, const char *month,
    uint32_t number)
{
	char **mids = (char **)0x1, *joined;
	enum larch_status st = larch_store_find_article(s, list, month,
	    number, &mids);

	if (st == LARCH_ERR_NOT_FOUND) {
		g_assert_null(mids);
		g_assert_nonnull(strstr(larch_store_error(s), "no message at "
		    "pipermail article"));
		return g_strdup("-");
	}
	g_assert_cmpint(st, ==, LARCH_OK);
	g_assert_nonnull(mids);
	g_assert_nonnull(mids[0]);
	joined = g_strjoinv(" ", mids);
	g_strfreev(mids);
	return joined;
}

#define FOUND(s, list, month, n, want) do {				\
	char *got_ = found(s, list, month, n);				\
	g_assert_cmpstr(got_, ==, want);				\
	g_free(got_);							\
} while (0)

static enum larch_status
collect_mid(const struct larch_msg *m, void *data)
{
	g_ptr_array_add(data, g_strdup(m->mid));
	return LARCH_OK;
}

static char *
by_author(struct larch_store *s, const char *addr, const char *subject,
    int64_t from, int64_t to)
{
	GPtrArray *mids = g_ptr_array_new_with_free_func(g_free);
	char *joined;

	g_assert_cmpint(larch_store_author_subject_links(s, addr, subject,
	    from, to, collect_mid, mids), ==, LARCH_OK);
	g_ptr_array_add(mids, NULL);
	joined = mids->len > 1 ? g_strjoinv(" ", (char **)mids->pdata) :
	    g_strdup("-");
	g_ptr_array_unref(mids);
	return joined;
}

static void
test_store(void)
{
	char *dir = g_dir_make_tmp("larch-article-XXXXXX", NULL);
	struct larch_store *s = NULL;
	struct larch_store_doc *doc = NULL;
	struct larch_msg *a, *b, *c, *got = NULL;
	char **mids = NULL, *who;
	const int64_t t = 1464289500;

	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &s), ==,
	    LARCH_OK);
	a = page_msg("a@x", "Re: [dev] Budget", t);
	larch_msg_add_article(a, "dev", "2016-May", 3251);
	larch_msg_add_article(a, "Users", "2016-May", 7);
	put(s, a);
	b = page_msg("b@x", "[dev] budget", t + 3600);
	larch_msg_add_article(b, "dev", "2016-May", 3252);
	put(s, b);

	FOUND(s, "dev", "2016-May", 3251, "a@x");
	FOUND(s, "dev", "2016-may", 3251, "a@x");
	FOUND(s, NULL, "2016-May", 3251, "a@x");
	FOUND(s, "Users", "2016-May", 7, "a@x");
	FOUND(s, "users", "2016-May", 7, "-");
	FOUND(s, "dev", "2016-May", 7, "-");
	FOUND(s, "dev", "2016-June", 3251, "-");
	FOUND(s, NULL, "2016-May", 3252, "b@x");
	g_assert_cmpint(larch_store_find_article(s, "dev", "May-2016", 1,
	    &mids), ==, LARCH_ERR_INVALID);
	g_assert_null(mids);
	g_assert_cmpint(larch_store_find_article(s, "dev", NULL, 1, &mids),
	    ==, LARCH_ERR_INVALID);
	g_assert_cmpint(larch_store_find_article(s, "dev", "2016-May", 999,
	    &mids), ==, LARCH_ERR_NOT_FOUND);
	g_assert_nonnull(strstr(larch_store_error(s),
	    "'dev/2016-May/000999.html'"));

	/* A record update moves an article: the terms follow. */
	larch_msg_remove_article(a, "Users", "2016-May", 7);
	larch_msg_add_article(a, "dev", "2016-May", 3252);
	g_assert_cmpint(larch_store_put_record(s, a), ==, LARCH_OK);
	FOUND(s, "Users", "2016-May", 7, "-");
	FOUND(s, "dev", "2016-May", 3252, "a@x b@x");
	FOUND(s, NULL, "2016-May", 3252, "a@x b@x");

	/* Articles given after the document was built. */
	c = page_msg("c@x", "other", t);
	g_assert_cmpint(larch_store_doc_new(c, &doc), ==, LARCH_OK);
	larch_msg_add_article(c, "dev", "2016-May", 1);
	g_assert_cmpint(larch_store_doc_update(doc, c), ==, LARCH_OK);
	g_assert_cmpint(larch_store_put(s, doc), ==, LARCH_OK);
	FOUND(s, "dev", "2016-May", 1, "c@x");
	g_assert_cmpint(larch_store_get(s, "c@x", &got), ==, LARCH_OK);
	g_assert_cmpuint(got->articles->len, ==, 1);
	larch_msg_free(got);

	/* Author and subject, as threading compares subjects. */
	who = by_author(s, "ann@example.org", "budget", t - 10, t + 7200);
	g_assert_cmpstr(who, ==, "a@x b@x");
	g_free(who);
	who = by_author(s, "ann@example.org", "Re: Re: [dev] BUDGET", t - 10,
	    t + 10);
	g_assert_cmpstr(who, ==, "a@x");
	g_free(who);
	who = by_author(s, "bob@example.org", "budget", t - 10, t + 7200);
	g_assert_cmpstr(who, ==, "-");
	g_free(who);
	who = by_author(s, "ann@example.org", "", t - 10, t + 7200);
	g_assert_cmpstr(who, ==, "-");
	g_free(who);

	/* A reader sees what was committed. */
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_READ, &s), ==,
	    LARCH_OK);
	FOUND(s, "dev", "2016-May", 3251, "a@x");
	FOUND(s, NULL, "2016-May", 1, "c@x");
	larch_store_close(s);

	larch_msg_free(a);
	larch_msg_free(b);
	larch_msg_free(c);
	{
		char *argv[] = { (char *)"rm", (char *)"-rf", dir, NULL };

		g_assert_true(g_spawn_sync(NULL, argv, NULL,
		    G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
	}
	g_free(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/article/accepts", test_accepts);
	g_test_add_func("/article/rejects", test_rejects);
	g_test_add_func("/article/looks-like", test_looks_like);
	g_test_add_func("/article/month", test_month);
	g_test_add_func("/article/tail", test_tail);
	g_test_add_func("/article/round-trip", test_round_trip);
	g_test_add_func("/article/garbage", test_garbage);
	g_test_add_func("/article/store", test_store);
	return g_test_run();
}
