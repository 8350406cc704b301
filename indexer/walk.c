/* Recursive discovery of archive files; see walk.h. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* "2016-May.txt.gz" sorts as "2016-05~2016-May.txt.gz", so a folder of
 * pipermail months is read in date order and thread order follows. */
static char *
sort_key(const char *name)
{
	const char *dash = strchr(name, '-');

	if (dash != NULL && dash - name == 4 &&
	    g_ascii_isdigit(name[0]) && g_ascii_isdigit(name[3])) {
		for (int m = 0; m < 12; m++) {
			size_t n = strlen(months[m]);

			if (strncmp(dash + 1, months[m], n) == 0 &&
			    (dash[1 + n] == '.' || dash[1 + n] == '\0'))
				return g_strdup_printf("%.4s-%02d~%s", name,
				    m + 1, name);
		}
	}
	return g_strdup(name);
}

static gint
by_key(gconstpointer a, gconstpointer b)
{
	char *ka = sort_key(*(const char *const *)a);
	char *kb = sort_key(*(const char *const *)b);
	gint r = strcmp(ka, kb);

	g_free(ka);
	g_free(kb);
	return r;
}

/* Folders already walked, by device and inode: symbolic links can lead
 * back into a folder (a loop) or into one folder twice. */
static gboolean
first_visit(GHashTable *seen, const struct stat *st)
{
	char *key = g_strdup_printf("%ju:%ju", (uintmax_t)st->st_dev,
	    (uintmax_t)st->st_ino);

	if (g_hash_table_contains(seen, key)) {
		g_free(key);
		return FALSE;
	}
	g_hash_table_add(seen, key);
	return TRUE;
}

static void
walk_dir(const char *dir, const char *skip_dir, GPtrArray *files,
    GPtrArray *unreadable, int depth, GHashTable *seen)
{
	GDir *d;
	GPtrArray *names;
	const char *name;
	gboolean maildir = FALSE;
	char *probe;
	struct stat self;

	/* Absurd nesting must not run away either. */
	if (depth > 64) {
		g_ptr_array_add(unreadable, g_strdup(dir));
		return;
	}
	if (stat(dir, &self) != 0 || !first_visit(seen, &self))
		return;
	d = g_dir_open(dir, 0, NULL);
	if (d == NULL) {
		g_ptr_array_add(unreadable, g_strdup(dir));
		return;
	}
	probe = g_build_filename(dir, "cur", NULL);
	maildir = g_file_test(probe, G_FILE_TEST_IS_DIR);
	g_free(probe);

	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL) {
		if (name[0] == '.')
			continue;
		/* Maildir's tmp/ holds deliveries in progress. */
		if (maildir && strcmp(name, "tmp") == 0)
			continue;
		g_ptr_array_add(names, g_strdup(name));
	}
	g_dir_close(d);
	g_ptr_array_sort(names, by_key);

	for (guint i = 0; i < names->len; i++) {
		char *full = g_build_filename(dir, names->pdata[i], NULL);
		struct stat st;

		if (stat(full, &st) != 0) {
			g_ptr_array_add(unreadable, full);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (skip_dir == NULL || strcmp(full, skip_dir) != 0)
				walk_dir(full, skip_dir, files, unreadable,
				    depth + 1, seen);
			g_free(full);
		} else if (S_ISREG(st.st_mode)) {
			g_ptr_array_add(files, full);
		} else {
			g_free(full);
		}
	}
	g_ptr_array_unref(names);
}

enum larch_status
larch_walk(const char *path, const char *skip_dir, GPtrArray *files,
    GPtrArray *unreadable, char **error)
{
	char *abs = g_canonicalize_filename(path, NULL);
	struct stat st;

	if (stat(abs, &st) != 0) {
		*error = g_strdup_printf("cannot read '%s': %s", path,
		    g_strerror(errno));
		g_free(abs);
		return LARCH_ERR_IO;
	}
	if (S_ISDIR(st.st_mode)) {
		GHashTable *seen = g_hash_table_new_full(g_str_hash,
		    g_str_equal, g_free, NULL);

		walk_dir(abs, skip_dir, files, unreadable, 0, seen);
		g_hash_table_unref(seen);
	} else
		g_ptr_array_add(files, g_strdup(abs));
	g_free(abs);
	return LARCH_OK;
}
