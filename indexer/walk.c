/* Recursive discovery of archive files; see walk.h. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "larch/log.h"
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

/* Whether dir/name is a folder (or a link to one). */
static bool
has_folder(const char *dir, const char *name)
{
	char *path = g_build_filename(dir, name, NULL);
	struct stat st;
	bool yes = stat(path, &st) == 0 && S_ISDIR(st.st_mode);

	g_free(path);
	return yes;
}

/*
 * A name starting with '.' is hidden: version control (.git), other
 * indexes (.notmuch), editor swap files, macOS's .DS_Store and "._x"
 * resource forks beside each file of a copied archive.  The exception is
 * a Maildir++ folder (Courier, Dovecot): every folder but the inbox is a
 * dot-named Maildir beside the inbox's cur/ ("Mail/.Lists.policy").
 * What is skipped is said with --verbose, so that nothing goes missing
 * without a word.
 */
static bool
is_hidden(const char *full, const struct stat *st)
{
	const char *name = strrchr(full, G_DIR_SEPARATOR);

	name = name != NULL ? name + 1 : full;
	if (name[0] != '.')
		return false;
	if (S_ISDIR(st->st_mode) && larch_walk_is_maildir(full))
		return false;
	log_info("skipping '%s': hidden (its name starts with '.')", full);
	return true;
}

/* in_box: dir is the cur/ or new/ of a Maildir. */
static void
walk_dir(struct walk *w, const char *dir, int depth, bool in_box)
{
	DIR *d;
	struct dirent *ent;
	GPtrArray *names;
	bool maildir;
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
	maildir = larch_walk_is_maildir(dir);

	names = g_ptr_array_new_with_free_func(g_free);
	while ((ent = readdir(d)) != NULL) {
		const char *name = ent->d_name;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
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
			/* A dangling link named like a swap file is no
			 * loss either. */
			if (((const char *)names->pdata[i])[0] != '.')
				add_unreadable(w, full, g_strerror(errno));
			g_free(full);
			continue;
		}
		if ((w->skip_dir != NULL && strcmp(full, w->skip_dir) == 0) ||
		    is_hidden(full, &st)) {
			g_free(full);
		} else if (S_ISDIR(st.st_mode)) {
			const char *sub = names->pdata[i];

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
larch_walk_is_maildir(const char *dir)
{
	/* cur/ alone is a Maildir all of whose mail was read, kept in git
	 * or a tarball, which drop empty folders (notmuch's test corpus);
	 * a folder that only has new/ is just a folder of new things. */
	return has_folder(dir, "cur") ||
	    (has_folder(dir, "new") && has_folder(dir, "tmp"));
}

bool
larch_walk_in_maildir(const char *file, size_t *maildir_len)
{
	const char *slash = strrchr(file, '/');
	const char *box;
	char *maildir;
	bool yes;

	if (slash == NULL)
		return false;
	for (box = slash; box > file && box[-1] != '/'; box--)
		;
	if (slash - box != 3 || (memcmp(box, "cur", 3) != 0 &&
	    memcmp(box, "new", 3) != 0))
		return false;
	maildir = box > file ? g_strndup(file, (gsize)(box - 1 - file)) :
	    g_strdup(".");
	yes = larch_walk_is_maildir(maildir[0] != '\0' ? maildir : "/");
	g_free(maildir);
	if (yes && maildir_len != NULL)
		*maildir_len = box > file ? (size_t)(box - 1 - file) : 0;
	return yes;
}

bool
larch_walk_has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n >= k && g_ascii_strcasecmp(name + n - k, suffix) == 0;
}

/*
 * A Maildir++ folder is named by the last part of its dot-separated
 * path, the folder's own name as a mail client shows it: ".lists.igf-mag"
 * is the folder igf-mag inside lists, as lists/igf-mag/ would be in a
 * tree of plain Maildirs.  Other names are themselves.
 */
static char *
maildir_folder_name(const char *base)
{
	const char *dot;

	if (base[0] != '.')
		return g_strdup(base);
	for (dot = base + strlen(base); dot > base; dot--)
		if (dot[-1] == '.' && dot[0] != '\0')
			return g_strdup(dot);
	return g_strdup(base);
}

/* Cuts suffix (in any case) off the end of name, leaving something. */
static void
strip_suffix(char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	if (n > s && larch_walk_has_suffix(name, suffix))
		name[n - s] = '\0';
}

/* Cuts a rotated file's mark off the end of name: logrotate's count
 * (list.mbox.1) or date (list.mbox-20231101), so the old file keeps its
 * list's name. */
static void
strip_rotation(char *name)
{
	size_t n = strlen(name), digits = 0;

	while (digits < n && g_ascii_isdigit(name[n - 1 - digits]))
		digits++;
	if (digits == 0 || digits == n)
		return;
	if ((digits <= 3 && name[n - 1 - digits] == '.') ||
	    (digits == 8 && name[n - 1 - digits] == '-'))
		name[n - 1 - digits] = '\0';
}

/*
 * A name taken from a file's place made fit for a list's: valid UTF-8
 * (an old archive's Latin-1 file name; its bytes become U+FFFD, as the
 * record's JSON made them, while the index's terms, --stats and larchd's
 * LISTS kept the bytes and were not UTF-8) and without control characters
 * (a newline broke --stats's table).  Takes name; the caller g_free()s
 * the result.
 */
static char *
fit_list_name(char *name)
{
	char *valid = g_utf8_make_valid(name, -1);
	GString *out = g_string_sized_new(strlen(valid));

	for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_iscntrl(c))
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, c);
	}
	g_free(valid);
	g_free(name);
	return g_string_free(out, FALSE);
}

char *
larch_walk_list_name(const char *file, enum larch_archive_kind kind)
{
	char *dir = g_path_get_dirname(file);
	char *base = g_path_get_basename(dir);
	char *name;
	size_t maildir_len = 0;

	/* A Maildir's file is its folder's, even one that holds an mbox. */
	if ((kind == LARCH_ARCHIVE_MESSAGE || kind == LARCH_ARCHIVE_MBOX) &&
	    larch_walk_in_maildir(file, &maildir_len)) {
		char *maildir = g_strndup(file, maildir_len);
		char *folder = g_path_get_basename(maildir);

		g_free(base);
		base = maildir_folder_name(folder);
		g_free(folder);
		g_free(maildir);
	}
	if (kind == LARCH_ARCHIVE_PIPERMAIL_HTML) {
		/* .../<list>/<YYYY-Month>/NNNNNN.html */
		char *up = g_path_get_dirname(dir);

		g_free(base);
		base = g_path_get_basename(up);
		g_free(up);
	}
	g_free(dir);
	if (kind == LARCH_ARCHIVE_PIPERMAIL || kind == LARCH_ARCHIVE_MESSAGE ||
	    kind == LARCH_ARCHIVE_PIPERMAIL_HTML || maildir_len > 0)
		return fit_list_name(base);
	name = g_path_get_basename(file);
	strip_suffix(name, ".gz");
	strip_rotation(name);
	strip_suffix(name, ".txt");
	if (g_ascii_strcasecmp(name, "mbox") == 0 &&
	    larch_walk_has_suffix(base, ".mbox") && strlen(base) > 5) {
		/* Apple Mail exports a mailbox as Name.mbox/mbox. */
		g_free(name);
		name = g_steal_pointer(&base);
	}
	g_free(base);
	strip_suffix(name, ".mbox");
	strip_suffix(name, ".mbx");
	return fit_list_name(name);
}
