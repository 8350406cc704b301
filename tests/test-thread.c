/*
 * Conversations: JWZ threading with its broken-header cases, subject keys
 * in many languages, quote links and thread summaries.  Table rows build
 * messages from a compact spec; the fixtures under data/thread/ are
 * message records (as larch-index --export prints them) whose parent,
 * depth and quote sources are the expected answers.
 *
 * A mode for tools (it prints, so it lives here and not in lib/):
 *   test-thread --link-quotes EXPORT.jsonl
 *       reads larch-index --export records, runs larch_thread_link_quotes()
 *       over each whole thread (parents as exported) and prints the
 *       records again: what quote linking finds when it sees the whole
 *       thread (bench/accuracy --relink-quotes).
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "test-util.h"
#include <json-glib/json-glib.h>

#include "larch/msg.h"
#include "larch/record.h"
#include "larch/thread.h"

#define DAY 86400
#define T0 1466129681		/* 2016-06-17 02:14:41 UTC */

/* ---- building messages ------------------------------------------------- */

struct spec {
	const char *mid;
	int64_t date;		/* seconds after T0 */
	const char *irt;
	const char *refs;	/* blank-separated */
};

struct want {
	const char *mid;
	const char *parent;
	int depth;
};

static struct larch_msg *
make_msg(const struct spec *s)
{
	struct larch_msg *m = larch_msg_new();
	char **refs = g_strsplit(s->refs != NULL ? s->refs : "", " ", -1);

	m->mid = g_strdup(s->mid);
	m->date = T0 + s->date;
	m->in_reply_to = g_strdup(s->irt);
	for (char **r = refs; *r != NULL; r++)
		if (**r != '\0')
			g_ptr_array_add(m->references, g_strdup(*r));
	g_strfreev(refs);
	return m;
}

static GPtrArray *
make_msgs(const struct spec *specs)
{
	GPtrArray *msgs = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);

	for (const struct spec *s = specs; s->mid != NULL; s++)
		g_ptr_array_add(msgs, make_msg(s));
	return msgs;
}

static struct larch_msg *
find(GPtrArray *msgs, const char *mid)
{
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		if (strcmp(m->mid, mid) == 0)
			return m;
	}
	g_assert_not_reached();
}

/* ---- linking ----------------------------------------------------------- */

struct link_case {
	const char *name;
	struct spec msgs[8];
	struct want want[8];
	const char *root;
};

static const struct link_case link_cases[] = {
	{ "single message",
	  { { "a", 0, NULL, NULL } },
	  { { "a", NULL, 0 } }, "a" },
	{ "ghost root",
	  { { "b", 0, NULL, "g" }, { "c", 60, "b", "g b" } },
	  { { "b", "g", 1 }, { "c", "b", 2 } }, "g" },
	{ "ghost in the middle",
	  { { "a", 0, NULL, NULL }, { "c", 60, "g", "a g" } },
	  { { "a", NULL, 0 }, { "c", "g", 2 } }, "a" },
	{ "chain of ghosts",
	  { { "d", 0, "g3", "g1 g2 g3" } },
	  { { "d", "g3", 3 } }, "g1" },
	{ "parent arriving after children",
	  { { "c", 120, "b", "a b" }, { "b", 60, "a", "a" },
	    { "a", 0, NULL, NULL } },
	  { { "a", NULL, 0 }, { "b", "a", 1 }, { "c", "b", 2 } }, "a" },
	{ "two threads joined by a late message",
	  { { "a1", 0, NULL, NULL }, { "a2", 60, "a1", "a1" },
	    { "b1", 30, NULL, "gx" }, { "b2", 90, "b1", "gx b1" },
	    { "m", 5 * DAY, "b2", "a1 gx b1 b2" } },
	  { { "a1", NULL, 0 }, { "a2", "a1", 1 }, { "b1", "gx", 2 },
	    { "b2", "b1", 3 }, { "m", "b2", 4 } }, "a1" },
	{ "two roots, the earlier wins",
	  { { "x", 60, NULL, NULL }, { "y", 0, NULL, "gy" },
	    { "z", 120, "x", "x" } },
	  { { "x", NULL, 0 }, { "y", "gy", 1 }, { "z", "x", 1 } }, "gy" },
	{ "cycle 12<->21 (notmuch broken/loop)",
	  { { "mid-loop-12@example.org", 0, "mid-loop-21@example.org", NULL },
	    { "mid-loop-21@example.org", DAY, "mid-loop-12@example.org",
	      NULL } },
	  { { "mid-loop-12@example.org", NULL, 0 },
	    { "mid-loop-21@example.org", "mid-loop-12@example.org", 1 } },
	  "mid-loop-12@example.org" },
	{ "cycle through References: a root naming its reply",
	  { { "a", 0, NULL, "b" }, { "b", 60, "a", "a" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 } }, "a" },
	{ "cycle without In-Reply-To falls back along References",
	  { { "a", 0, NULL, NULL }, { "b", 60, NULL, "a c" },
	    { "c", 120, "b", "a b" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 }, { "c", "b", 2 } }, "a" },
	{ "three-message cycle",
	  { { "a", 0, "c", NULL }, { "b", 60, "a", NULL },
	    { "c", 120, "b", NULL } },
	  { { "a", NULL, 0 }, { "b", "a", 1 }, { "c", "b", 2 } }, "a" },
	{ "self-reference in In-Reply-To",
	  { { "a", 0, NULL, NULL }, { "b", 60, "b", "a b" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 } }, "a" },
	{ "self-reference last in References, no In-Reply-To",
	  { { "a", 0, NULL, NULL }, { "b", 60, NULL, "a b" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 } }, "a" },
	{ "only a self-reference",
	  { { "a", 0, "a", "a" } },
	  { { "a", NULL, 0 } }, "a" },
	{ "References in the wrong order (notmuch parent-priority)",
	  { { "root", 0, NULL, NULL }, { "child", DAY, "root", "root" },
	    { "grand", DAY + 600, "child", "child root" } },
	  { { "root", NULL, 0 }, { "child", "root", 1 },
	    { "grand", "child", 2 } }, "root" },
	{ "References reversed, no In-Reply-To",
	  { { "a", 0, NULL, NULL }, { "b", 60, "a", "a" },
	    { "c", 120, "b", "a b" }, { "d", 180, NULL, "c b a" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 }, { "c", "b", 2 },
	    { "d", "c", 3 } }, "a" },
	{ "reversed References with a ghost keep the ghost in place",
	  { { "a", 0, NULL, NULL }, { "c", 120, "g", "c g a" } },
	  { { "a", NULL, 0 }, { "c", "g", 2 } }, "a" },
	{ "In-Reply-To and References disagree: In-Reply-To wins",
	  { { "root", 0, NULL, NULL }, { "child", DAY, "root", "root-typo" },
	    { "x", 2 * DAY, "child", "root x-typo" } },
	  { { "root", NULL, 0 }, { "child", "root", 1 },
	    { "x", "child", 2 } }, "root" },
	{ "In-Reply-To missing: last reference",
	  { { "a", 0, NULL, NULL }, { "b", 60, "a", "a" },
	    { "c", 120, NULL, "a b" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 }, { "c", "b", 2 } }, "a" },
	{ "parent not in the archive (ghost after a real parent)",
	  { { "a", 0, NULL, NULL }, { "b", 60, "gone", "a gone" } },
	  { { "a", NULL, 0 }, { "b", "gone", 2 } }, "a" },
	{ "duplicate ids inside References",
	  { { "a", 0, NULL, NULL }, { "b", 60, "a", "a a" },
	    { "c", 120, NULL, "a b a b" }, { "d", 180, "c", "a b a c b c" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 }, { "c", "b", 2 },
	    { "d", "c", 3 } }, "a" },
	{ "empty ids are ignored",
	  { { "a", 0, "", NULL }, { "b", 60, NULL, "a" } },
	  { { "a", NULL, 0 }, { "b", "a", 1 } }, "a" },
	{ "same date: ordered by mid",
	  { { "n", 0, "m", NULL }, { "m", 0, "n", NULL } },
	  { { "n", NULL, 0 }, { "m", "n", 1 } }, "n" },
	{ "notmuch ghost-root: fake root under a ghost under a child",
	  { { "000-real-root@example.org", 0, NULL, NULL },
	    { "001-child@example.org", DAY, "000-real-root@example.org",
	      "000-real-root@example.org" },
	    { "001-fake-message-root@example.org", 0,
	      "nonexistent-message@example.org",
	      "000-real-root@example.org 001-child@example.org "
	      "nonexistent-message@example.org" },
	    { "001-grand-child@example.org", DAY + 600,
	      "001-child@example.org",
	      "000-real-root@example.org 001-child@example.org" },
	    { "001-great-grand-child@example.org", DAY + 1800,
	      "001-grand-child@example.org",
	      "000-real-root@example.org 001-grand-child@example.org" } },
	  { { "000-real-root@example.org", NULL, 0 },
	    { "001-child@example.org", "000-real-root@example.org", 1 },
	    { "001-fake-message-root@example.org",
	      "nonexistent-message@example.org", 3 },
	    { "001-grand-child@example.org", "001-child@example.org", 2 },
	    { "001-great-grand-child@example.org",
	      "001-grand-child@example.org", 3 } },
	  "000-real-root@example.org" },
};

/* Links msgs and compares with the row. */
static void
check_link(const struct link_case *c, GPtrArray *msgs)
{
	char *root = larch_thread_link(msgs);

	g_test_message("%s", c->name);
	g_assert_cmpstr(root, ==, c->root);
	for (const struct want *w = c->want; w->mid != NULL; w++) {
		struct larch_msg *m = find(msgs, w->mid);

		g_assert_cmpstr(m->parent, ==, w->parent);
		g_assert_cmpint(m->depth, ==, w->depth);
		g_assert_false(m->inferred_parent);
	}
	g_free(root);
}

static void
test_link_rows(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(link_cases); i++) {
		const struct link_case *c = &link_cases[i];
		GPtrArray *msgs = make_msgs(c->msgs);

		check_link(c, msgs);
		/* The input order must not matter; run again on the links
		 * already set, and reversed. */
		check_link(c, msgs);
		for (guint a = 0, b = msgs->len - 1; msgs->len > 0 && a < b;
		    a++, b--) {
			gpointer t = msgs->pdata[a];

			msgs->pdata[a] = msgs->pdata[b];
			msgs->pdata[b] = t;
		}
		check_link(c, msgs);
		g_ptr_array_unref(msgs);
	}
}

static void
test_link_empty(void)
{
	GPtrArray *msgs = g_ptr_array_new();

	g_assert_null(larch_thread_link(msgs));
	larch_thread_link_quotes(msgs);
	larch_thread_sort(msgs);
	g_ptr_array_unref(msgs);
}

/* A subject link survives only on a message without headers, and only
 * when the caller marked it. */
static void
test_link_inferred(void)
{
	static const struct spec specs[] = {
		{ "a", 0, NULL, NULL }, { "b", 60, NULL, NULL },
		{ "c", 120, NULL, NULL }, { "d", 180, "a", "a" },
		{ "e", 240, NULL, NULL }, { NULL, 0, NULL, NULL },
	};
	GPtrArray *msgs = make_msgs(specs);
	char *root;

	find(msgs, "b")->parent = g_strdup("a");
	find(msgs, "b")->inferred_parent = true;
	find(msgs, "c")->parent = g_strdup("a");	/* unmarked: cleared */
	find(msgs, "d")->parent = g_strdup("e");	/* headers win */
	find(msgs, "d")->inferred_parent = true;
	find(msgs, "a")->parent = g_strdup("b");	/* would be a cycle */
	find(msgs, "a")->inferred_parent = true;
	root = larch_thread_link(msgs);
	g_assert_cmpstr(root, ==, "a");
	g_assert_cmpstr(find(msgs, "a")->parent, ==, NULL);
	g_assert_false(find(msgs, "a")->inferred_parent);
	g_assert_cmpstr(find(msgs, "b")->parent, ==, "a");
	g_assert_true(find(msgs, "b")->inferred_parent);
	g_assert_cmpint(find(msgs, "b")->depth, ==, 1);
	g_assert_null(find(msgs, "c")->parent);
	g_assert_cmpstr(find(msgs, "d")->parent, ==, "a");
	g_assert_false(find(msgs, "d")->inferred_parent);
	g_free(root);
	g_ptr_array_unref(msgs);
}

/*
 * A parent the caller found in place of a ghost (by quoted text): "x" has
 * no Message-ID of its own, so replies name its lost id "gx"; "d" is an
 * id appended after the real parent.  Each row sets the caller's parent
 * of some messages, then expects parent, depth and whether it is marked
 * inferred, whatever the input order.
 */
struct adopt_case {
	const char *name;
	struct spec msgs[8];
	struct { const char *mid, *parent; } given[4];
	struct { const char *mid, *parent; int depth; bool inferred; } want[8];
};

static const struct adopt_case adopt_cases[] = {
	{ "a message without an id stands in for the ghost",
	  { { "p", 0, NULL, NULL }, { "x", 60, "p", "p" },
	    { "r", 120, "gx", "p gx" }, { "r2", 180, "gx", "p gx" } },
	  { { "r", "x" }, { "r2", "x" } },
	  { { "x", "p", 1, false }, { "r", "x", 2, true },
	    { "r2", "x", 2, true } } },
	{ "the ghost's other replies follow the one shown to answer it",
	  { { "p", 0, NULL, NULL }, { "x", 60, "p", "p" },
	    { "r", 120, "gx", "p gx" }, { "r2", 180, "gx", "p gx" } },
	  { { "r", "x" } },
	  { { "r", "x", 2, true }, { "r2", "x", 2, true } } },
	{ "but not one dated before the stand-in",
	  { { "p", 0, NULL, NULL }, { "x", 60, "p", "p" },
	    { "r", 120, "gx", "p gx" }, { "r2", 30, "gx", "p gx" } },
	  { { "r", "x" } },
	  { { "r", "x", 2, true }, { "r2", "gx", 2, false } } },
	{ "nor when the replies shown disagree",
	  { { "p", 0, NULL, NULL }, { "x", 60, "p", "p" },
	    { "y", 70, "p", "p" }, { "r", 120, "gx", "p gx" },
	    { "r2", 150, "gx", "p gx" }, { "r3", 180, "gx", "p gx" } },
	  { { "r", "x" }, { "r2", "y" } },
	  { { "r", "x", 2, true }, { "r2", "y", 2, true },
	    { "r3", "gx", 2, false } } },
	{ "an id appended after the real parent",
	  { { "p", 0, NULL, NULL }, { "r", 60, "d", "p d" },
	    { "c", 120, "r", "p r" } },
	  { { "r", "p" } },
	  { { "r", "p", 1, true }, { "c", "r", 2, false } } },
	{ "a ghost with another reply is a real one",
	  { { "p", 0, NULL, NULL }, { "r", 60, "d", "p d" },
	    { "r2", 120, "d", "p d" } },
	  { { "r", "p" }, { "r2", "p" } },
	  { { "r", "d", 2, false }, { "r2", "d", 2, false } } },
	{ "a descendant naming the ghost higher up does not count",
	  { { "p", 0, NULL, NULL }, { "r", 60, "d", "p d" },
	    { "c", 120, "r", "p d r" } },
	  { { "r", "p" } },
	  { { "r", "p", 1, true }, { "c", "r", 2, false } } },
	{ "the headers win once the named parent is there",
	  { { "p", 0, NULL, NULL }, { "x", 60, "p", "p" },
	    { "gx", 90, "p", "p" }, { "r", 120, "gx", "p gx" } },
	  { { "r", "x" } },
	  { { "r", "gx", 2, false } } },
	{ "a caller's parent outside the set is ignored",
	  { { "p", 0, NULL, NULL }, { "r", 120, "gx", "p gx" } },
	  { { "r", "x" } },
	  { { "r", "gx", 2, false } } },
	{ "no cycle through a stand-in",
	  { { "x", 0, NULL, "r" }, { "r", 60, "gx", "gx" } },
	  { { "r", "x" } },
	  { { "r", "x", 1, true }, { "x", NULL, 0, false } } },
};

static void
check_adopt(const struct adopt_case *c, GPtrArray *msgs)
{
	g_test_message("%s", c->name);
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		g_clear_pointer(&m->parent, g_free);
		m->inferred_parent = false;
		for (size_t k = 0; k < G_N_ELEMENTS(c->given) &&
		    c->given[k].mid != NULL; k++)
			if (strcmp(c->given[k].mid, m->mid) == 0) {
				m->parent = g_strdup(c->given[k].parent);
				m->inferred_parent = true;
			}
	}
	g_free(larch_thread_link(msgs));
	for (size_t k = 0; k < G_N_ELEMENTS(c->want) &&
	    c->want[k].mid != NULL; k++) {
		struct larch_msg *m = find(msgs, c->want[k].mid);

		g_assert_cmpstr(m->parent, ==, c->want[k].parent);
		g_assert_cmpint(m->depth, ==, c->want[k].depth);
		g_assert_cmpint(m->inferred_parent, ==, c->want[k].inferred);
	}
}

static void
test_link_adopted(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(adopt_cases); i++) {
		const struct adopt_case *c = &adopt_cases[i];
		GPtrArray *msgs = make_msgs(c->msgs);

		check_adopt(c, msgs);
		for (guint a = 0, b = msgs->len - 1; a < b; a++, b--) {
			gpointer t = msgs->pdata[a];

			msgs->pdata[a] = msgs->pdata[b];
			msgs->pdata[b] = t;
		}
		check_adopt(c, msgs);
		g_ptr_array_unref(msgs);
	}
}

/* A caller error, but it must not crash: the copy follows the first. */
static void
test_link_duplicate_mid(void)
{
	static const struct spec specs[] = {
		{ "a", 0, NULL, NULL }, { "b", 60, "a", "a" },
		{ "b", 90, NULL, NULL }, { NULL, 0, NULL, NULL },
	};
	GPtrArray *msgs = make_msgs(specs);
	char *root = larch_thread_link(msgs);

	g_assert_cmpstr(root, ==, "a");
	for (guint i = 1; i < 3; i++) {
		struct larch_msg *m = msgs->pdata[i];

		g_assert_cmpstr(m->parent, ==, "a");
		g_assert_cmpint(m->depth, ==, 1);
	}
	g_free(root);
	g_ptr_array_unref(msgs);
}

#define BIG 5000

/* Message i of a chain: In-Reply-To i-1 and the last 20 References, as
 * mail clients cut them; given in a scrambled order. */
static void
test_link_chain(void)
{
	GPtrArray *msgs = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	gint64 start = g_get_monotonic_time();
	char *root;

	for (int k = 0; k < BIG; k++) {
		int i = (int)(((int64_t)k * 2897) % BIG);
		struct larch_msg *m = larch_msg_new();

		m->mid = g_strdup_printf("m%d@x", i);
		m->date = T0 + i;
		if (i > 0)
			m->in_reply_to = g_strdup_printf("m%d@x", i - 1);
		for (int r = MAX(0, i - 20); r < i; r++)
			g_ptr_array_add(m->references,
			    g_strdup_printf("m%d@x", r));
		g_ptr_array_add(msgs, m);
	}
	root = larch_thread_link(msgs);
	g_assert_cmpstr(root, ==, "m0@x");
	for (guint k = 0; k < msgs->len; k++) {
		struct larch_msg *m = msgs->pdata[k];
		int i = atoi(m->mid + 1);

		g_assert_cmpint(m->depth, ==, i);
	}
	larch_thread_sort(msgs);
	for (guint k = 0; k < msgs->len; k++)
		g_assert_cmpint(((struct larch_msg *)msgs->pdata[k])->depth,
		    ==, (int)k);
	g_free(larch_thread_summary(msgs, false));
	g_test_message("chain of %d: %.3f s", BIG,
	    (g_get_monotonic_time() - start) / 1e6);
	g_assert_cmpfloat((g_get_monotonic_time() - start) / 1e6, <,
	    20 * test_time_scale());
	g_free(root);
	g_ptr_array_unref(msgs);
}

static void
test_link_fanout(void)
{
	GPtrArray *msgs = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	gint64 start = g_get_monotonic_time();
	char *root;

	for (int i = BIG - 1; i >= 0; i--) {
		struct larch_msg *m = larch_msg_new();

		m->mid = g_strdup_printf("f%d@x", i);
		m->date = T0 + i;
		if (i > 0) {
			m->in_reply_to = g_strdup("f0@x");
			g_ptr_array_add(m->references, g_strdup("f0@x"));
		}
		m->new_text = g_strdup_printf("reply number %d here", i);
		if (i > 1)
			larch_msg_add_quote(m, "a quote that no message wrote",
			    1, NULL);
		g_ptr_array_add(msgs, m);
	}
	root = larch_thread_link(msgs);
	g_assert_cmpstr(root, ==, "f0@x");
	larch_thread_link_quotes(msgs);
	larch_thread_sort(msgs);
	g_assert_cmpstr(((struct larch_msg *)msgs->pdata[0])->mid, ==, "f0@x");
	for (guint k = 1; k < msgs->len; k++) {
		struct larch_msg *m = msgs->pdata[k];

		g_assert_cmpint(m->depth, ==, 1);
		g_assert_cmpint(atoi(m->mid + 1), ==, (int)k);
		if (k > 1)
			g_assert_null(((struct larch_quote *)
			    m->quotes->pdata[0])->source);
	}
	g_test_message("fan-out of %d: %.3f s", BIG,
	    (g_get_monotonic_time() - start) / 1e6);
	g_assert_cmpfloat((g_get_monotonic_time() - start) / 1e6, <,
	    20 * test_time_scale());
	g_free(root);
	g_ptr_array_unref(msgs);
}

/* ---- subjects ---------------------------------------------------------- */

static const struct {
	const char *subject;
	const char *key;
	bool reply;
} subject_rows[] = {
	{ NULL, "", false },
	{ "", "", false },
	{ "   ", "", false },
	{ "Build fails", "build fails", false },
	{ "Re: Build fails", "build fails", true },
	{ "RE: Build  fails ", "build fails", true },
	{ "re:Build fails", "build fails", true },
	{ "Re : Build fails", "build fails", true },
	{ "Re[2]: Build fails", "build fails", true },
	{ "RE[3]: Build fails", "build fails", true },
	{ "Re(2): Build fails", "build fails", true },
	{ "Re^2: Build fails", "build fails", true },
	{ "Re: Re: RE: Build fails", "build fails", true },
	{ "[dev] Re: Build fails", "build fails", true },
	{ "Re: [dev] Build fails", "build fails", true },
	{ "[dev][team] Build fails", "build fails", false },
	{ "Re: [mag] AW: Fwd: x", "x", true },
	/* A forward of a reply is a new post; a reply to a forward is not. */
	{ "Fwd: Re: [dev] Build fails", "build fails", false },
	{ "[dev] Fwd: Re: Build fails", "build fails", false },
	{ "FW: RE: Build fails", "build fails", false },
	{ "Re: Fwd: Build fails", "build fails", true },
	{ "Re: [dev] Fwd: Build fails", "build fails", true },
	{ "AW: WG: Frage", "frage", true },
	{ "Пересл: Ответ: Вопрос", "вопрос", false },
	{ "AW: Frage", "frage", true },
	{ "Aw: Frage", "frage", true },
	{ "WG: Frage", "frage", false },
	{ "Antw: Vraag", "vraag", true },
	{ "SV: Fråga", "fråga", true },
	{ "VS: Kysymys", "kysymys", true },
	{ "Ré: Question", "question", true },
	{ "Réf. : Question", "question", true },
	{ "RÉF.: Question", "question", true },
	{ "TR: Question", "question", false },
	{ "Tr: Question", "question", false },
	{ "Fwd: Question", "question", false },
	{ "FW: Question", "question", false },
	{ "Fw: Question", "question", false },
	{ "R: Domanda", "domanda", true },
	{ "RIF: Domanda", "domanda", true },
	{ "Rif: Domanda", "domanda", true },
	{ "Enc: Pergunta", "pergunta", false },
	{ "RES: Pergunta", "pergunta", true },
	{ "RV: Pregunta", "pregunta", false },
	{ "Odp: Pytanie", "pytanie", true },
	{ "PD: Pytanie", "pytanie", false },
	{ "Atb: Klausimas", "klausimas", true },
	{ "Ynt: Soru", "soru", true },
	{ "Відп: Питання", "питання", true },
	{ "Ответ: Вопрос", "вопрос", true },
	{ "[Users-ru] Re: Ответ: Вопрос", "вопрос", true },
	{ "ΑΠ: Ερώτηση", "ερώτηση", true },
	{ "回复: 问题", "问题", true },
	{ "回复：问题", "问题", true },
	{ "答复: 问题", "问题", true },
	{ "转发: 问题", "问题", false },
	{ "회신: 질문", "질문", true },
	{ "답장: 질문", "질문", true },
	{ "رد: سؤال", "سؤال", true },
	{ "השב: שאלה", "שאלה", true },
	{ "העבר: שאלה", "שאלה", false },
	{ "Re：Question", "question", true },
	{ "Ｒｅ： Question", "question", true },
	{ "Straße", "strasse", false },
	{ "Reply: not a prefix", "reply: not a prefix", false },
	{ "Re-release: 1.2", "re-release: 1.2", false },
	{ "TODO: fix", "todo: fix", false },
	{ "Rex: not a prefix", "rex: not a prefix", false },
	{ "Re", "re", false },
	{ "Re:", "", true },
	{ "Re: [", "[", true },
	{ "[unclosed Re: x", "[unclosed re: x", false },
	{ "Re[: x", "re[: x", false },
	{ "Re[]: x", "re[]: x", false },
	{ "Why Re: here", "why re: here", false },
	{ "Re:\tTabs\nand\r\nlines", "tabs and lines", true },
	{ "bad \xff utf8", "bad \xef\xbf\xbd utf8", false },
};

static void
test_subject_rows(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(subject_rows); i++) {
		char *key = larch_thread_subject_key(subject_rows[i].subject);

		g_test_message("subject row %zu", i);
		g_assert_cmpstr(key, ==, subject_rows[i].key);
		g_assert_cmpint(larch_thread_subject_is_reply(
		    subject_rows[i].subject), ==, subject_rows[i].reply);
		g_free(key);
	}
	/* The first prefix decides: a forward of a reply is a forward. */
	g_assert_true(larch_thread_subject_is_forward("Fwd: Re: x"));
	g_assert_true(larch_thread_subject_is_forward("[board] WG: [forum] x"));
	g_assert_true(larch_thread_subject_is_forward("转发: 会议"));
	g_assert_false(larch_thread_subject_is_forward("Re: Fwd: x"));
	g_assert_false(larch_thread_subject_is_forward("Forwarding: x"));
	g_assert_false(larch_thread_subject_is_forward("x"));
	g_assert_false(larch_thread_subject_is_forward(NULL));
}

/* What a thread summary shows: reply prefixes and the list's own tag go,
 * everything else stays as written. */
static const struct {
	const char *subject, *list, *shown;
} display_rows[] = {
	{ "Re: [PATCH 0/2] crypto: fix", "openwrt-devel",
	  "[PATCH 0/2] crypto: fix" },
	{ "[OpenWrt-Devel] [PATCH] x", "openwrt-devel", "[PATCH] x" },
	{ "Re: [Twisted-web] RE: [Twisted-web] Nevow", "twisted-web",
	  "Nevow" },
	{ "[IGFmaglist] Re: MAG call", "igfmaglist_intgovforum.org",
	  "MAG call" },
	{ "[Web-SIG] WSGI", "twisted-web", "[Web-SIG] WSGI" },
	{ "Fwd: Re: minutes", "dev", "Fwd: Re: minutes" },
	{ "Re: Fwd: minutes", "dev", "Fwd: minutes" },
	{ "AW: Termin", "dev", "Termin" },
	{ "  Re:   spaced  out ", NULL, "spaced  out " },
	{ "[dev]", "dev", "[dev]" },
	{ "Re:", "dev", "Re:" },
	{ "[] x", "dev", "[] x" },
	{ "[dev x", "dev", "[dev x" },
	{ "Regarding: Re-use", "dev", "Regarding: Re-use" },
};

static void
test_subject_display(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(display_rows); i++) {
		char *shown = larch_thread_subject_display(
		    display_rows[i].subject, display_rows[i].list);

		g_test_message("display row %zu", i);
		g_assert_cmpstr(shown, ==, display_rows[i].shown);
		g_free(shown);
	}
	g_assert_null(larch_thread_subject_display(NULL, "dev"));
}

static void
test_subject_huge(void)
{
	GString *s = g_string_new(NULL);
	char *key;

	for (int i = 0; i < 20000; i++)
		g_string_append(s, i % 2 ? "Re: " : "[tag] ");
	g_string_append(s, "End");
	key = larch_thread_subject_key(s->str);
	g_assert_cmpstr(key, ==, "end");
	g_assert_true(larch_thread_subject_is_reply(s->str));
	g_free(key);
	g_string_free(s, TRUE);
}

/* ---- quote links ------------------------------------------------------- */

static const struct spec quote_thread[] = {
	{ "r", 0, NULL, NULL }, { "a", 60, "r", "r" },
	{ "s", 90, "r", "r" }, { "b", 120, "a", "r a" },
	{ "q", 180, "b", "r a b" }, { "z", 1000, "r", "r" },
	{ "c", 240, "gone", "r gone" }, { NULL, 0, NULL, NULL },
};

static const char *const quote_texts[] = {
	"We should move the release to the second week of March.\n"
	"The installer still fails on arm64 because the linker flag is\n"
	"missing.\n\nAnyone against?",
	"I agree about March.\n"
	"But the arm64 problem is in the toolchain file, not the installer.\n"
	"I can send a patch tomorrow morning.",
	"We should move the release to the second week of March.\n"
	"Could we also update the translations before the release?\n"
	"The German ones are two years old.\n"
	"The caf\xc3\xa9 in Gen\xc3\xa8ve is closed on Mondays.\n"
	"회의는 월요일 오후 세시에 시작합니다.",
	"Patch attached, please test it on your boards.\n"
	"It sets the linker flag in cmake/toolchain.cmake for every target.\n"
	"Contact me at jane.doe@example.org if it breaks.",
	"Works on my board, thanks!",
	"This message comes after the quoting one and says so plainly.",
	"Sorry, I lost the mail you answered.",
};

static const struct {
	const char *name;
	const char *quoter;
	const char *text;
	int depth;
	const char *source;
} quote_rows[] = {
	{ "depth 1 from the parent", "q",
	  "Patch attached, please test it on your boards.\n"
	  "It sets the linker flag in cmake/toolchain.cmake for every target.\n"
	  "Contact me at jane.doe@example.org if it breaks.", 1, "b" },
	{ "depth 2 from the grandparent", "q",
	  "But the arm64 problem is in the toolchain file, not the installer.\n"
	  "I can send a patch tomorrow morning.", 2, "a" },
	{ "partial quote", "q",
	  "It sets the linker flag in cmake/toolchain.cmake for every target.",
	  1, "b" },
	{ "rewrapped quote, obfuscated address", "q",
	  "Patch attached, please test it on\n"
	  "your boards.  It sets the linker flag in\n"
	  "cmake/toolchain.cmake for every target. Contact me at\n"
	  "jane.doe at example.org if it breaks.", 1, "b" },
	{ "punctuation and case do not matter", "q",
	  "PATCH ATTACHED -- please test it on your boards!!", 1, "b" },
	{ "attribution line and short lines inside", "q",
	  "On Monday Jane Doe wrote:\n"
	  "Patch attached, please test it on your boards.\nThanks", 1, "b" },
	{ "quote of a non-parent earlier message", "q",
	  "Could we also update the translations before the release?\n"
	  "The German ones are two years old.", 1, "s" },
	{ "the latest earlier message wins", "q",
	  "We should move the release to the second week of March.", 1,
	  "s" },
	{ "grandparent text quoted at depth 1", "q",
	  "I can send a patch tomorrow morning.", 1, "a" },
	{ "short quote from the parent", "b", "I agree", 1, "a" },
	{ "short quote elsewhere is not enough", "q", "March", 1, NULL },
	{ "no source", "q",
	  "Completely unrelated words that nobody wrote in this thread.", 1,
	  NULL },
	{ "a later message is not a source", "q",
	  "This message comes after the quoting one and says so plainly.", 1,
	  NULL },
	{ "own text is not a source", "q", "Works on my board, thanks!", 1,
	  NULL },
	{ "parent is a ghost: an earlier message", "c",
	  "The installer still fails on arm64 because the linker flag is "
	  "missing.", 1, "r" },
	{ "most lines must match", "q",
	  "Patch attached, please test it on your boards.\n"
	  "Something the author never wrote at all.\n"
	  "Neither did anyone write this line here.", 1, NULL },
	{ "the parent's signature and footer quoted along", "q",
	  "Patch attached, please test it on your boards.\n-- \nJane Doe\n"
	  "Release team, Example Corp\nPhone: +1 555 0100\n"
	  "_______________________________________________\n"
	  "Dev mailing list\nhttps://lists.example.org/mailman/listinfo/dev",
	  1, "b" },
	{ "a signature alone says only who wrote", "q",
	  "Jane Doe\nRelease team, Example Corp\nPhone: +1 555 0100", 1,
	  NULL },
	{ "a top-posting client: headers, all of the parent, older quotes",
	  "q", "-----Original Message-----\n"
	  "From: Jane Doe [mailto:jane@example.org]\n"
	  "Sent: Tuesday, March 3, 2020 9:00 AM\n"
	  "To: dev@lists.example.org\nSubject: RE: Release date\n\n"
	  "Patch attached, please test it on your boards.\n"
	  "It sets the linker flag in cmake/toolchain.cmake for every target.\n"
	  "Contact me at jane.doe@example.org if it breaks.\n\n"
	  "On Monday, Bob wrote:\n> I agree about March.\n"
	  "> But the arm64 problem is in the toolchain file, not the "
	  "installer.\n> I can send a patch tomorrow morning.", 1, "b" },
	{ "an attribution line alone has no source", "q",
	  "On Monday, Jane Doe <jane@example.org> wrote:", 1, NULL },
	{ "a wrapped attribution line alone has no source", "q",
	  "On Mon, 2 Mar 2020 at 10:00, Jane Doe\n<jane@example.org> "
	  "wrote:", 1, NULL },
	{ "empty quote", "q", "", 1, NULL },
	{ "only markers and blanks", "q", "> >\n\n  --", 1, NULL },
	{ "letters all lost: the parent", "q", "???? ??????\n\n???", 1,
	  "b" },
	{ "letters all lost, deeper: the grandparent", "q", "?? ????", 2,
	  "a" },
	{ "letters all lost under a ghost: none", "c", "?? ????", 1, NULL },
	{ "invalid UTF-8 ends the line", "q",
	  "Patch attached, please test it\xff on your boards.", 1, "b" },
	{ "depth 0 counts as 1", "q", "Patch attached, please test it.", 0,
	  "b" },
	{ "accents decomposed (NFD) in the quote, composed in the source",
	  "q", "The cafe\xcc\x81 in Gene\xcc\x80ve is closed on Mondays.", 1,
	  "s" },
	{ "accents left out in the quote", "q",
	  "The cafe in Geneve is closed on Mondays.", 1, "s" },
	{ "Hangul", "q", "회의는 월요일 오후 세시에 시작합니다.", 1, "s" },
	/* Other syllables with the same first consonants: a syllable is a
	 * letter of its own, not an accented one. */
	{ "other Hangul syllables", "q", "하아나 아아아 아하 사사아 사자하나대.",
	  1, NULL },
};

static GPtrArray *
quote_fixture(void)
{
	GPtrArray *msgs = make_msgs(quote_thread);

	for (guint i = 0; i < msgs->len; i++)
		((struct larch_msg *)msgs->pdata[i])->new_text =
		    g_strdup(quote_texts[i]);
	find(msgs, "b")->signature = g_strdup("Jane Doe\n"
	    "Release team, Example Corp\nPhone: +1 555 0100");
	find(msgs, "b")->footer = g_strdup(
	    "_______________________________________________\n"
	    "Dev mailing list\nhttps://lists.example.org/mailman/listinfo/dev");
	g_free(larch_thread_link(msgs));
	return msgs;
}

/* Each message's texts normalised ahead, as the indexer's parser threads
 * do; the linker must come to the same answers. */
static void
prepare_all(GPtrArray *msgs)
{
	for (guint i = 0; i < msgs->len; i++)
		larch_thread_prepare_quotes(msgs->pdata[i]);
}

/* Each row is linked over the whole thread, then as the indexer does it
 * for one new message: the same source, and the other messages' quotes
 * untouched.  With prepare, every message's texts are normalised ahead
 * (the other message's only before its row's quote is added: the linker
 * must notice). */
static void
check_quote_rows(bool prepare)
{
	GPtrArray *msgs = quote_fixture();
	struct larch_msg *other = find(msgs, "b");

	for (size_t i = 0; i < G_N_ELEMENTS(quote_rows); i++) {
		struct larch_msg *m = find(msgs, quote_rows[i].quoter);
		struct larch_quote *q;

		g_test_message("quote: %s", quote_rows[i].name);
		g_ptr_array_set_size(m->quotes, 0);
		larch_msg_add_quote(m, quote_rows[i].text, quote_rows[i].depth,
		    "stale");
		if (prepare)
			prepare_all(msgs);
		larch_thread_link_quotes(msgs);
		q = m->quotes->pdata[0];
		g_assert_cmpstr(q->source, ==, quote_rows[i].source);

		g_free(q->source);
		q->source = g_strdup("stale");
		if (other != m)
			larch_msg_add_quote(other, quote_rows[i].text, 1,
			    "untouched");
		larch_thread_link_quotes_of(msgs, m);
		g_assert_cmpstr(q->source, ==, quote_rows[i].source);
		if (other != m) {
			g_assert_cmpstr(((struct larch_quote *)
			    other->quotes->pdata[0])->source, ==, "untouched");
			g_ptr_array_set_size(other->quotes, 0);
		}
		g_ptr_array_set_size(m->quotes, 0);
	}
	g_ptr_array_unref(msgs);
}

static void
test_quote_rows(void)
{
	check_quote_rows(false);
}

static void
test_quote_rows_prepared(void)
{
	check_quote_rows(true);
}

/* A copy shares its message's prepared texts (as the indexer's copies of
 * recent messages do), keeps them after the message is freed, and the
 * linker uses them: the copy's own new text is then overwritten with as
 * many other letters, so only the shared texts can say it is quoted. */
static void
test_quote_copy_shares(void)
{
	GPtrArray *msgs = quote_fixture();
	struct larch_msg *b = find(msgs, "b");
	struct larch_msg *copy = larch_msg_new(), *r = larch_msg_new();

	larch_thread_prepare_quotes(b);
	copy->mid = g_strdup(b->mid);
	copy->new_text = g_strdup(b->new_text);
	copy->signature = g_strdup(b->signature);
	copy->footer = g_strdup(b->footer);
	copy->quote_text = larch_quote_text_ref(b->quote_text);
	g_assert_true(copy->quote_text == b->quote_text);
	g_ptr_array_unref(msgs);
	larch_msg_add_quote(r, "Patch attached, please test it on your boards.",
	    1, NULL);
	larch_thread_prepare_quotes(r);
	g_assert_true(larch_thread_is_quoting(r, copy));
	memset(copy->new_text, 'x', strlen(copy->new_text));
	g_assert_true(larch_thread_is_quoting(r, copy));
	/* Without them, the copy's own text is what it says. */
	g_clear_pointer(&copy->quote_text, larch_quote_text_unref);
	g_assert_false(larch_thread_is_quoting(r, copy));
	g_assert_null(larch_quote_text_ref(NULL));
	larch_quote_text_unref(NULL);
	larch_msg_free(copy);
	larch_msg_free(r);
}

/* Whether a reply's depth-1 quotes come from a message: the evidence for
 * a parent its headers do not name.  The source is "b" of the quote
 * fixture. */
static const struct {
	const char *name;
	const char *text;
	int depth;
	bool quoting;
} quoting_rows[] = {
	{ "depth 1 from the message",
	  "Patch attached, please test it on your boards.", 1, true },
	{ "depth 0 counts as 1",
	  "Patch attached, please test it on your boards.", 0, true },
	{ "rewrapped, with an attribution line",
	  "On Monday Jane wrote:\nPatch attached, please test it\non your "
	  "boards.", 1, true },
	{ "depth 2 is not the message's own",
	  "Patch attached, please test it on your boards.", 2, false },
	{ "a short quote says too little", "Patch.", 1, false },
	{ "someone else's text",
	  "We should move the release to the second week of March.", 1,
	  false },
	{ "its signature alone", "Jane Doe\nRelease team, Example Corp", 1,
	  false },
	{ "empty quote", "", 1, false },
};

static void
test_quote_is_quoting(void)
{
	GPtrArray *msgs = quote_fixture();
	struct larch_msg *b = find(msgs, "b");
	struct larch_msg *r = larch_msg_new();

	r->mid = g_strdup("reply");
	g_assert_false(larch_thread_is_quoting(r, b));
	for (size_t i = 0; i < G_N_ELEMENTS(quoting_rows); i++) {
		g_test_message("is quoting: %s", quoting_rows[i].name);
		g_ptr_array_set_size(r->quotes, 0);
		larch_msg_add_quote(r, quoting_rows[i].text,
		    quoting_rows[i].depth, NULL);
		g_assert_cmpint(larch_thread_is_quoting(r, b), ==,
		    quoting_rows[i].quoting);
		/* The same with both normalised ahead. */
		larch_thread_prepare_quotes(r);
		larch_thread_prepare_quotes(b);
		g_assert_cmpint(larch_thread_is_quoting(r, b), ==,
		    quoting_rows[i].quoting);
		/* One matching block among others is enough (r's prepared
		 * texts are one quote short now: not used). */
		larch_msg_add_quote(r, "Nothing anyone wrote in this thread.",
		    1, NULL);
		g_assert_cmpint(larch_thread_is_quoting(r, b), ==,
		    quoting_rows[i].quoting);
		g_clear_pointer(&b->quote_text, larch_quote_text_unref);
	}
	/* A message without text is nobody's source. */
	g_free(b->new_text);
	b->new_text = NULL;
	g_assert_false(larch_thread_is_quoting(r, b));
	larch_msg_free(r);
	g_ptr_array_unref(msgs);
}

/* A reply quoting the whole of a message whose own words a pipermail
 * archive lost ('?' for each letter) and what that message quoted: the
 * block is the lost message's, not the older one's it holds. */
static void
test_quote_letters_lost(void)
{
	static const struct spec specs[] = {
		{ "r", 0, NULL, NULL }, { "a", 60, "r", "r" },
		{ "q", 120, "a", "r a" }, { NULL, 0, NULL, NULL },
	};
	static const char older[] = "We should move the release to the "
	    "second week of March.";
	GPtrArray *msgs = make_msgs(specs);

	find(msgs, "r")->new_text = g_strdup(older);
	find(msgs, "a")->new_text = g_strdup("???? ??????\n\n???");
	larch_msg_add_quote(find(msgs, "a"), older, 1, NULL);
	larch_msg_add_quote(find(msgs, "q"), "???? ??????\n\n???\n\n"
	    "We should move the release to the second week of March.", 1,
	    NULL);
	g_free(larch_thread_link(msgs));
	larch_thread_link_quotes(msgs);
	g_assert_cmpstr(((struct larch_quote *)
	    find(msgs, "q")->quotes->pdata[0])->source, ==, "a");
	/* Where its words are there to compare, the older one's it is;
	 * also when the lost words were normalised ahead (the new text's
	 * length tells the linker they are stale). */
	prepare_all(msgs);
	g_free(find(msgs, "a")->new_text);
	find(msgs, "a")->new_text = g_strdup("I agree, March it is.");
	larch_thread_link_quotes(msgs);
	g_assert_cmpstr(((struct larch_quote *)
	    find(msgs, "q")->quotes->pdata[0])->source, ==, "r");
	g_ptr_array_unref(msgs);
}

/* Of two messages a reply may quote, the one it copied scores above one
 * that shares a line with it by chance. */
static void
test_quote_share(void)
{
	struct larch_msg *quoted = larch_msg_new(), *other = larch_msg_new();
	struct larch_msg *r = larch_msg_new();

	quoted->new_text = g_strdup("Quotas would have saved us the outage.\n"
	    "I can set them up per project tomorrow.\n");
	other->new_text = g_strdup("The staging hosts need them first.\n"
	    "I can set them up per project tomorrow.\n");
	larch_msg_add_quote(r, "Hi all,", 1, NULL);
	larch_msg_add_quote(r, "Quotas would have saved us the outage.\n"
	    "I can set them up per project tomorrow.", 1, NULL);
	g_assert_cmpfloat(larch_thread_quoting_share(r, quoted), ==, 1.0);
	g_assert_cmpfloat(larch_thread_quoting_share(r, other), ==, 0.5);
	g_assert_true(larch_thread_is_quoting(r, other));
	/* Deeper quotes are the parent's own quoting: they do not count. */
	g_ptr_array_set_size(r->quotes, 0);
	larch_msg_add_quote(r, "Quotas would have saved us the outage.", 2,
	    NULL);
	g_assert_cmpfloat(larch_thread_quoting_share(r, quoted), ==, 0);
	larch_msg_free(r);
	larch_msg_free(other);
	larch_msg_free(quoted);
}

/* Interleaved replies: several blocks, each linked on its own. */
static void
test_quote_interleaved(void)
{
	GPtrArray *msgs = quote_fixture();
	struct larch_msg *q = find(msgs, "q");
	struct larch_msg *r = find(msgs, "r");

	larch_msg_add_quote(q, "Patch attached, please test it on your boards.",
	    1, NULL);
	larch_msg_add_quote(q, "I can send a patch tomorrow morning.", 2, NULL);
	larch_msg_add_quote(q, "Contact me at jane.doe@example.org if it "
	    "breaks.", 1, NULL);
	larch_msg_add_quote(q, NULL, 1, NULL);
	larch_msg_add_quote(q, "The installer still fails on arm64 because the "
	    "linker flag is missing.", 1, NULL);
	g_clear_pointer(&r->new_text, g_free);
	larch_thread_link_quotes(msgs);
	g_assert_cmpstr(((struct larch_quote *)q->quotes->pdata[0])->source,
	    ==, "b");
	g_assert_cmpstr(((struct larch_quote *)q->quotes->pdata[1])->source,
	    ==, "a");
	g_assert_cmpstr(((struct larch_quote *)q->quotes->pdata[2])->source,
	    ==, "b");
	g_assert_null(((struct larch_quote *)q->quotes->pdata[3])->source);
	/* r's text, but r has none now: no source. */
	g_assert_null(((struct larch_quote *)q->quotes->pdata[4])->source);
	g_ptr_array_unref(msgs);
}

/*
 * A parent whose text the archive lost (a pipermail copy of an HTML-only
 * mail: no new text, no quotes) is the source of a depth-1 block that no
 * message holds; a block that another message holds is still that
 * message's, and a deeper one is no one's.
 */
static void
test_quote_lost_parent(void)
{
	GPtrArray *msgs = quote_fixture();
	struct larch_msg *q = find(msgs, "q");
	struct larch_msg *b = find(msgs, "b");

	g_clear_pointer(&b->new_text, g_free);
	g_clear_pointer(&b->signature, g_free);
	larch_msg_add_quote(q, "Patch attached, please test it on your boards.",
	    1, NULL);
	larch_msg_add_quote(q, "Words nobody here wrote, quoted deeper.", 2,
	    NULL);
	larch_thread_link_quotes(msgs);
	g_assert_cmpstr(((struct larch_quote *)q->quotes->pdata[0])->source,
	    ==, "b");
	g_assert_null(((struct larch_quote *)q->quotes->pdata[1])->source);
	g_ptr_array_set_size(q->quotes, 0);
	larch_msg_add_quote(q, "I can send a patch tomorrow morning.", 1, NULL);
	larch_thread_link_quotes(msgs);
	g_assert_cmpstr(((struct larch_quote *)q->quotes->pdata[0])->source,
	    ==, "a");
	/* A parent with text of its own is not guessed at. */
	g_ptr_array_set_size(q->quotes, 0);
	larch_msg_add_quote(q, "Patch attached, please test it on your boards.",
	    1, NULL);
	b->new_text = g_strdup("Something else entirely, said at length.");
	larch_thread_link_quotes(msgs);
	g_assert_null(((struct larch_quote *)q->quotes->pdata[0])->source);
	g_ptr_array_unref(msgs);
}

/*
 * A block after the parent's that holds older text is the parent's own
 * unmarked quote, kept by the quoter: its source is the parent.  Alone,
 * the same block is a quote of the older message.
 */
static void
test_quote_nested(void)
{
	static const char *const b_text =
	    "Patch attached, please test it on your boards.";
	static const char *const a_text = "But the arm64 problem is in the "
	    "toolchain file, not the installer.";
	static const char *const s_text =
	    "Could we also update the translations before the release?";
	GPtrArray *msgs = quote_fixture();
	struct larch_msg *q = find(msgs, "q");
	struct larch_msg *b = find(msgs, "b");
	struct larch_quote *qs[3];

	/* b quoted s (not an ancestor of b) itself. */
	larch_msg_add_quote(b, s_text, 1, NULL);
	larch_msg_add_quote(q, b_text, 1, NULL);
	larch_msg_add_quote(q, a_text, 1, NULL);
	larch_msg_add_quote(q, s_text, 1, NULL);
	larch_thread_link_quotes(msgs);
	for (guint i = 0; i < 3; i++)
		qs[i] = q->quotes->pdata[i];
	g_assert_cmpstr(((struct larch_quote *)b->quotes->pdata[0])->source,
	    ==, "s");
	g_assert_cmpstr(qs[0]->source, ==, "b");
	g_assert_cmpstr(qs[1]->source, ==, "b");
	g_assert_cmpstr(qs[2]->source, ==, "b");

	/* Without the parent's block, each is what it is. */
	g_ptr_array_remove_index(q->quotes, 0);
	larch_thread_link_quotes(msgs);
	g_assert_cmpstr(((struct larch_quote *)q->quotes->pdata[0])->source,
	    ==, "a");
	g_assert_cmpstr(((struct larch_quote *)q->quotes->pdata[1])->source,
	    ==, "s");
	g_ptr_array_unref(msgs);
}

/* ---- thread order ------------------------------------------------------ */

static const struct {
	const char *name;
	struct spec msgs[8];	/* irt is the parent as already linked */
	const char *order;
} sort_rows[] = {
	{ "replies under their parent, siblings by date",
	  { { "c", 120, "a", NULL }, { "b", 60, "a", NULL },
	    { "a", 0, NULL, NULL }, { "d", 90, "b", NULL } },
	  "a b d c" },
	{ "ghost siblings stay together, placed by the oldest",
	  { { "z", 20, NULL, NULL }, { "y", 30, "g", NULL },
	    { "x", 10, "g", NULL }, { "w", 40, "y", NULL } },
	  "x y w z" },
	{ "several roots by date",
	  { { "r2", 50, NULL, NULL }, { "r1", 10, NULL, NULL },
	    { "k", 60, "r1", NULL } },
	  "r1 k r2" },
	{ "same date: by mid",
	  { { "b", 0, NULL, NULL }, { "a", 0, NULL, NULL } },
	  "a b" },
	{ "a cycle of parents loses nothing",
	  { { "p", 10, "q", NULL }, { "q", 20, "p", NULL },
	    { "r", 0, NULL, NULL } },
	  "r p q" },
	{ "self-parent is a root",
	  { { "s", 0, "s", NULL }, { "t", 5, "s", NULL } },
	  "s t" },
};

static void
test_sort_rows(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(sort_rows); i++) {
		GPtrArray *msgs = make_msgs(sort_rows[i].msgs);
		GString *got = g_string_new(NULL);

		for (guint k = 0; k < msgs->len; k++) {
			struct larch_msg *m = msgs->pdata[k];

			m->parent = g_strdup(m->in_reply_to);
		}
		larch_thread_sort(msgs);
		for (guint k = 0; k < msgs->len; k++)
			g_string_append_printf(got, "%s%s", k ? " " : "",
			    ((struct larch_msg *)msgs->pdata[k])->mid);
		g_test_message("sort: %s", sort_rows[i].name);
		g_assert_cmpstr(got->str, ==, sort_rows[i].order);
		g_string_free(got, TRUE);
		g_ptr_array_unref(msgs);
	}
}

/* ---- summaries --------------------------------------------------------- */

static GPtrArray *
summary_fixture(void)
{
	static const struct {
		const char *from, *name, *summary, *subject;
	} who[] = {
		{ "jane@example.org", "Jane Doe", "Move the release to March?",
		  "[dev] Release date" },
		{ "bob@example.org", "Bob", "Agreed; arm64 needs a fix.",
		  "Re: [dev] Release date" },
		{ "zhang@example.cn", "张伟", NULL,
		  "Re: [dev] Release date" },
		{ "jane@example.org", NULL, "Patch attached.",
		  "Re: [dev] Release date" },
		{ "bob@example.org", "Bob", "Works, thanks.",
		  "Re: [dev] Release date" },
		{ NULL, NULL, "Anonymous \"quoted\"\nline", NULL },
	};
	static const struct spec specs[] = {
		{ "r@x", 0, NULL, NULL }, { "a@x", 60, "r@x", NULL },
		{ "s@x", 90, "r@x", NULL }, { "b@x", 120, "a@x", NULL },
		{ "q@x", 3 * DAY, "b@x", NULL }, { "n@x", 30, "gone@x", NULL },
		{ NULL, 0, NULL, NULL },
	};
	GPtrArray *msgs = make_msgs(specs);

	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		m->from_addr = g_strdup(who[i].from);
		m->from_name = g_strdup(who[i].name);
		m->summary = g_strdup(who[i].summary);
		m->subject = g_strdup(who[i].subject);
		m->list = g_strdup("dev");
		m->thread = g_strdup("r@x");
	}
	g_free(larch_thread_link(msgs));
	larch_thread_sort(msgs);
	return msgs;
}

/* A list that rewrites From ("Jane via dev <dev@l.org>") leaves its own
 * address in its archive: such messages are not one participant. */
static void
test_summary_munged(void)
{
	static const struct {
		const char *from, *name;
		bool is_list;
	} who[] = {
		{ "jane@example.org", "Jane Doe", false },
		/* Names compare folded: case and blanks aside. */
		{ "dev@l.org", "JANE  doe", true },
		{ "dev@l.org", "Bob", true },
		{ "dev@l.org", "Carol", true },
		{ "dev@l.org", "Bob", true },
	};
	static const struct spec specs[] = {
		{ "r@x", 0, NULL, NULL }, { "a@x", 60, "r@x", NULL },
		{ "b@x", 90, "r@x", NULL }, { "c@x", 120, "a@x", NULL },
		{ "d@x", 180, "c@x", NULL }, { NULL, 0, NULL, NULL },
	};
	GPtrArray *msgs = make_msgs(specs);
	char *text, **lines;

	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		m->from_addr = g_strdup(who[i].from);
		m->from_name = g_strdup(who[i].name);
		m->from_is_list = who[i].is_list;
		m->subject = g_strdup("Re: [dev] Charter");
		m->thread = g_strdup("r@x");
	}
	g_free(larch_thread_link(msgs));
	larch_thread_sort(msgs);
	text = larch_thread_summary(msgs, false);
	lines = g_strsplit(text, "\n", -1);
	g_assert_true(g_str_has_prefix(lines[1], "5 messages, 3 participants"));
	g_assert_cmpstr(lines[3], ==, "  2  Jane Doe <jane@example.org>");
	g_assert_cmpstr(lines[4], ==, "  2  Bob");
	g_assert_cmpstr(lines[5], ==, "  1  Carol");
	g_strfreev(lines);
	g_free(text);
	g_ptr_array_unref(msgs);
}

static void
test_summary_text(void)
{
	GPtrArray *msgs = summary_fixture();
	char *text = larch_thread_summary(msgs, false);
	char **lines = g_strsplit(text, "\n", -1);

	/* The list's own tag is left out of the thread's subject. */
	g_assert_cmpstr(lines[0], ==, "Release date");
	g_assert_cmpstr(lines[1], ==, "6 messages, 4 participants, "
	    "2016-06-17 02:14 to 2016-06-20 02:14 UTC");
	g_assert_cmpstr(lines[2], ==, "");
	g_assert_cmpstr(lines[3], ==, "  2  Jane Doe <jane@example.org>");
	g_assert_cmpstr(lines[4], ==, "  2  Bob <bob@example.org>");
	g_assert_cmpstr(lines[5], ==, "  1  张伟 <zhang@example.cn>");
	g_assert_cmpstr(lines[6], ==, "  1  (unknown)");
	g_assert_cmpstr(lines[7], ==, "");
	/* Thread order, authors in one column, replies indented. */
	g_assert_cmpstr(lines[8], ==,
	    "2016-06-17 02:14  Jane Doe"
	    "          Move the release to March?");
	g_assert_cmpstr(lines[9], ==,
	    "2016-06-17 02:15  Bob"
	    "                 Agreed; arm64 needs a fix.");
	g_assert_cmpstr(lines[10], ==,
	    "2016-06-17 02:16  jane@example.org"
	    "      Patch attached.");
	g_assert_cmpstr(lines[11], ==,
	    "2016-06-20 02:14  Bob"
	    "                     Works, thanks.");
	g_assert_cmpstr(lines[12], ==,
	    "2016-06-17 02:16  张伟"
	    "                (no new text)");
	g_assert_cmpstr(lines[13], ==,
	    "2016-06-17 02:15  (unknown)"
	    "           Anonymous \"quoted\" line");
	g_assert_cmpstr(lines[14], ==, "");
	g_assert_null(lines[15]);
	g_strfreev(lines);
	g_free(text);
	g_ptr_array_unref(msgs);
}

/* A control byte json-glib does not escape (see lib/record.c) must not
 * reach the JSON summary. */
static void
test_summary_json_unit_separator(void)
{
	GPtrArray *msgs = summary_fixture();
	struct larch_msg *m = msgs->pdata[1];
	char *json;

	g_free(m->summary);
	m->summary = g_strdup("per\x1fweek");
	json = larch_thread_summary(msgs, true);
	g_assert_null(strchr(json, '\x1f'));
	g_assert_nonnull(strstr(json, "per week"));
	g_free(json);
	g_ptr_array_unref(msgs);
}

static void
test_summary_json(void)
{
	GPtrArray *msgs = summary_fixture();
	char *json = larch_thread_summary(msgs, true);
	JsonParser *parser = json_parser_new();
	GError *error = NULL;
	JsonObject *o, *p, *item;
	JsonArray *people, *items;

	g_assert_true(json_parser_load_from_data(parser, json, -1, &error));
	g_assert_no_error(error);
	o = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(o, "thread"), ==, "r@x");
	g_assert_cmpstr(json_object_get_string_member(o, "subject"), ==,
	    "Release date");
	g_assert_cmpint(json_object_get_int_member(o, "messages"), ==, 6);
	g_assert_cmpstr(json_object_get_string_member(o, "first"), ==,
	    "2016-06-17T02:14:41Z");
	g_assert_cmpstr(json_object_get_string_member(o, "last"), ==,
	    "2016-06-20T02:14:41Z");
	people = json_object_get_array_member(o, "participants");
	g_assert_cmpint(json_array_get_length(people), ==, 4);
	p = json_array_get_object_element(people, 0);
	g_assert_cmpstr(json_object_get_string_member(p, "name"), ==,
	    "Jane Doe");
	g_assert_cmpstr(json_object_get_string_member(p, "address"), ==,
	    "jane@example.org");
	g_assert_cmpint(json_object_get_int_member(p, "messages"), ==, 2);
	p = json_array_get_object_element(people, 3);
	g_assert_true(json_object_get_null_member(p, "name"));
	g_assert_true(json_object_get_null_member(p, "address"));
	items = json_object_get_array_member(o, "items");
	g_assert_cmpint(json_array_get_length(items), ==, 6);
	item = json_array_get_object_element(items, 2);
	g_assert_cmpstr(json_object_get_string_member(item, "mid"), ==, "b@x");
	g_assert_cmpstr(json_object_get_string_member(item, "parent"), ==,
	    "a@x");
	g_assert_cmpint(json_object_get_int_member(item, "depth"), ==, 2);
	g_assert_cmpstr(json_object_get_string_member(item, "date"), ==,
	    "2016-06-17T02:16:41Z");
	g_assert_cmpstr(json_object_get_string_member(item, "from"), ==,
	    "jane@example.org");
	g_assert_true(json_object_get_null_member(item, "from_name"));
	item = json_array_get_object_element(items, 5);
	g_assert_cmpstr(json_object_get_string_member(item, "summary"), ==,
	    "Anonymous \"quoted\"\nline");
	g_assert_cmpstr(json_object_get_string_member(item, "parent"), ==,
	    "gone@x");
	g_object_unref(parser);
	g_free(json);
	g_ptr_array_unref(msgs);
}

/* A message without a date is no date, not 1970: the thread's span is
 * its dated messages', the undated one's date null. */
static void
test_summary_undated(void)
{
	GPtrArray *msgs = summary_fixture();
	JsonParser *parser = json_parser_new();
	JsonObject *o;
	char *json, *text;

	((struct larch_msg *)msgs->pdata[0])->date = 0;
	json = larch_thread_summary(msgs, true);
	text = larch_thread_summary(msgs, false);
	g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
	o = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(o, "first"), !=,
	    "1970-01-01T00:00:00Z");
	g_assert_true(json_object_get_null_member(json_array_get_object_element(
	    json_object_get_array_member(o, "items"), 0), "date"));
	g_assert_null(strstr(text, "1970"));
	g_object_unref(parser);
	g_free(json);
	g_free(text);
	g_ptr_array_unref(msgs);
}

static void
test_summary_empty(void)
{
	GPtrArray *msgs = g_ptr_array_new();
	char *text = larch_thread_summary(msgs, false);
	char *json = larch_thread_summary(msgs, true);
	JsonParser *parser = json_parser_new();
	JsonObject *o;

	g_assert_cmpstr(text, ==, "(no messages)\n");
	g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
	o = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpint(json_object_get_int_member(o, "messages"), ==, 0);
	g_assert_true(json_object_get_null_member(o, "first"));
	g_assert_cmpint(json_array_get_length(json_object_get_array_member(o,
	    "items")), ==, 0);
	g_object_unref(parser);
	g_free(json);
	g_free(text);
	g_ptr_array_unref(msgs);
}

/* Deep threads stop indenting; long names are cut. */
static void
test_summary_deep(void)
{
	GPtrArray *msgs = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	char *text, **lines;

	for (int i = 0; i < 20; i++) {
		struct larch_msg *m = larch_msg_new();

		m->mid = g_strdup_printf("d%02d", i);
		m->date = T0 + i;
		m->in_reply_to = i ? g_strdup_printf("d%02d", i - 1) : NULL;
		m->from_name = g_strdup(i == 0 ? "A Very Long Display Name "
		    "That Goes On And On" : "Al");
		m->summary = g_strdup("x");
		g_ptr_array_add(msgs, m);
	}
	g_free(larch_thread_link(msgs));
	larch_thread_sort(msgs);
	text = larch_thread_summary(msgs, false);
	lines = g_strsplit(text, "\n", -1);
	g_assert_cmpstr(lines[6], ==,
	    "2016-06-17 02:14  A Very Long Display Nam…  x");
	g_assert_cmpstr(lines[25], ==, "2016-06-17 02:15  Al                "
	    "        " "                        (19) x");
	g_strfreev(lines);
	g_free(text);
	g_ptr_array_unref(msgs);
}

/* ---- fixtures ---------------------------------------------------------- */

/* Reads a fixture: one record per line, '#' lines are comments. */
static GPtrArray *
read_fixture(const char *path)
{
	GPtrArray *msgs = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	char *data = NULL, **lines;
	GError *error = NULL;

	g_file_get_contents(path, &data, NULL, &error);
	g_assert_no_error(error);
	lines = g_strsplit(data, "\n", -1);
	for (char **l = lines; *l != NULL; l++) {
		struct larch_msg *m = NULL;

		if (**l == '\0' || **l == '#')
			continue;
		g_assert_cmpint(larch_record_from_json(*l, strlen(*l), &m), ==,
		    LARCH_OK);
		g_ptr_array_add(msgs, m);
	}
	g_strfreev(lines);
	g_free(data);
	return msgs;
}

static void
check_fixture(const char *path)
{
	GPtrArray *msgs = read_fixture(path);
	GPtrArray *want = g_ptr_array_new_with_free_func(g_free);
	char *root;
	guint k = 0;

	/* Keep the answers, then forget them. */
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];

		g_ptr_array_add(want, g_strdup_printf("%s %d",
		    m->parent != NULL ? m->parent : "-", m->depth));
		for (guint q = 0; q < m->quotes->len; q++) {
			struct larch_quote *quote = m->quotes->pdata[q];

			g_ptr_array_add(want, quote->source);
			quote->source = NULL;
		}
		g_clear_pointer(&m->parent, g_free);
		m->depth = -1;
	}
	root = larch_thread_link(msgs);
	larch_thread_link_quotes(msgs);
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];
		char *got = g_strdup_printf("%s %d",
		    m->parent != NULL ? m->parent : "-", m->depth);

		g_test_message("%s: %s", path, m->mid);
		g_assert_cmpstr(root, ==, m->thread);
		g_assert_cmpstr(got, ==, want->pdata[k++]);
		for (guint q = 0; q < m->quotes->len; q++) {
			struct larch_quote *quote = m->quotes->pdata[q];

			g_assert_cmpstr(quote->source, ==, want->pdata[k++]);
		}
		g_free(got);
	}
	g_free(root);
	g_ptr_array_unref(want);
	g_ptr_array_unref(msgs);
}

static void
test_fixtures(void)
{
	const char *base = g_getenv("LARCH_TEST_DATA");
	char *dir = g_build_filename(base != NULL ? base : "tests/data",
	    "thread", NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_suffix(name, ".jsonl"))
			g_ptr_array_add(names, g_build_filename(dir, name,
			    NULL));
	g_dir_close(d);
	g_assert_cmpuint(names->len, >=, 5);
	for (guint i = 0; i < names->len; i++)
		check_fixture(names->pdata[i]);
	g_ptr_array_unref(names);
	g_free(dir);
}

/* ---- the tool mode ---------------------------------------------------- */

static int
link_export_quotes(const char *path)
{
	GPtrArray *msgs = read_fixture(path);
	GHashTable *threads = g_hash_table_new_full(g_str_hash, g_str_equal,
	    NULL, (GDestroyNotify)g_ptr_array_unref);

	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];
		const char *key = m->thread != NULL ? m->thread : m->mid;
		GPtrArray *set = g_hash_table_lookup(threads, key);

		if (set == NULL) {
			set = g_ptr_array_new();
			g_hash_table_insert(threads, (gpointer)key, set);
		}
		g_ptr_array_add(set, m);
	}
	for (guint i = 0; i < msgs->len; i++) {
		struct larch_msg *m = msgs->pdata[i];
		GPtrArray *set = g_hash_table_lookup(threads,
		    m->thread != NULL ? m->thread : m->mid);

		if (set->len > 0 && set->pdata[0] == m)
			larch_thread_link_quotes(set);
	}
	for (guint i = 0; i < msgs->len; i++) {
		char *json = larch_record_to_json(msgs->pdata[i]);

		printf("%s\n", json);
		g_free(json);
	}
	g_hash_table_destroy(threads);
	g_ptr_array_unref(msgs);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--link-quotes") == 0)
		return link_export_quotes(argv[2]);
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/thread/link/rows", test_link_rows);
	g_test_add_func("/thread/link/empty", test_link_empty);
	g_test_add_func("/thread/link/inferred", test_link_inferred);
	g_test_add_func("/thread/link/adopted", test_link_adopted);
	g_test_add_func("/thread/link/duplicate-mid", test_link_duplicate_mid);
	g_test_add_func("/thread/link/chain-5000", test_link_chain);
	g_test_add_func("/thread/link/fanout-5000", test_link_fanout);
	g_test_add_func("/thread/subject/rows", test_subject_rows);
	g_test_add_func("/thread/subject/display", test_subject_display);
	g_test_add_func("/thread/subject/huge", test_subject_huge);
	g_test_add_func("/thread/quotes/rows", test_quote_rows);
	g_test_add_func("/thread/quotes/rows-prepared",
	    test_quote_rows_prepared);
	g_test_add_func("/thread/quotes/copy-shares-prepared",
	    test_quote_copy_shares);
	g_test_add_func("/thread/quotes/interleaved", test_quote_interleaved);
	g_test_add_func("/thread/quotes/lost-parent", test_quote_lost_parent);
	g_test_add_func("/thread/quotes/is-quoting", test_quote_is_quoting);
	g_test_add_func("/thread/quotes/share", test_quote_share);
	g_test_add_func("/thread/quotes/letters-lost", test_quote_letters_lost);
	g_test_add_func("/thread/quotes/nested", test_quote_nested);
	g_test_add_func("/thread/sort/rows", test_sort_rows);
	g_test_add_func("/thread/summary/text", test_summary_text);
	g_test_add_func("/thread/summary/munged", test_summary_munged);
	g_test_add_func("/thread/summary/json", test_summary_json);
	g_test_add_func("/thread/summary/undated", test_summary_undated);
	g_test_add_func("/thread/summary/json-unit-separator",
	    test_summary_json_unit_separator);
	g_test_add_func("/thread/summary/empty", test_summary_empty);
	g_test_add_func("/thread/summary/deep", test_summary_deep);
	g_test_add_func("/thread/fixtures", test_fixtures);
	return g_test_run();
}
