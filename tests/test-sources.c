/*
 * Unit tests for indexer/sources.c: the sums a file's state keeps of its
 * start and of the last message read (the states themselves are exercised
 * end to end by e2e-index.sh and e2e-crash.sh).
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "larch/store.h"
#include "known_sources.h"
#include "sources.h"
#include "test-util.h"

static const char message[] =
    "From ann@example.org Thu May 26 19:05:00 2016\n"
    "From: Ann <ann@example.org>\nSubject: hi\n\nHello.\n";

static void
test_sum(void)
{
	char a[17], b[17], c[17];

	larch_source_sum(message, strlen(message), a);
	larch_source_sum(message, strlen(message), b);
	g_assert_cmpuint(strlen(a), ==, 16);
	g_assert_true(strspn(a, "0123456789abcdef") == 16);
	g_assert_cmpstr(a, ==, b);
	/* One byte less is another message. */
	larch_source_sum(message, strlen(message) - 1, c);
	g_assert_cmpstr(a, !=, c);
	larch_source_sum("", 0, c);
	g_assert_cmpuint(strlen(c), ==, 16);
}

static void
test_sum_matches(void)
{
	char sum[17];
	char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, message,
	    -1);
	char legacy[17];

	larch_source_sum(message, strlen(message), sum);
	g_assert_true(larch_source_sum_matches(message, strlen(message),
	    sum));
	/* What indexes written before the CRC sums kept. */
	g_strlcpy(legacy, sha, sizeof legacy);
	g_assert_true(larch_source_sum_matches(message, strlen(message),
	    legacy));
	g_assert_false(larch_source_sum_matches(message,
	    strlen(message) - 1, sum));
	g_assert_false(larch_source_sum_matches(message,
	    strlen(message) - 1, legacy));
	g_assert_false(larch_source_sum_matches(message, strlen(message),
	    ""));
	g_free(sha);
}

/* A file's start, read again on the next run: the same bytes match, an
 * edited start or a vanished file does not. */
static void
test_head_matches(void)
{
	char *dir = g_dir_make_tmp("larch-sources-XXXXXX", NULL);
	char *file = g_build_filename(dir, "archive.mbox", NULL);
	size_t len = 40;
	char sum[17], legacy[17];
	char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    (const guchar *)message, len);

	g_assert_true(g_file_set_contents(file, message, -1, NULL));
	larch_source_sum(message, len, sum);
	g_strlcpy(legacy, sha, sizeof legacy);
	g_assert_true(larch_source_head_matches(file, len, sum));
	g_assert_true(larch_source_head_matches(file, len, legacy));
	/* Asked for more than the file holds now: cut short. */
	g_assert_false(larch_source_head_matches(file, strlen(message) + 1,
	    sum));
	g_assert_true(g_file_set_contents(file, "From bob", -1, NULL));
	g_assert_false(larch_source_head_matches(file, 8, sum));
	g_assert_cmpint(g_unlink(file), ==, 0);
	g_assert_false(larch_source_head_matches(file, len, sum));
	g_assert_cmpint(g_rmdir(dir), ==, 0);
	g_free(sha);
	g_free(file);
	g_free(dir);
}

/* A file whose name is not UTF-8 keeps its state: it was stored as JSON
 * with the raw bytes, which did not parse back, so every run read the
 * file again and added a copy of each of its messages. */
static void
test_state_non_utf8(void)
{
	char *dir = g_dir_make_tmp("larch-sources-XXXXXX", NULL);
	char *idx = g_build_filename(dir, "index", NULL);
	struct larch_store *store = NULL;
	struct larch_source_state state = { 0 }, back = { 0 };

	g_assert_cmpint(larch_store_open(idx, LARCH_STORE_WRITE, &store), ==,
	    LARCH_OK);
	state.file = g_strdup("/srv/caf\xe9/\xff.mbox");
	state.kind = g_strdup("mbox");
	state.size = 90;
	state.offset = 90;
	g_assert_cmpint(larch_source_state_save(store, &state), ==, LARCH_OK);
	g_assert_cmpint(larch_source_state_load(store, state.file, &back), ==,
	    LARCH_OK);
	g_assert_cmpstr(back.file, ==, state.file);
	g_assert_cmpuint(back.offset, ==, 90);
	larch_source_state_release(&back);
	larch_source_state_release(&state);
	larch_store_close(store);
	test_rm_rf(dir);
	g_free(idx);
	g_free(dir);
}

/* A file is known once its state is saved, and unknown again once it
 * is forgotten. */
static void
test_state_known(void)
{
	char *dir = g_dir_make_tmp("larch-sources-XXXXXX", NULL);
	char *idx = g_build_filename(dir, "index", NULL);
	struct larch_store *store = NULL;
	struct larch_source_state state = { 0 };

	g_assert_cmpint(larch_store_open(idx, LARCH_STORE_WRITE, &store), ==,
	    LARCH_OK);
	state.file = g_strdup("/srv/lists/dev/cur/1464289500.M1P1.host");
	state.kind = g_strdup("message");
	g_assert_false(larch_source_state_known(store, state.file));
	g_assert_cmpint(larch_source_state_save(store, &state), ==, LARCH_OK);
	g_assert_true(larch_source_state_known(store, state.file));
	g_assert_false(larch_source_state_known(store,
	    "/srv/lists/dev/cur/1464289501.M2P1.host"));
	g_assert_cmpint(larch_source_state_forget(store, state.file), ==,
	    LARCH_OK);
	g_assert_false(larch_source_state_known(store, state.file));
	larch_source_state_release(&state);
	larch_store_close(store);
	test_rm_rf(dir);
	g_free(idx);
	g_free(dir);
}

/* The filter asks for a file's state key, as the indexer has it. */
static bool
maybe_file(const struct larch_known_sources *k, const char *file)
{
	char *key = larch_source_state_key(file);
	bool maybe = larch_known_sources_maybe(k, key);

	g_free(key);
	return maybe;
}

static void
add_file(struct larch_known_sources *k, const char *file)
{
	char *key = larch_source_state_key(file);

	larch_known_sources_add(k, key);
	g_free(key);
}

/*
 * The filter of files read before (known_sources.c): every file with a
 * state in the index when it is loaded, and every file added since, may
 * be known; of 2,000 other files none is (64 bits of a hash: a clash
 * would be a one in 10^15 chance here), with other metadata beside them.
 * A NULL filter says "maybe" to all.
 */
static void
test_known_sources(void)
{
	char *dir = g_dir_make_tmp("larch-sources-XXXXXX", NULL);
	char *idx = g_build_filename(dir, "index", NULL);
	struct larch_store *store = NULL;
	struct larch_known_sources *k;
	char *err = NULL;

	g_assert_cmpint(larch_store_open(idx, LARCH_STORE_WRITE, &store), ==,
	    LARCH_OK);
	/* An empty index: nothing is known. */
	k = larch_known_sources_load(store, &err);
	g_assert_nonnull(k);
	g_assert_false(maybe_file(k, "/srv/a.mbox"));
	larch_known_sources_free(k);

	for (int i = 0; i < 50; i++) {
		struct larch_source_state state = { 0 };

		state.file = g_strdup_printf("/srv/dev/cur/%d.M%dP1.host", i,
		    i * 7);
		state.kind = g_strdup("message");
		g_assert_cmpint(larch_source_state_save(store, &state), ==,
		    LARCH_OK);
		larch_source_state_release(&state);
	}
	g_assert_cmpint(larch_store_meta_set(store, "language:dev", "en"), ==,
	    LARCH_OK);
	k = larch_known_sources_load(store, &err);
	g_assert_nonnull(k);
	for (int i = 0; i < 50; i++) {
		char *file = g_strdup_printf("/srv/dev/cur/%d.M%dP1.host", i,
		    i * 7);

		g_assert_true(maybe_file(k, file));
		g_free(file);
	}
	for (int i = 0; i < 2000; i++) {
		char *file = g_strdup_printf("/srv/dev/new/%d.M%dP2.host", i,
		    i);

		g_assert_false(maybe_file(k, file));
		g_free(file);
	}
	add_file(k, "/srv/dev/new/7.M7P2.host");
	g_assert_true(maybe_file(k,
	    "/srv/dev/new/7.M7P2.host"));
	larch_known_sources_free(k);
	g_assert_true(maybe_file(NULL, "/srv/any"));
	larch_known_sources_free(NULL);
	add_file(NULL, "/srv/any");
	larch_store_close(store);
	test_rm_rf(dir);
	g_free(idx);
	g_free(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sources/sum", test_sum);
	g_test_add_func("/sources/sum-matches", test_sum_matches);
	g_test_add_func("/sources/head-matches", test_head_matches);
	g_test_add_func("/sources/state-non-utf8", test_state_non_utf8);
	g_test_add_func("/sources/state-known", test_state_known);
	g_test_add_func("/sources/known-sources", test_known_sources);
	return g_test_run();
}
