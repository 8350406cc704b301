/*
 * Tests for daemon/log_burst.c: a client that makes larchd warn as fast
 * as it can connect gets LOG_BURST_LINES lines a window, and the next
 * line logged says how many were left out.
 */
#include "log_burst.h"
#include "test-util.h"

static void
test_window(void)
{
	struct log_burst b = { 0 };
	uint64_t unlogged = 99;
	int64_t t = 1000;
	unsigned logged = 0;

	for (unsigned i = 0; i < 3 * LOG_BURST_LINES; i++) {
		if (log_burst_allow(&b, t + i, &unlogged)) {
			logged++;
			g_assert_cmpuint(unlogged, ==, 0);
		}
	}
	g_assert_cmpuint(logged, ==, LOG_BURST_LINES);
	/* Still the same window: nothing more. */
	g_assert_false(log_burst_allow(&b, t + LOG_BURST_WINDOW_US - 1,
	    &unlogged));
	/* A new window: logged, and it counts what was left out. */
	g_assert_true(log_burst_allow(&b, t + LOG_BURST_WINDOW_US, &unlogged));
	g_assert_cmpuint(unlogged, ==, 2 * LOG_BURST_LINES + 1);
	g_assert_true(log_burst_allow(&b, t + LOG_BURST_WINDOW_US + 1,
	    &unlogged));
	g_assert_cmpuint(unlogged, ==, 0);
}

static void
test_quiet_start(void)
{
	struct log_burst b = { 0 };
	uint64_t unlogged;

	/* The monotonic clock may be small or large: the first event is
	 * always logged. */
	g_assert_true(log_burst_allow(&b, 0, &unlogged));
	g_assert_cmpuint(unlogged, ==, 0);
	b = (struct log_burst){ 0 };
	g_assert_true(log_burst_allow(&b, INT64_MAX / 2, &unlogged));
}

static void
test_note(void)
{
	char note[LOG_BURST_NOTE_MAX];

	g_assert_cmpstr(log_burst_note(0, note), ==, "");
	g_assert_cmpstr(log_burst_note(1234, note), ==,
	    " (1234 more not logged)");
	g_assert_cmpstr(log_burst_note(UINT64_MAX, note), ==,
	    " (18446744073709551615 more not logged)");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/log-burst/window", test_window);
	g_test_add_func("/log-burst/quiet-start", test_quiet_start);
	g_test_add_func("/log-burst/note", test_note);
	return g_test_run();
}
