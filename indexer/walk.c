/* Recursive discovery of archive files; see walk.h. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
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

/* The delivery time a Maildir file name starts with ("1230869260.M2P2.
 * host:2,S"), or -1 for a name that does not follow the convention. */
static gint64
delivered_at(const char *path)
{
	const char *name = strrchr(path, G_DIR_SEPARATOR);
	gint64 t = 0;
	const char *p;

	name = name != NULL ? name + 1 : path;
	for (p = name; g_ascii_isdigit(*p) && p - name < 18; p++)
		t = t * 10 + (*p - '0');
	return p > name && *p == '.' ? t : -1;
}

static gint
by_delivery(gconstpointer a, gconstpointer b)
{
	const char *pa = *(const char *const *)a;
	const char *pb = *(const char *const *)b;
	gint64 ta = delivered_at(pa), tb = delivered_at(pb);

	if (ta != tb)
		return ta < tb ? -1 : 1;
	return strcmp(pa, pb);
}

/* What one walk collects. */
struct walk {
	GPtrArray *files;
	GPtrArray *unreadable;	/* "cannot read 'PATH': why" (owned) */
	const char *skip_dir;
	GHashTable *seen;	/* folders walked */
	GPtrArray *boxed;	/* the messages of Maildirs (owned) */
	guint boxed_at;		/* where in files they go */
};

/* Inserts all of more (whose pointers files then owns) at index at. */
static void
splice(GPtrArray *files, guint at, GPtrArray *more)
{
	guint tail = files->len - at;

	if (more->len == 0)
		return;
	g_ptr_array_set_size(files, (gint)(files->len + more->len));
	memmove(files->pdata + at + more->len, files->pdata + at,
	    tail * sizeof(gpointer));
	memcpy(files->pdata + at, more->pdata, more->len * sizeof(gpointer));
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

/* Notes that path cannot be read, and why. */
static void
add_unreadable(struct walk *w, const char *path, const char *why)
{
	g_ptr_array_add(w->unreadable, g_strdup_printf("cannot read '%s': %s",
	    path, why));
}

/* in_box: dir is the cur/ or new/ of a Maildir. */
static void
walk_dir(struct walk *w, const char *dir, int depth, bool in_box)
{
	DIR *d;
	struct dirent *ent;
	GPtrArray *names;
	gboolean maildir = FALSE;
	char *probe;
	struct stat self;

	/* Absurd nesting must not run away either. */
	if (depth > 64) {
		add_unreadable(w, dir, "folders nested more than 64 deep");
		return;
	}
	if (stat(dir, &self) != 0 || !first_visit(w->seen, &self))
		return;
	d = opendir(dir);
	if (d == NULL) {
		add_unreadable(w, dir, g_strerror(errno));
		return;
	}
	probe = g_build_filename(dir, "cur", NULL);
	maildir = g_file_test(probe, G_FILE_TEST_IS_DIR);
	g_free(probe);

	names = g_ptr_array_new_with_free_func(g_free);
	while ((ent = readdir(d)) != NULL) {
		const char *name = ent->d_name;

		if (name[0] == '.')
			continue;
		/* Maildir's tmp/ holds deliveries in progress. */
		if (maildir && strcmp(name, "tmp") == 0)
			continue;
		g_ptr_array_add(names, g_strdup(name));
	}
	closedir(d);
	g_ptr_array_sort(names, by_key);

	for (guint i = 0; i < names->len; i++) {
		char *full = g_build_filename(dir, names->pdata[i], NULL);
		struct stat st;

		if (stat(full, &st) != 0) {
			add_unreadable(w, full, g_strerror(errno));
			g_free(full);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			const char *sub = names->pdata[i];

			if (w->skip_dir == NULL ||
			    strcmp(full, w->skip_dir) != 0)
				walk_dir(w, full, depth + 1, maildir &&
				    (strcmp(sub, "cur") == 0 ||
				    strcmp(sub, "new") == 0));
			g_free(full);
		} else if (S_ISREG(st.st_mode) && in_box) {
			if (w->boxed->len == 0)
				w->boxed_at = w->files->len;
			g_ptr_array_add(w->boxed, full);
		} else if (S_ISREG(st.st_mode)) {
			g_ptr_array_add(w->files, full);
		} else {
			/* A FIFO would block the reader, a device be
			 * endless. */
			add_unreadable(w, full, "not a regular file");
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
		struct walk w = { files, unreadable, skip_dir,
		    g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		    NULL), g_ptr_array_new(), 0 };

		walk_dir(&w, abs, 0, false);
		/* The Maildirs' messages in delivery order, all folders
		 * together where the first one was: a reply is then
		 * seldom read before its parent in another list's folder,
		 * which would make the threader relink their thread. */
		g_ptr_array_sort(w.boxed, by_delivery);
		splice(files, w.boxed_at, w.boxed);
		g_ptr_array_unref(w.boxed);
		g_hash_table_unref(w.seen);
	} else
		g_ptr_array_add(files, g_strdup(abs));
	g_free(abs);
	return LARCH_OK;
}

bool
larch_walk_in_maildir(const char *file, size_t *maildir_len)
{
	const char *slash = strrchr(file, '/');
	const char *box;

	if (slash == NULL)
		return false;
	for (box = slash; box > file && box[-1] != '/'; box--)
		;
	if (slash - box != 3 || (memcmp(box, "cur", 3) != 0 &&
	    memcmp(box, "new", 3) != 0))
		return false;
	if (maildir_len != NULL)
		*maildir_len = box > file ? (size_t)(box - 1 - file) : 0;
	return true;
}
