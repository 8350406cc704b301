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

#endif
