/* The message model: sources and the "same content" rule for copies. */
#include <string.h>
#include <glib.h>

#include "larch/fingerprint.h"
#include "larch/msg.h"

static struct larch_msg *
with_hashes(const char *text, const char *ascii, uint32_t ascii_len)
{
	struct larch_msg *m = larch_msg_new();

	g_strlcpy(m->text_hash, text, sizeof m->text_hash);
	g_strlcpy(m->ascii_hash, ascii, sizeof m->ascii_hash);
	m->ascii_len = ascii_len;
	return m;
}

/* a's and b's fingerprints, and whether they are copies of one message. */
static const struct {
	const char *ta, *aa;
	uint32_t la;
	const char *tb, *ab;
	uint32_t lb;
	gboolean same;
	const char *why;
	gboolean lost_in_pipermail;
	/* Subjects and dates (seconds), NULL and 0 for none. */
	const char *sa, *sb;
	int64_t da, db;
} rows[] = {
	{ "t1", "a1", 100, "t1", "a1", 100, TRUE, "identical" },
	{ "t1", "a1", 100, "t2", "a1", 100, TRUE,
	  "only non-ASCII text differs (pipermail's '?')" },
	{ "t1", "a1", 10, "t2", "a1", 10, FALSE,
	  "too little ASCII to tell" },
	{ "t1", "a1", 100, "t2", "a2", 100, FALSE, "different text" },
	{ "t1", "a1", 100, NULL, NULL, 0, TRUE,
	  "a pipermail copy lost its text in archiving", TRUE },
	{ "t1", "a1", 100, NULL, NULL, 0, FALSE,
	  "an mbox copy without text is another message", FALSE },
	{ "t1", "a1", 100, "", "", 0, FALSE, "no fingerprint at all" },
	{ "t1", "a1", 100, NULL, NULL, 0, TRUE,
	  "a scrubbed cross-post: list tags and dates minutes apart", TRUE,
	  "Re: [Users] Proposal", "[Dev] Proposal", 1369203773, 1369203777 },
	{ "t1", "a1", 100, NULL, NULL, 0, FALSE,
	  "a scrubbed message that reused another's id: other subject", TRUE,
	  "Re: [Users-ru] Best way to import", "[Dev] Problem with the tests",
	  1374672197, 1374675000 },
	{ "t1", "a1", 100, NULL, NULL, 0, FALSE,
	  "a scrubbed message that reused another's id: two months later",
	  TRUE, "Re: status", "Re: status", 1374672197, 1380282180 },
};

static void
test_same_content(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_msg *a = with_hashes(rows[i].ta, rows[i].aa,
		    rows[i].la);
		struct larch_msg *b;

		if (rows[i].tb != NULL) {
			b = with_hashes(rows[i].tb, rows[i].ab, rows[i].lb);
		} else {
			/* NULL: the fingerprint of a text-less body. */
			b = larch_msg_new();
			larch_fingerprint("\n\n", 2, b);
			larch_msg_add_source(b, "/a/2016-May.txt", 0, 1,
			    rows[i].lost_in_pipermail ?
			    LARCH_FORMAT_PIPERMAIL : LARCH_FORMAT_MBOXRD);
		}

		a->subject = g_strdup(rows[i].sa);
		b->subject = g_strdup(rows[i].sb);
		a->date = rows[i].da;
		b->date = rows[i].db;
		g_test_message("row %u: %s", i, rows[i].why);
		g_assert_cmpint(larch_msg_is_same_content(a, b), ==,
		    rows[i].same);
		g_assert_cmpint(larch_msg_is_same_content(b, a), ==,
		    rows[i].same);
		larch_msg_free(a);
		larch_msg_free(b);
	}
}

/* The shape decides when the text and the ASCII letters cannot. */
static void
test_same_shape(void)
{
	struct larch_msg *a = with_hashes("t1", "a1", 3);
	struct larch_msg *b = with_hashes("t2", "a2", 3);

	g_strlcpy(a->shape_hash, "s1", sizeof a->shape_hash);
	g_strlcpy(b->shape_hash, "s1", sizeof b->shape_hash);
	g_strlcpy(a->byte_shape_hash, "b1", sizeof a->byte_shape_hash);
	g_strlcpy(b->byte_shape_hash, "b2", sizeof b->byte_shape_hash);
	a->shape_len = 120;
	b->shape_len = 90;
	g_assert_true(larch_msg_is_same_content(a, b));
	/* Too short to tell. */
	b->shape_len = 20;
	g_assert_false(larch_msg_is_same_content(a, b));
	b->shape_len = 120;
	/* Each byte of b's lost characters became a '?'. */
	g_strlcpy(b->shape_hash, "s2", sizeof b->shape_hash);
	g_strlcpy(b->byte_shape_hash, "b1", sizeof b->byte_shape_hash);
	g_assert_true(larch_msg_is_same_content(a, b));
	g_strlcpy(b->byte_shape_hash, "b2", sizeof b->byte_shape_hash);
	g_assert_false(larch_msg_is_same_content(a, b));
	/* No shape at all tells nothing. */
	a->shape_hash[0] = b->shape_hash[0] = '\0';
	a->byte_shape_hash[0] = b->byte_shape_hash[0] = '\0';
	g_assert_false(larch_msg_is_same_content(a, b));
	larch_msg_free(a);
	larch_msg_free(b);
}

static void
test_sources(void)
{
	struct larch_msg *m = larch_msg_new();

	g_assert_false(larch_msg_has_source(m, "/a", 0));
	larch_msg_add_source(m, "/a", 10, 5, LARCH_FORMAT_MBOXRD);
	larch_msg_add_source(m, "/b", 0, 7, LARCH_FORMAT_PIPERMAIL);
	g_assert_true(larch_msg_has_source(m, "/a", 10));
	g_assert_false(larch_msg_has_source(m, "/a", 0));
	g_assert_true(larch_msg_has_source(m, "/b", 0));
	g_assert_cmpstr(larch_source_format_name(LARCH_FORMAT_PIPERMAIL), ==,
	    "pipermail");
	/* Taking a copy off: only that file's at that offset, every one. */
	larch_msg_add_source(m, "/a", 10, 5, LARCH_FORMAT_MBOXRD);
	g_assert_false(larch_msg_remove_source(m, "/a", 0));
	g_assert_false(larch_msg_remove_source(m, "/c", 10));
	g_assert_true(larch_msg_remove_source(m, "/a", 10));
	g_assert_false(larch_msg_has_source(m, "/a", 10));
	g_assert_cmpuint(m->sources->len, ==, 1);
	g_assert_true(larch_msg_has_source(m, "/b", 0));
	larch_msg_free(m);
	larch_msg_free(NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	larch_fingerprint_init();
	g_test_add_func("/msg/same-content", test_same_content);
	g_test_add_func("/msg/same-shape", test_same_shape);
	g_test_add_func("/msg/sources", test_sources);
	return g_test_run();
}
