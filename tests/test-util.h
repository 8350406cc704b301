/* Helpers shared by the unit tests. */
#ifndef LARCH_TEST_UTIL_H
#define LARCH_TEST_UTIL_H

#include <glib.h>
#include <glib/gstdio.h>

/* Removes path and everything below it (a test's temporary folder). */
static inline void
test_rm_rf(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	if (d != NULL) {
		while ((name = g_dir_read_name(d)) != NULL) {
			char *p = g_build_filename(path, name, NULL);

			test_rm_rf(p);
			g_free(p);
		}
		g_dir_close(d);
	}
	g_remove(path);
}

/*
 * How many times slower than natively the tests run: the valgrind setup of
 * tests/meson.build says so in LARCH_TEST_TIME_SCALE.  A bound on time
 * that guards against a quadratic blow-up is multiplied by it: memcheck's
 * slowdown varies with the machine (the same code took 15 and 28 s).
 */
static inline double
test_time_scale(void)
{
	const char *v = g_getenv("LARCH_TEST_TIME_SCALE");
	double scale = v != NULL ? g_ascii_strtod(v, NULL) : 1.0;

	return scale >= 1.0 ? scale : 1.0;
}

/*
 * 1, or N when a slow setup (valgrind's) asks a test that walks real
 * corpora or repeats work to do every Nth item: LARCH_TEST_SAMPLE.  The
 * normal and sanitizer builds still do it all.
 */
static inline guint
test_sample_stride(void)
{
	const char *v = g_getenv("LARCH_TEST_SAMPLE");
	guint64 n = v != NULL ? g_ascii_strtoull(v, NULL, 10) : 1;

	return n >= 1 && n <= 1000 ? (guint)n : 1;
}

#endif
