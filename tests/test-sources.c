/*
 * Unit tests for indexer/sources.c: the check a file's state keeps of the
 * last message read (the states themselves are exercised end to end by
 * e2e-index.sh and e2e-crash.sh).
 */
#include <string.h>
#include <glib.h>

#include "sources.h"

static const char message[] =
    "From ann@example.org Thu May 26 19:05:00 2016\n"
    "From: Ann <ann@example.org>\nSubject: hi\n\nHello.\n";

static void
test_tail_sum(void)
{
	char a[17], b[17], c[17];

	larch_source_tail_sum(message, strlen(message), a);
	larch_source_tail_sum(message, strlen(message), b);
	g_assert_cmpuint(strlen(a), ==, 16);
	g_assert_true(strspn(a, "0123456789abcdef") == 16);
	g_assert_cmpstr(a, ==, b);
	/* One byte less is another message. */
	larch_source_tail_sum(message, strlen(message) - 1, c);
	g_assert_cmpstr(a, !=, c);
	larch_source_tail_sum("", 0, c);
	g_assert_cmpuint(strlen(c), ==, 16);
}

static void
test_tail_matches(void)
{
	char sum[17];
	char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, message,
	    -1);
	char legacy[17];

	larch_source_tail_sum(message, strlen(message), sum);
	g_assert_true(larch_source_tail_matches(message, strlen(message),
	    sum));
	/* What indexes written before the CRC sum kept. */
	g_strlcpy(legacy, sha, sizeof legacy);
	g_assert_true(larch_source_tail_matches(message, strlen(message),
	    legacy));
	g_assert_false(larch_source_tail_matches(message,
	    strlen(message) - 1, sum));
	g_assert_false(larch_source_tail_matches(message,
	    strlen(message) - 1, legacy));
	g_assert_false(larch_source_tail_matches(message, strlen(message),
	    ""));
	g_free(sha);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sources/tail-sum", test_tail_sum);
	g_test_add_func("/sources/tail-matches", test_tail_matches);
	return g_test_run();
}
