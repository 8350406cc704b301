/*
 * Unit tests for indexer/walk.c: which files a folder holds for
 * larch-index, and in what order.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-util.h"
#include "walk.h"

struct tree {
	char *tmp;
};

static void
touch(const char *root, const char *rel)
{
	char *path = g_build_filename(root, rel, NULL);
	char *dir = g_path_get_dirname(path);
	GError *err = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_file_set_contents(path, "x\n", -1, &err);
	g_assert_no_error(err);
	g_free(dir);
	g_free(path);
}

/* The walk of root as paths relative to it, joined by spaces. */
static char *
walk_rel(const char *root)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *unreadable = g_ptr_array_new_with_free_func(g_free);
	char *error = NULL, *canon = g_canonicalize_filename(root, NULL);
	GString *out = g_string_new(NULL);

	g_assert_cmpint(larch_walk(root, NULL, files, unreadable, &error), ==,
	    LARCH_OK);
	g_assert_null(error);
	g_assert_cmpuint(unreadable->len, ==, 0);
	for (guint i = 0; i < files->len; i++) {
		const char *f = files->pdata[i];

		g_assert_true(g_str_has_prefix(f, canon));
		g_string_append_printf(out, "%s%s", i > 0 ? " " : "",
		    f + strlen(canon) + 1);
	}
	g_ptr_array_unref(files);
	g_ptr_array_unref(unreadable);
	g_free(canon);
	return g_string_free(out, FALSE);
}

static char *
make_root(void)
{
	GError *err = NULL;
	char *tmp = g_dir_make_tmp("larch-walk-XXXXXX", &err);

	g_assert_no_error(err);
	return tmp;
}

/* Checks the walk of root, then removes and frees root. */
static void
assert_walk(char *root, const char *want)
{
	char *got = walk_rel(root);

	g_assert_cmpstr(got, ==, want);
	g_free(got);
	test_rm_rf(root);
	g_free(root);
}

/* Pipermail months by date, other files by name, hidden files and
 * Maildir tmp/ left out. */
static void
test_walk_names(void)
{
	char *root = make_root();

	touch(root, "b.mbox");
	touch(root, "a.mbox");
	touch(root, ".hidden");
	touch(root, "list/2016-May.txt.gz");
	touch(root, "list/2016-April.txt");
	touch(root, "list/2015-December.txt");
	assert_walk(root, "a.mbox b.mbox list/2015-December.txt "
	    "list/2016-April.txt list/2016-May.txt.gz");
}

/*
 * Maildir messages of every folder come together in delivery order (the
 * time their names start with), where the first of them was; names
 * without a time go first, by path; files beside the Maildirs keep
 * their places.
 */
static void
test_walk_maildirs(void)
{
	char *root = make_root();

	touch(root, "a.mbox");
	touch(root, "dev/cur/300.M3P3.host:2,S");
	touch(root, "dev/cur/100.M1P1.host:2,S");
	touch(root, "dev/new/250.M9P9.host");
	touch(root, "dev/tmp/50.M0P0.host");
	touch(root, "users/cur/200.M2P2.host:2,S");
	touch(root, "users/cur/1000.M4P4.host:2,S");
	touch(root, "users/cur/odd-name");
	touch(root, "users/notes.txt");
	touch(root, "z.mbox");
	assert_walk(root, "a.mbox users/cur/odd-name "
	    "dev/cur/100.M1P1.host:2,S users/cur/200.M2P2.host:2,S "
	    "dev/new/250.M9P9.host dev/cur/300.M3P3.host:2,S "
	    "users/cur/1000.M4P4.host:2,S users/notes.txt z.mbox");
}

/* Time-named files outside a Maildir's cur/ and new/ keep name order. */
static void
test_walk_not_maildir(void)
{
	char *root = make_root();

	touch(root, "x/cur-notes/9.b");
	touch(root, "x/cur-notes/10.a");
	touch(root, "y/cur/10.a");
	touch(root, "y/cur/9.b");
	touch(root, "y/other/10.a");
	touch(root, "y/other/9.b");
	assert_walk(root, "x/cur-notes/10.a x/cur-notes/9.b "
	    "y/cur/9.b y/cur/10.a y/other/10.a y/other/9.b");
}

/* What cannot be read is reported with its reason, and a FIFO is not
 * handed to the reader (opening it would wait for a writer). */
static void
test_walk_unreadable(void)
{
	char *root = make_root();
	char *canon = g_canonicalize_filename(root, NULL);
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *unreadable = g_ptr_array_new_with_free_func(g_free);
	char *error = NULL, *path, *want;
	static const char *const links[][2] = {
		{ "box/cur/loop1", "loop2" }, { "box/cur/loop2", "loop1" },
		{ "box/cur/200.M1.h", "/nonexistent/larch" },
	};

	touch(root, "box/cur/100.M1.h:2,S");
	path = g_build_filename(root, "box/cur/300.M1.h:2,S", NULL);
	g_assert_cmpint(mkfifo(path, 0600), ==, 0);
	g_free(path);
	for (size_t i = 0; i < G_N_ELEMENTS(links); i++) {
		path = g_build_filename(root, links[i][0], NULL);
		g_assert_cmpint(symlink(links[i][1], path), ==, 0);
		g_free(path);
	}
	g_assert_cmpint(larch_walk(root, NULL, files, unreadable, &error), ==,
	    LARCH_OK);
	g_assert_cmpuint(files->len, ==, 1);
	g_assert_cmpuint(unreadable->len, ==, 4);
	want = g_strdup_printf("cannot read '%s/box/cur/200.M1.h': %s", canon,
	    g_strerror(ENOENT));
	g_assert_cmpstr(unreadable->pdata[0], ==, want);
	g_free(want);
	want = g_strdup_printf("cannot read '%s/box/cur/300.M1.h:2,S': not a "
	    "regular file", canon);
	g_assert_cmpstr(unreadable->pdata[1], ==, want);
	g_free(want);
	want = g_strdup_printf("cannot read '%s/box/cur/loop1': %s", canon,
	    g_strerror(ELOOP));
	g_assert_cmpstr(unreadable->pdata[2], ==, want);
	g_free(want);
	g_ptr_array_unref(files);
	g_ptr_array_unref(unreadable);
	g_free(canon);
	test_rm_rf(root);
	g_free(root);
}

/* A message in a Maildir's cur/ or new/, and where the Maildir is. */
static void
test_walk_in_maildir(void)
{
	static const struct {
		const char *file;
		bool in;
		size_t maildir_len;
	} cases[] = {
		{ "/srv/box/cur/1.M1.h:2,S", true, 8 },
		{ "/srv/box/new/1.M1.h", true, 8 },
		{ "cur/1.M1.h", true, 0 },
		{ "/srv/box/tmp/1.M1.h", false, 0 },
		{ "/srv/cur-notes/1.M1.h", false, 0 },
		{ "/srv/box/cur", false, 0 },
		{ "1.M1.h", false, 0 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		size_t len = 99;

		g_assert_cmpint(larch_walk_in_maildir(cases[i].file, &len), ==,
		    cases[i].in);
		if (cases[i].in)
			g_assert_cmpuint(len, ==, cases[i].maildir_len);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/walk/names", test_walk_names);
	g_test_add_func("/walk/maildirs", test_walk_maildirs);
	g_test_add_func("/walk/not-maildir", test_walk_not_maildir);
	g_test_add_func("/walk/unreadable", test_walk_unreadable);
	g_test_add_func("/walk/in-maildir", test_walk_in_maildir);
	return g_test_run();
}
