/*
 * Tests for lib/store.cc, the Xapian shim.  Each test works in its own
 * temporary directory.  Run with -m perf for throughput numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utime.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "larch/record.h"
#include "larch/store.h"
#include "test-util.h"

struct fixture {
	char *tmp;	/* the temporary directory */
	char *dir;	/* tmp/index: not created in advance */
};

static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	GError *err = NULL;

	f->tmp = g_dir_make_tmp("larch-store-XXXXXX", &err);
	g_assert_no_error(err);
	f->dir = g_build_filename(f->tmp, "index", NULL);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	test_rm_rf(f->tmp);
	g_assert_false(g_file_test(f->tmp, G_FILE_TEST_EXISTS));
	g_free(f->dir);
	g_free(f->tmp);
}

/* The process's umask (read by setting it back). */
static mode_t
test_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

static struct larch_store *
open_ok(const char *dir, enum larch_store_mode mode)
{
	struct larch_store *s = NULL;
	enum larch_status st = larch_store_open(dir, mode, &s);

	if (st != LARCH_OK)
		g_error("open %s: %s", dir, larch_store_error(s));
	g_assert_cmpstr(larch_store_error(s), ==, "");
	return s;
}

static struct larch_msg *
make_msg(const char *mid, const char *list, const char *subject)
{
	struct larch_msg *m = larch_msg_new();

	m->mid = g_strdup(mid);
	m->header_mid = g_strdup(mid);
	m->list = g_strdup(list);
	m->date = 1464289500;
	m->from_addr = g_strdup("ann@example.org");
	m->from_name = g_strdup("Ann Example");
	m->subject = g_strdup(subject);
	m->body = g_strdup_printf("Hello,\n\nthe body of %s talks about "
	    "indexing archives quickly.\n\n-- \nAnn\n", mid);
	larch_msg_add_source(m, "/srv/archive/2016-05.mbox", 0, 100,
	    LARCH_FORMAT_MBOXRD);
	strcpy(m->text_hash, "0123456789abcdef");
	strcpy(m->ascii_hash, "0123456789abcdef");
	m->ascii_len = 50;
	return m;
}

static void
put_msg(struct larch_store *s, const struct larch_msg *m)
{
	struct larch_store_doc *doc = NULL;

	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	g_assert_cmpint(larch_store_put(s, doc), ==, LARCH_OK);
}

static void
put_new(struct larch_store *s, const char *mid, const char *list,
    const char *subject)
{
	struct larch_msg *m = make_msg(mid, list, subject);

	put_msg(s, m);
	larch_msg_free(m);
}

static uint64_t
count(struct larch_store *s)
{
	uint64_t n = G_MAXUINT64;

	g_assert_cmpint(larch_store_count(s, &n), ==, LARCH_OK);
	return n;
}

/* The subject of the stored message mid, or NULL when it is absent. */
static char *
get_subject(struct larch_store *s, const char *mid)
{
	struct larch_msg *m = NULL;
	enum larch_status st = larch_store_get(s, mid, &m);
	char *subject;

	if (st == LARCH_ERR_NOT_FOUND) {
		g_assert_null(m);
		return NULL;
	}
	g_assert_cmpint(st, ==, LARCH_OK);
	g_assert_cmpstr(m->mid, ==, mid);
	g_assert_null(m->body);
	subject = g_strdup(m->subject);
	larch_msg_free(m);
	return subject;
}

static void
assert_subject(struct larch_store *s, const char *mid, const char *want)
{
	char *got = get_subject(s, mid);

	g_assert_cmpstr(got, ==, want);
	g_free(got);
}

static void
test_create_put_get(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	struct larch_msg *m = make_msg("a@x", "dev", "first"), *back = NULL;
	char *v = NULL;

	g_assert_true(g_file_test(f->dir, G_FILE_TEST_IS_DIR));
	g_assert_cmpint(larch_store_meta_get(s, "larch:schema", &v), ==,
	    LARCH_OK);
	g_assert_cmpint(atoi(v), ==, LARCH_SCHEMA_VERSION);
	g_free(v);
	g_assert_cmpuint(count(s), ==, 0);

	put_msg(s, m);
	put_new(s, "b@x", "dev", "second");
	put_new(s, "c@x", "users", "third");
	g_assert_cmpuint(count(s), ==, 3);
	g_assert_cmpint(larch_store_get(s, "a@x", &back), ==, LARCH_OK);
	g_assert_cmpstr(back->subject, ==, "first");
	g_assert_cmpstr(back->list, ==, "dev");
	g_assert_cmpint(back->date, ==, m->date);
	g_assert_cmpuint(back->sources->len, ==, 1);
	g_assert_cmpstr(back->text_hash, ==, m->text_hash);
	larch_msg_free(back);
	g_assert_cmpint(larch_store_get(s, "nope@x", &back), ==,
	    LARCH_ERR_NOT_FOUND);
	g_assert_null(back);
	g_assert_cmpstr(larch_store_error(s), !=, "");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	g_assert_cmpstr(larch_store_error(s), ==, "");
	larch_store_close(s);

	s = open_ok(f->dir, LARCH_STORE_READ);
	g_assert_cmpuint(count(s), ==, 3);
	assert_subject(s, "b@x", "second");
	assert_subject(s, "c@x", "third");
	g_assert_cmpint(larch_store_meta_get(s, "larch:shards", &v), ==,
	    LARCH_OK);
	g_assert_cmpstr(v, ==, "1");
	g_free(v);
	larch_store_close(s);

	/* Reopening the writer keeps what was committed. */
	s = open_ok(f->dir, LARCH_STORE_WRITE);
	g_assert_cmpuint(count(s), ==, 3);
	larch_store_close(s);
	larch_msg_free(m);
	larch_store_close(NULL);
}

static void
test_replace(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);

	put_new(s, "a@x", "dev", "old");
	put_new(s, "a@x", "dev", "new");
	g_assert_cmpuint(count(s), ==, 1);
	assert_subject(s, "a@x", "new");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	put_new(s, "a@x", "dev", "newer");
	g_assert_cmpuint(count(s), ==, 1);
	assert_subject(s, "a@x", "newer");
	larch_store_close(s);
}

static void
test_put_record(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	struct larch_msg *m = make_msg("a@x", "dev", "subject"), *back;
	const struct larch_source *src;

	put_msg(s, m);
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);

	larch_msg_add_source(m, "/srv/archive/2016-May.txt", 5, 6,
	    LARCH_FORMAT_PIPERMAIL);
	g_assert_cmpint(larch_store_put_record(s, m), ==, LARCH_OK);
	g_assert_cmpint(larch_store_get(s, "a@x", &back), ==, LARCH_OK);
	g_assert_cmpuint(back->sources->len, ==, 2);
	larch_msg_free(back);
	g_assert_cmpuint(count(s), ==, 1);

	/* Twice before a commit, and committed. */
	larch_msg_add_source(m, "/srv/archive/x.eml", 0, 9, LARCH_FORMAT_FILE);
	g_assert_cmpint(larch_store_put_record(s, m), ==, LARCH_OK);
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);
	s = open_ok(f->dir, LARCH_STORE_READ);
	g_assert_cmpint(larch_store_get(s, "a@x", &back), ==, LARCH_OK);
	g_assert_cmpuint(back->sources->len, ==, 3);
	src = back->sources->pdata[2];
	g_assert_cmpint(src->format, ==, LARCH_FORMAT_FILE);
	larch_msg_free(back);
	larch_store_close(s);

	s = open_ok(f->dir, LARCH_STORE_WRITE);
	g_free(m->mid);
	m->mid = g_strdup("absent@x");
	g_assert_cmpint(larch_store_put_record(s, m), ==,
	    LARCH_ERR_NOT_FOUND);
	larch_store_close(s);
	larch_msg_free(m);
}

static void
test_delete(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);

	put_new(s, "a@x", "dev", "one");
	put_new(s, "b@x", "dev", "two");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	g_assert_cmpint(larch_store_delete(s, "a@x"), ==, LARCH_OK);
	g_assert_cmpuint(count(s), ==, 1);
	assert_subject(s, "a@x", NULL);
	g_assert_cmpint(larch_store_delete(s, "a@x"), ==, LARCH_ERR_NOT_FOUND);
	g_assert_cmpint(larch_store_delete(s, "zz@x"), ==,
	    LARCH_ERR_NOT_FOUND);
	/* Uncommitted documents can be deleted too. */
	put_new(s, "c@x", "dev", "three");
	g_assert_cmpint(larch_store_delete(s, "c@x"), ==, LARCH_OK);
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	g_assert_cmpuint(count(s), ==, 1);
	larch_store_close(s);
}

struct kv_walk {
	GString *seen;
	int stop_after;
};

static enum larch_status
collect_kv(const char *key, const char *value, void *data)
{
	struct kv_walk *w = data;

	g_string_append_printf(w->seen, "%s=%s;", key, value);
	if (--w->stop_after == 0)
		return LARCH_DONE;
	return LARCH_OK;
}

static void
test_meta(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	struct kv_walk w = { g_string_new(NULL), -1 };
	char *v = (char *)"x";

	g_assert_cmpint(larch_store_meta_get(s, "progress:b", &v), ==,
	    LARCH_OK);
	g_assert_null(v);
	g_assert_cmpint(larch_store_meta_set(s, "progress:b", "2"), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_meta_set(s, "progress:a", "1 ü"), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_meta_set(s, "progress:c", "3"), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_meta_set(s, "other", "o"), ==, LARCH_OK);
	g_assert_cmpint(larch_store_meta_get(s, "progress:a", &v), ==,
	    LARCH_OK);
	g_assert_cmpstr(v, ==, "1 ü");
	g_free(v);

	/* Uncommitted keys are visible to the writer, in key order. */
	g_assert_cmpint(larch_store_meta_foreach(s, "progress:", collect_kv,
	    &w), ==, LARCH_OK);
	g_assert_cmpstr(w.seen->str, ==, "progress:a=1 ü;progress:b=2;"
	    "progress:c=3;");
	g_string_truncate(w.seen, 0);
	w.stop_after = 2;
	g_assert_cmpint(larch_store_meta_foreach(s, "progress:", collect_kv,
	    &w), ==, LARCH_DONE);
	g_assert_cmpstr(w.seen->str, ==, "progress:a=1 ü;progress:b=2;");

	/* An empty value or NULL deletes the key. */
	g_assert_cmpint(larch_store_meta_set(s, "progress:b", ""), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_meta_set(s, "progress:c", NULL), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_meta_get(s, "progress:b", &v), ==,
	    LARCH_OK);
	g_assert_null(v);
	g_assert_cmpint(larch_store_meta_set(s, "", "x"), ==,
	    LARCH_ERR_INVALID);
	g_assert_cmpstr(larch_store_error(s), !=, "");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);

	s = open_ok(f->dir, LARCH_STORE_READ);
	g_string_truncate(w.seen, 0);
	w.stop_after = -1;
	g_assert_cmpint(larch_store_meta_foreach(s, "progress:", collect_kv,
	    &w), ==, LARCH_OK);
	g_assert_cmpstr(w.seen->str, ==, "progress:a=1 ü;");
	g_assert_cmpint(larch_store_meta_set(s, "k", "v"), ==,
	    LARCH_ERR_INVALID);
	larch_store_close(s);
	g_string_free(w.seen, TRUE);
}

static void
test_uncommitted(struct fixture *f, gconstpointer data)
{
	struct larch_store *w = open_ok(f->dir, LARCH_STORE_WRITE), *r;

	put_new(w, "a@x", "dev", "committed");
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	r = open_ok(f->dir, LARCH_STORE_READ);

	put_new(w, "b@x", "dev", "pending");
	assert_subject(w, "b@x", "pending");
	g_assert_cmpuint(count(w), ==, 2);
	assert_subject(r, "b@x", NULL);
	g_assert_cmpuint(count(r), ==, 1);

	/* A commit shows only after the reader reopens. */
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	assert_subject(r, "b@x", NULL);
	g_assert_cmpint(larch_store_reopen(r), ==, LARCH_OK);
	assert_subject(r, "b@x", "pending");
	g_assert_cmpuint(count(r), ==, 2);
	g_assert_cmpint(larch_store_reopen(w), ==, LARCH_OK);
	larch_store_close(r);
	larch_store_close(w);
}

static void
test_close_discards(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	char *v = NULL;

	put_new(s, "a@x", "dev", "kept");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	put_new(s, "b@x", "dev", "lost");
	g_assert_cmpint(larch_store_meta_set(s, "k", "lost"), ==, LARCH_OK);
	g_assert_cmpint(larch_store_delete(s, "a@x"), ==, LARCH_OK);
	larch_store_close(s);

	s = open_ok(f->dir, LARCH_STORE_WRITE);
	g_assert_cmpuint(count(s), ==, 1);
	assert_subject(s, "a@x", "kept");
	assert_subject(s, "b@x", NULL);
	g_assert_cmpint(larch_store_meta_get(s, "k", &v), ==, LARCH_OK);
	g_assert_null(v);
	larch_store_close(s);
}

/* A new index that was never committed reads as empty. */
static void
test_fresh_uncommitted(struct fixture *f, gconstpointer data)
{
	struct larch_store *w = open_ok(f->dir, LARCH_STORE_WRITE);
	struct larch_store *r = open_ok(f->dir, LARCH_STORE_READ);

	g_assert_cmpuint(count(r), ==, 0);
	larch_store_close(r);
	larch_store_close(w);
	w = open_ok(f->dir, LARCH_STORE_WRITE);
	larch_store_close(w);
}

static enum larch_status
collect_mid(const struct larch_msg *msg, void *data)
{
	GString *seen = data;

	g_string_append_printf(seen, "%s;", msg->mid);
	return g_str_equal(msg->mid, "stop@x") ? LARCH_DONE : LARCH_OK;
}

static void
test_foreach(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	GString *seen = g_string_new(NULL);

	g_assert_cmpint(larch_store_foreach(s, collect_mid, seen), ==,
	    LARCH_OK);
	g_assert_cmpstr(seen->str, ==, "");
	put_new(s, "z@x", "dev", "1");
	put_new(s, "a@x", "dev", "2");
	put_new(s, "m@x", "dev", "3");
	g_assert_cmpint(larch_store_foreach(s, collect_mid, seen), ==,
	    LARCH_OK);
	g_assert_cmpstr(seen->str, ==, "z@x;a@x;m@x;");
	put_new(s, "stop@x", "dev", "4");
	put_new(s, "after@x", "dev", "5");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);

	s = open_ok(f->dir, LARCH_STORE_READ);
	g_string_truncate(seen, 0);
	g_assert_cmpint(larch_store_foreach(s, collect_mid, seen), ==,
	    LARCH_DONE);
	g_assert_cmpstr(seen->str, ==, "z@x;a@x;m@x;stop@x;");
	larch_store_close(s);
	g_string_free(seen, TRUE);
}

struct walker {
	struct larch_store *w;	/* the writer committing meanwhile */
	GHashTable *seen;	/* mids handed out */
	unsigned calls, doubled;
};

/* Each message read, the writer rewrites every message (new subjects:
 * the blocks the reader had are reused) in three commits. */
static enum larch_status
walk_while_writing(const struct larch_msg *msg, void *data)
{
	struct walker *k = data;

	if (!g_hash_table_add(k->seen, g_strdup(msg->mid)))
		k->doubled++;
	if (k->calls++ % 10 != 0)
		return LARCH_OK;
	for (int c = 0; c < 3; c++) {
		for (int i = 0; i < 60; i++) {
			char *mid = g_strdup_printf("w%d@x", i);
			char *subject = g_strdup_printf("subject %u %d %s",
			    k->calls, c, "padding to fill more blocks of the "
			    "table with text that changes each commit");

			put_new(k->w, mid, "dev", subject);
			g_free(subject);
			g_free(mid);
		}
		g_assert_cmpint(larch_store_commit(k->w), ==, LARCH_OK);
	}
	return LARCH_OK;
}

/* A reader's walk goes on across many commits of a writer (an --export
 * while larch-index runs), handing out each message once. */
static void
test_foreach_commits(struct fixture *f, gconstpointer data)
{
	struct walker k = { open_ok(f->dir, LARCH_STORE_WRITE), NULL, 0, 0 };
	struct larch_store *r;

	k.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (int i = 0; i < 60; i++) {
		char *mid = g_strdup_printf("w%d@x", i);

		put_new(k.w, mid, "dev", "first");
		g_free(mid);
	}
	g_assert_cmpint(larch_store_commit(k.w), ==, LARCH_OK);
	r = open_ok(f->dir, LARCH_STORE_READ);
	g_assert_cmpint(larch_store_foreach(r, walk_while_writing, &k), ==,
	    LARCH_OK);
	g_assert_cmpuint(g_hash_table_size(k.seen), ==, 60);
	g_assert_cmpuint(k.doubled, ==, 0);
	larch_store_close(r);
	larch_store_close(k.w);
	g_hash_table_unref(k.seen);
}

static enum larch_status
collect_list(const char *list, uint64_t n, void *data)
{
	g_string_append_printf(data, "%s=%" G_GUINT64_FORMAT ";", list, n);
	return LARCH_OK;
}

static void
test_lists(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	GString *seen = g_string_new(NULL);
	struct larch_msg *m = make_msg("nolist@x", NULL, "no list");

	put_new(s, "1@x", "users", "s");
	put_new(s, "2@x", "dev", "s");
	put_new(s, "3@x", "users", "s");
	put_new(s, "4@x", "Announce", "s");
	put_new(s, "5@x", ":colon", "s");
	put_new(s, "6@x", "lists.été", "s");
	put_new(s, "7@x", "@odd", "s");
	put_msg(s, m);
	g_assert_cmpint(larch_store_lists(s, collect_list, seen), ==,
	    LARCH_OK);
	g_assert_cmpstr(seen->str, ==, ":colon=1;@odd=1;Announce=1;dev=1;"
	    "lists.été=1;users=2;");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);

	s = open_ok(f->dir, LARCH_STORE_READ);
	g_string_truncate(seen, 0);
	g_assert_cmpint(larch_store_lists(s, collect_list, seen), ==,
	    LARCH_OK);
	g_assert_cmpstr(seen->str, ==, ":colon=1;@odd=1;Announce=1;dev=1;"
	    "lists.été=1;users=2;");
	larch_store_close(s);
	larch_msg_free(m);
	g_string_free(seen, TRUE);
}

static void
test_disk_size(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	uint64_t before = 0, after = 0;

	g_assert_cmpint(larch_store_disk_size(s, &before), ==, LARCH_OK);
	for (int i = 0; i < 200; i++) {
		char *mid = g_strdup_printf("%d@x", i);

		put_new(s, mid, "dev", "some subject words");
		g_free(mid);
	}
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	g_assert_cmpint(larch_store_disk_size(s, &after), ==, LARCH_OK);
	g_assert_cmpuint(after, >, before);
	g_assert_cmpuint(after, >, 200 * 100);
	larch_store_close(s);
}

static void
test_schema_mismatch(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	const char *err;

	put_new(s, "a@x", "dev", "s");
	g_assert_cmpint(larch_store_meta_set(s, "larch:schema", "0"), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);

	for (int mode = LARCH_STORE_READ; mode <= LARCH_STORE_WRITE; mode++) {
		s = NULL;
		g_assert_cmpint(larch_store_open(f->dir, mode, &s), ==,
		    LARCH_ERR_VERSION);
		g_assert_nonnull(s);
		err = larch_store_error(s);
		g_test_message("%s", err);
		g_assert_nonnull(strstr(err, f->dir));
		g_assert_nonnull(strstr(err, "schema version 0"));
		g_assert_nonnull(strstr(err, "needs " G_STRINGIFY(
		    LARCH_SCHEMA_VERSION)));
		g_assert_nonnull(strstr(err, "run larch-index again"));
		larch_store_close(s);
	}
}

static void
test_locked(struct fixture *f, gconstpointer data)
{
	struct larch_store *a = open_ok(f->dir, LARCH_STORE_WRITE), *b = NULL;
	struct larch_store *r;

	g_assert_cmpint(larch_store_commit(a), ==, LARCH_OK);
	g_assert_cmpint(larch_store_open(f->dir, LARCH_STORE_WRITE, &b), ==,
	    LARCH_ERR_LOCKED);
	g_test_message("%s", larch_store_error(b));
	g_assert_nonnull(strstr(larch_store_error(b), f->dir));
	g_assert_nonnull(strstr(larch_store_error(b),
	    "another larch-index is writing it"));
	larch_store_close(b);
	/* Readers are not locked out. */
	r = open_ok(f->dir, LARCH_STORE_READ);
	larch_store_close(r);
	larch_store_close(a);
	b = open_ok(f->dir, LARCH_STORE_WRITE);
	larch_store_close(b);
}

/* A lock that cannot be taken at all (a read-only folder; here a folder
 * where the lock file goes, which root cannot write either) is no other
 * writer. */
static void
test_lock_unavailable(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	char *lock = g_build_filename(f->dir, "shard-0", "flintlock", NULL);
	const char *err;

	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);
	g_assert_cmpint(g_remove(lock), ==, 0);
	g_assert_cmpint(g_mkdir(lock, 0700), ==, 0);
	s = NULL;
	g_assert_cmpint(larch_store_open(f->dir, LARCH_STORE_WRITE, &s), ==,
	    LARCH_ERR_IO);
	err = larch_store_error(s);
	g_test_message("%s", err);
	g_assert_nonnull(strstr(err, f->dir));
	g_assert_nonnull(strstr(err, "cannot take its write lock"));
	g_assert_null(strstr(err, "another"));
	larch_store_close(s);
	/* Readers take no lock. */
	s = open_ok(f->dir, LARCH_STORE_READ);
	larch_store_close(s);
	g_assert_cmpint(g_rmdir(lock), ==, 0);
	g_free(lock);
}

static void
test_missing(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = NULL;
	char *empty = g_build_filename(f->tmp, "empty", NULL);
	char *shard = g_build_filename(empty, "shard-0", NULL);
	const char *dirs[] = { f->dir, empty, empty };

	g_assert_cmpint(g_mkdir(empty, 0700), ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
		/* Last round: shard-0 exists but holds no database. */
		if (i == 2)
			g_assert_cmpint(g_mkdir(shard, 0700), ==, 0);
		g_assert_cmpint(larch_store_open(dirs[i], LARCH_STORE_READ,
		    &s), ==, LARCH_ERR_NOT_FOUND);
		g_test_message("%s", larch_store_error(s));
		g_assert_nonnull(strstr(larch_store_error(s), dirs[i]));
		g_assert_nonnull(strstr(larch_store_error(s),
		    "run larch-index first"));
		larch_store_close(s);
	}
	g_assert_false(g_file_test(f->dir, G_FILE_TEST_EXISTS));
	g_assert_cmpint(larch_store_open(NULL, LARCH_STORE_READ, &s), ==,
	    LARCH_ERR_INVALID);
	larch_store_close(s);
	g_free(shard);
	g_free(empty);
}

/* A writer cannot create DIR below a file. */
static void
test_unwritable(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = NULL;
	char *file = g_build_filename(f->tmp, "file", NULL);
	char *dir = g_build_filename(file, "index", NULL);

	g_assert_true(g_file_set_contents(file, "x", 1, NULL));
	g_assert_cmpint(larch_store_open(dir, LARCH_STORE_WRITE, &s), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(strstr(larch_store_error(s), dir));
	larch_store_close(s);
	g_free(dir);
	g_free(file);
}

static void
test_read_only(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE), *r;
	struct larch_msg *m = make_msg("a@x", "dev", "s");
	struct larch_store_doc *doc = NULL;

	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);
	r = open_ok(f->dir, LARCH_STORE_READ);
	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	g_assert_cmpint(larch_store_put(r, doc), ==, LARCH_ERR_INVALID);
	g_assert_nonnull(strstr(larch_store_error(r), "read-only"));
	g_assert_cmpint(larch_store_put_record(r, m), ==, LARCH_ERR_INVALID);
	g_assert_cmpint(larch_store_delete(r, "a@x"), ==, LARCH_ERR_INVALID);
	g_assert_cmpint(larch_store_commit(r), ==, LARCH_ERR_INVALID);
	larch_store_close(r);
	larch_msg_free(m);
}

static void
test_doc_update(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	struct larch_msg *m = make_msg("dup@x", "dev", "s"), *back;
	struct larch_store_doc *doc = NULL;

	put_new(s, "dup@x", "dev", "the first message with this id");
	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	/* The caller finds the clash and gives the second one a new id. */
	g_free(m->mid);
	m->mid = g_strdup("dup@x.dup-0123");
	larch_msg_add_source(m, "/srv/other.mbox", 1, 2, LARCH_FORMAT_MBOXO);
	g_assert_cmpint(larch_store_doc_update(doc, m), ==, LARCH_OK);
	/* Twice is fine too. */
	g_assert_cmpint(larch_store_doc_update(doc, m), ==, LARCH_OK);
	g_assert_cmpint(larch_store_put(s, doc), ==, LARCH_OK);
	g_assert_cmpuint(count(s), ==, 2);
	assert_subject(s, "dup@x", "the first message with this id");
	g_assert_cmpint(larch_store_get(s, "dup@x.dup-0123", &back), ==,
	    LARCH_OK);
	g_assert_cmpuint(back->sources->len, ==, 2);
	g_assert_cmpstr(back->header_mid, ==, "dup@x");
	larch_msg_free(back);

	g_assert_cmpint(larch_store_doc_new(NULL, &doc), ==,
	    LARCH_ERR_INVALID);
	larch_store_doc_free(NULL);
	larch_store_close(s);
	larch_msg_free(m);
}

static void
assert_sources(struct larch_store *s, const char *mid, const char *want)
{
	struct larch_msg *m = NULL;
	GString *got = g_string_new(NULL);

	g_assert_cmpint(larch_store_get(s, mid, &m), ==, LARCH_OK);
	for (guint i = 0; i < m->quotes->len; i++) {
		const struct larch_quote *q = m->quotes->pdata[i];

		g_string_append_printf(got, "%s;", q->source != NULL ?
		    q->source : "-");
	}
	g_assert_cmpstr(got->str, ==, want);
	g_string_free(got, TRUE);
	larch_msg_free(m);
}

/* The worker builds the document before the writer places the message:
 * the placement set afterwards is what a read returns. */
static void
test_doc_place(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	struct larch_msg *m = make_msg("r@x", "dev", "Re: s"), *back = NULL;
	struct larch_store_doc *doc = NULL;
	struct larch_quote *q;

	larch_msg_add_quote(m, "first quoted block", 1, NULL);
	larch_msg_add_quote(m, "second quoted block", 1, NULL);
	larch_msg_add_quote(m, "third quoted block", 2, NULL);
	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	m->thread = g_strdup("t0123");
	m->parent = g_strdup("p@x");
	m->depth = 2;
	m->inferred_parent = true;
	((struct larch_quote *)m->quotes->pdata[0])->source = g_strdup("p@x");
	((struct larch_quote *)m->quotes->pdata[2])->source = g_strdup("g@x");
	g_assert_cmpint(larch_store_doc_place(doc, m), ==, LARCH_OK);
	g_assert_cmpint(larch_store_put(s, doc), ==, LARCH_OK);
	g_assert_cmpint(larch_store_get(s, "r@x", &back), ==, LARCH_OK);
	g_assert_cmpstr(back->thread, ==, "t0123");
	g_assert_cmpstr(back->parent, ==, "p@x");
	g_assert_cmpint(back->depth, ==, 2);
	g_assert_true(back->inferred_parent);
	g_assert_cmpstr(((struct larch_quote *)back->quotes->pdata[1])->text,
	    ==, "second quoted block");
	larch_msg_free(back);
	assert_sources(s, "r@x", "p@x;-;g@x;");

	/* A relink rewrites record and values together; one quote without
	 * a source still has its (empty) field in the value. */
	g_ptr_array_remove_range(m->quotes, 1, 2);
	q = m->quotes->pdata[0];
	g_clear_pointer(&q->source, g_free);
	g_assert_cmpint(larch_store_put_record(s, m), ==, LARCH_OK);
	assert_sources(s, "r@x", "-;");
	q->source = g_strdup("p@x");
	g_assert_cmpint(larch_store_put_record(s, m), ==, LARCH_OK);
	assert_sources(s, "r@x", "p@x;");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	assert_sources(s, "r@x", "p@x;");

	/* Only the mid the document was built with. */
	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	g_free(m->mid);
	m->mid = g_strdup("other@x");
	g_assert_cmpint(larch_store_doc_place(doc, m), ==, LARCH_ERR_INVALID);
	g_assert_cmpint(larch_store_doc_place(NULL, m), ==, LARCH_ERR_INVALID);
	larch_store_doc_free(doc);
	larch_store_close(s);
	larch_msg_free(m);
}

#define THREADS 4
#define PER_THREAD 100

struct builder {
	int id;
	struct larch_store_doc *docs[PER_THREAD];
	enum larch_status status;
};

static gpointer
build_docs(gpointer data)
{
	struct builder *b = data;

	b->status = LARCH_OK;
	for (int i = 0; i < PER_THREAD; i++) {
		char *mid = g_strdup_printf("t%d-%d@x", b->id, i);
		struct larch_msg *m = make_msg(mid, b->id % 2 ? "odd" : "even",
		    "built in a thread");
		enum larch_status st = larch_store_doc_new(m, &b->docs[i]);

		if (st != LARCH_OK)
			b->status = st;
		larch_msg_free(m);
		g_free(mid);
	}
	return NULL;
}

static void
test_threads(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	struct builder b[THREADS];
	GThread *t[THREADS];
	GString *seen = g_string_new(NULL);

	for (int i = 0; i < THREADS; i++) {
		b[i].id = i;
		t[i] = g_thread_new("builder", build_docs, &b[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		g_thread_join(t[i]);
		g_assert_cmpint(b[i].status, ==, LARCH_OK);
	}
	for (int i = 0; i < PER_THREAD; i++) {
		for (int j = 0; j < THREADS; j++)
			g_assert_cmpint(larch_store_put(s, b[j].docs[i]), ==,
			    LARCH_OK);
	}
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	g_assert_cmpuint(count(s), ==, THREADS * PER_THREAD);
	assert_subject(s, "t3-99@x", "built in a thread");
	g_assert_cmpint(larch_store_lists(s, collect_list, seen), ==,
	    LARCH_OK);
	g_assert_cmpstr(seen->str, ==, "even=200;odd=200;");
	larch_store_close(s);
	g_string_free(seen, TRUE);
}

static char *
repeat(const char *s, size_t bytes)
{
	GString *g = g_string_new(NULL);

	while (g->len < bytes)
		g_string_append(g, s);
	return g_string_free(g, FALSE);
}

static void
test_huge_terms(struct fixture *f, gconstpointer data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	char *head = repeat("ü", 600);
	char *mid1 = g_strconcat(head, "-1@x", NULL);
	char *mid2 = g_strconcat(head, "-2@x", NULL);
	char *upper = g_strconcat("X", head, NULL);
	struct larch_msg *m = make_msg(mid1, head, "s");
	struct larch_attachment *a = g_new0(struct larch_attachment, 1);
	GString *seen = g_string_new(NULL);
	char *list_line, *tmp;

	g_free(m->from_addr);
	m->from_addr = repeat("a", 500);
	g_free(m->list_id);
	m->list_id = repeat("Zz", 300);
	m->in_reply_to = g_strdup(mid2);
	g_ptr_array_add(m->references, repeat("r", 1000));
	g_free(m->subject);
	m->subject = repeat("Supercalifragilistic", 5000);
	g_free(m->body);
	/* Over the 1 MB cap, one 2 MB "word", cut inside a character. */
	tmp = repeat("é", 2 * 1024 * 1024);
	m->body = g_strconcat("x", tmp, NULL);
	g_free(tmp);
	a->filename = repeat("name", 400);
	a->content_type = g_strdup("text/plain");
	a->text = repeat("日本語のテキスト", 3 * 1024 * 1024);
	g_ptr_array_add(m->attachments, a);

	put_msg(s, m);
	g_free(m->mid);
	m->mid = g_strdup(mid2);
	put_msg(s, m);
	g_free(m->mid);
	m->mid = g_strdup(upper);
	put_msg(s, m);
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	/* Long mids sharing a long head stay apart. */
	g_assert_cmpuint(count(s), ==, 3);
	assert_subject(s, mid1, m->subject);
	assert_subject(s, mid2, m->subject);
	assert_subject(s, upper, m->subject);
	g_assert_cmpint(larch_store_delete(s, mid1), ==, LARCH_OK);
	g_assert_cmpint(larch_store_lists(s, collect_list, seen), ==,
	    LARCH_OK);
	/* A list name that long comes back shortened, with its hash. */
	list_line = g_strndup(head, 100);
	g_assert_true(g_str_has_prefix(seen->str, list_line));
	g_assert_true(g_str_has_suffix(seen->str, "=2;"));
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);

	g_free(list_line);
	g_string_free(seen, TRUE);
	larch_msg_free(m);
	g_free(upper);
	g_free(mid2);
	g_free(mid1);
	g_free(head);
}

/* A reader whose revision the writer overwrote reopens by itself. */
static void
test_reader_retries(struct fixture *f, gconstpointer data)
{
	struct larch_store *w = open_ok(f->dir, LARCH_STORE_WRITE), *r;
	GString *seen = g_string_new(NULL);
	uint64_t n;

	for (int i = 0; i < 50; i++) {
		char *mid = g_strdup_printf("%d@x", i);

		put_new(w, mid, "dev", "first version");
		g_free(mid);
	}
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	r = open_ok(f->dir, LARCH_STORE_READ);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 50; i++) {
			char *mid = g_strdup_printf("%d@x", i);
			char *subject = g_strdup_printf("version %d", round);

			put_new(w, mid, "dev", subject);
			g_free(subject);
			g_free(mid);
		}
		g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	}
	g_assert_cmpint(larch_store_foreach(r, collect_mid, seen), ==,
	    LARCH_OK);
	/* The walk that met the moved database saw each message once. */
	{
		char **mids = g_strsplit(seen->str, ";", -1);
		GHashTable *once = g_hash_table_new(g_str_hash, g_str_equal);
		guint walked = 0;

		for (char **p = mids; *p != NULL && **p != '\0'; p++) {
			walked++;
			g_hash_table_add(once, *p);
		}
		g_assert_cmpuint(walked, ==, 50);
		g_assert_cmpuint(g_hash_table_size(once), ==, 50);
		g_hash_table_unref(once);
		g_strfreev(mids);
	}
	g_assert_cmpint(larch_store_count(r, &n), ==, LARCH_OK);
	g_assert_cmpuint(n, ==, 50);
	assert_subject(r, "7@x", "version 4");
	larch_store_close(r);
	larch_store_close(w);
	g_string_free(seen, TRUE);
}

/*
 * Throughput, run with -m perf.  Rates are per second of CPU time of the
 * calling thread, so that other load on the machine does not skew them;
 * commits also report wall time, which includes fsync.
 */
static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef char *(*body_fn)(int i, void *data);

#define PERF_BATCH 1000
#define PERF_COMMIT_EVERY 5000

static void
perf_index(struct fixture *f, const char *what, int n, body_fn make_body,
    void *data)
{
	struct larch_store *s = open_ok(f->dir, LARCH_STORE_WRITE);
	struct larch_msg **msgs = g_new0(struct larch_msg *, PERF_BATCH);
	struct larch_store_doc **docs = g_new0(struct larch_store_doc *,
	    PERF_BATCH);
	double doc = 0, put = 0, commit = 0, commit_wall = 0, t0;
	uint64_t body_bytes = 0, size = 0;
	int commits = 0;

	for (int base = 0; base < n; base += PERF_BATCH) {
		for (int i = 0; i < PERF_BATCH; i++) {
			char *mid = g_strdup_printf("%08x.%d@example.org",
			    g_str_hash(what), base + i);
			char *subject = g_strdup_printf("[dev] Re: message %d "
			    "about %s", (base + i) / 5, what);

			msgs[i] = make_msg(mid, (base + i) % 3 ? "dev" :
			    "users", subject);
			g_free(msgs[i]->body);
			msgs[i]->body = make_body(base + i, data);
			msgs[i]->to = g_strdup("dev@lists.example.org");
			msgs[i]->in_reply_to = g_strdup_printf(
			    "%08x.%d@example.org", g_str_hash(what),
			    (base + i) / 2);
			g_ptr_array_add(msgs[i]->references,
			    g_strdup(msgs[i]->in_reply_to));
			body_bytes += strlen(msgs[i]->body);
			g_free(subject);
			g_free(mid);
		}
		t0 = cpu_seconds();
		for (int i = 0; i < PERF_BATCH; i++)
			g_assert_cmpint(larch_store_doc_new(msgs[i], &docs[i]),
			    ==, LARCH_OK);
		doc += cpu_seconds() - t0;
		for (int i = 0; i < PERF_BATCH; i++)
			larch_msg_free(msgs[i]);
		t0 = cpu_seconds();
		for (int i = 0; i < PERF_BATCH; i++)
			g_assert_cmpint(larch_store_put(s, docs[i]), ==,
			    LARCH_OK);
		put += cpu_seconds() - t0;
		if ((base + PERF_BATCH) % PERF_COMMIT_EVERY == 0 ||
		    base + PERF_BATCH >= n) {
			gint64 w0 = g_get_monotonic_time();

			t0 = cpu_seconds();
			g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
			commit += cpu_seconds() - t0;
			commit_wall += (g_get_monotonic_time() - w0) / 1e6;
			commits++;
		}
	}
	g_assert_cmpint(larch_store_disk_size(s, &size), ==, LARCH_OK);
	g_test_message("%s: %d docs, mean body %.0f bytes", what, n,
	    (double)body_bytes / n);
	g_test_message("%s: doc_new %.0f docs/s (%.0f us/doc, %.1f MB/s)",
	    what, n / doc, 1e6 * doc / n, body_bytes / doc / 1e6);
	g_test_message("%s: put %.0f docs/s; commit every %d: %.0f ms CPU, "
	    "%.0f ms wall; put+commit %.0f docs/s CPU, %.0f wall", what,
	    n / put, PERF_COMMIT_EVERY, 1e3 * commit / commits,
	    1e3 * commit_wall / commits, n / (put + commit),
	    n / (put + commit_wall));
	g_test_message("%s: doc_new+put+commit %.0f docs/s of one core",
	    what, n / (doc + put + commit));
	g_test_message("%s: index %.1f MB, %.0f bytes/doc", what,
	    size / 1048576.0, (double)size / n);
	larch_store_close(s);
	g_free(docs);
	g_free(msgs);
}

/*
 * English-like bodies of about 6 KB: word ranks drawn from a Zipf
 * distribution (exponent ZIPF_S) over common English words followed by
 * made-up ones, some numbers, sentences, quoted lines and a signature.
 * ZIPF_S gives about 46 distinct words per KB; the raw bodies of the
 * samba-technical archive in shared/corpora have 49 (/store/perf-corpus).
 */
#define ZIPF_S 1.3

static const char *common[] = {
	"the", "of", "and", "to", "a", "in", "is", "that", "for", "it",
	"as", "was", "with", "be", "by", "on", "not", "he", "this", "are",
	"or", "his", "from", "at", "which", "but", "have", "an", "had",
	"they", "you", "were", "their", "one", "all", "we", "can", "her",
	"has", "there", "been", "if", "more", "when", "will", "would", "who",
	"so", "no", "patch", "kernel", "build", "error", "warning", "file",
	"function", "memory", "thread", "index", "search", "message", "list",
	"commit", "branch", "merge", "review", "test", "fails", "works",
	"version", "release", "config", "option", "default", "value",
	"pointer", "buffer", "allocation", "performance", "regression",
	"maintainer", "applied", "thanks", "should", "could", "because",
	"problem", "issue", "fixed", "changes", "code", "driver", "device",
};

struct synth {
	GRand *rng;
	GPtrArray *vocab;	/* common words, then made-up ones */
};

static char *
synth_body(int i, void *data)
{
	struct synth *sy = data;
	GString *out = g_string_new("Hi all,\n\n");
	double tail = 1 - pow(sy->vocab->len + 1.0, 1 - ZIPF_S);
	int col = 0, words = 0;

	while (out->len < 6 * 1024) {
		double u = g_rand_double(sy->rng);
		guint rank = (guint)pow(1 - u * tail, 1 / (1 - ZIPF_S)) - 1;

		rank = MIN(rank, sy->vocab->len - 1);

		if (col == 0 && g_rand_int_range(sy->rng, 0, 6) == 0)
			g_string_append(out, "> ");
		if (g_rand_int_range(sy->rng, 0, 40) == 0)
			g_string_append_printf(out, "%u",
			    g_rand_int_range(sy->rng, 0, 100000));
		else
			g_string_append(out, sy->vocab->pdata[rank]);
		if (++words % 12 == 0)
			g_string_append_c(out, '.');
		col += 6;
		g_string_append_c(out, col > 70 ? '\n' : ' ');
		if (col > 70)
			col = 0;
	}
	g_string_append(out, "\n\n-- \nSomeone Somewhere\n");
	return g_string_free(out, FALSE);
}

static void
test_perf_synthetic(struct fixture *f, gconstpointer data)
{
	static const char *syl[] = {
		"ka", "lo", "re", "mi", "st", "tion", "er", "in", "al", "con",
		"pro", "de", "ing", "ex", "ver", "ant", "ble", "ment", "or",
		"un", "ly", "ize", "ous", "ab", "tr", "sh", "qu", "ph",
	};
	struct synth sy;

	sy.rng = g_rand_new_with_seed(42);
	sy.vocab = g_ptr_array_new_with_free_func(g_free);
	for (size_t i = 0; i < G_N_ELEMENTS(common); i++)
		g_ptr_array_add(sy.vocab, g_strdup(common[i]));
	while (sy.vocab->len < 20000) {
		GString *w = g_string_new(NULL);

		for (int k = g_rand_int_range(sy.rng, 2, 5); k > 0; k--)
			g_string_append(w, syl[g_rand_int_range(sy.rng, 0,
			    G_N_ELEMENTS(syl))]);
		g_ptr_array_add(sy.vocab, g_string_free(w, FALSE));
	}
	perf_index(f, "synthetic", 20000, synth_body, &sy);
	g_ptr_array_unref(sy.vocab);
	g_rand_free(sy.rng);
}

/* Raw bodies (everything after the header) of a real list archive. */
static char *
corpus_body(int i, void *data)
{
	GPtrArray *bodies = data;

	return g_strdup(bodies->pdata[i % bodies->len]);
}

static void
test_perf_corpus(struct fixture *f, gconstpointer data)
{
	const char *shared = g_getenv("LARCH_SHARED");
	char *path, *text, *p, *end;
	GPtrArray *bodies;
	gsize len;

	if (shared == NULL) {
		g_test_skip("LARCH_SHARED is not set");
		return;
	}
	path = g_build_filename(shared, "corpora", "samba-technical-2021-2023",
	    "samba-technical-2021-2023.mbox", NULL);
	if (!g_file_get_contents(path, &text, &len, NULL)) {
		g_test_skip("no samba-technical corpus");
		g_free(path);
		return;
	}
	bodies = g_ptr_array_new_with_free_func(g_free);
	for (p = text; p != NULL && *p != '\0'; p = end) {
		char *head_end = strstr(p, "\n\n");

		end = strstr(p + 1, "\nFrom ");
		if (end != NULL)
			end++;
		if (head_end != NULL && (end == NULL || head_end < end))
			g_ptr_array_add(bodies, g_strndup(head_end + 2,
			    (end != NULL ? end : text + len) - head_end - 2));
	}
	g_assert_cmpuint(bodies->len, >, 1000);
	perf_index(f, "samba-technical", 10000, corpus_body, bodies);
	g_ptr_array_unref(bodies);
	g_free(text);
	g_free(path);
}

/* Writes an empty file dir/name. */
static void
touch(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(p, "", 0, NULL));
	g_free(p);
}

/*
 * A writer killed while Xapian made shard-0 in place left Xapian's first
 * files without its version file (found by e2e-index.sh's kill -9 test):
 * every later run said "no index".  Such a folder holds nothing that was
 * committed and is made again; a shard-0 holding anything else is
 * refused and left alone; a new shard-0's own folder, left by a run
 * killed while making it, is removed once stale, by any writer's open.
 */
static void
test_creation_cut_short(struct fixture *f, gconstpointer data)
{
	char *p0 = g_build_filename(f->dir, "shard-0", NULL);
	char *stale = g_build_filename(f->dir, ".shard-0-new-AbCdEf", NULL);
	char *recent = g_build_filename(f->dir, ".shard-0-new-GhIjKl", NULL);
	char *note = g_build_filename(p0, "notes.txt", NULL);
	struct larch_store *s = NULL;
	struct utimbuf old = { 1000000000, 1000000000 };
	GStatBuf st;

	g_assert_cmpint(g_mkdir_with_parents(p0, 0777), ==, 0);
	touch(p0, "flintlock");
	touch(p0, "postlist.glass");
	touch(p0, "termlist.glass");
	touch(p0, "v.tmp");
	g_assert_cmpint(g_mkdir(stale, 0777), ==, 0);
	touch(stale, "flintlock");
	g_assert_cmpint(g_utime(stale, &old), ==, 0);
	g_assert_cmpint(g_mkdir(recent, 0777), ==, 0);
	s = open_ok(f->dir, LARCH_STORE_WRITE);
	put_new(s, "a@x", "dev", "after the cut");
	g_assert_cmpint(larch_store_commit(s), ==, LARCH_OK);
	larch_store_close(s);
	s = open_ok(f->dir, LARCH_STORE_READ);
	g_assert_cmpuint(count(s), ==, 1);
	larch_store_close(s);
	g_assert_false(g_file_test(stale, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(recent, G_FILE_TEST_IS_DIR));
	/* Made as Xapian makes a folder: readable by others under the
	 * usual umask, not 0700 as a temporary folder is. */
	g_assert_cmpint(g_stat(p0, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0777 & ~test_umask());
	/* A stale folder beside a complete index goes at a later open. */
	g_assert_cmpint(g_mkdir(stale, 0777), ==, 0);
	g_assert_cmpint(g_utime(stale, &old), ==, 0);
	larch_store_close(open_ok(f->dir, LARCH_STORE_WRITE));
	g_assert_false(g_file_test(stale, G_FILE_TEST_EXISTS));

	test_rm_rf(p0);
	g_assert_cmpint(g_mkdir_with_parents(p0, 0777), ==, 0);
	touch(p0, "postlist.glass");
	touch(p0, "notes.txt");
	g_assert_cmpint(larch_store_open(f->dir, LARCH_STORE_WRITE, &s), ==,
	    LARCH_ERR_CORRUPT);
	g_assert_nonnull(strstr(larch_store_error(s), "not a Xapian"));
	larch_store_close(s);
	g_assert_true(g_file_test(note, G_FILE_TEST_EXISTS));
	g_free(note);
	g_free(recent);
	g_free(stale);
	g_free(p0);
}

#define ADD(path, fn) g_test_add(path, struct fixture, NULL, \
	fixture_set_up, fn, fixture_tear_down)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ADD("/store/create-put-get", test_create_put_get);
	ADD("/store/replace", test_replace);
	ADD("/store/put-record", test_put_record);
	ADD("/store/delete", test_delete);
	ADD("/store/meta", test_meta);
	ADD("/store/uncommitted", test_uncommitted);
	ADD("/store/close-discards", test_close_discards);
	ADD("/store/fresh-uncommitted", test_fresh_uncommitted);
	ADD("/store/creation-cut-short", test_creation_cut_short);
	ADD("/store/foreach", test_foreach);
	ADD("/store/foreach-commits", test_foreach_commits);
	ADD("/store/lists", test_lists);
	ADD("/store/disk-size", test_disk_size);
	ADD("/store/schema-mismatch", test_schema_mismatch);
	ADD("/store/locked", test_locked);
	ADD("/store/lock-unavailable", test_lock_unavailable);
	ADD("/store/missing", test_missing);
	ADD("/store/unwritable", test_unwritable);
	ADD("/store/read-only", test_read_only);
	ADD("/store/doc-update", test_doc_update);
	ADD("/store/doc-place", test_doc_place);
	ADD("/store/threads", test_threads);
	ADD("/store/huge-terms", test_huge_terms);
	ADD("/store/reader-retries", test_reader_retries);
	if (g_test_perf()) {
		ADD("/store/perf-synthetic", test_perf_synthetic);
		ADD("/store/perf-corpus", test_perf_corpus);
	}
	return g_test_run();
}
