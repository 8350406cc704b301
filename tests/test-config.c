/* larch-index's configuration and file discovery. */
#include <glib/gstdio.h>
#include <string.h>

#include "config.h"
#include "larch/keyfile.h"
#include "walk.h"
#include "test-util.h"

static char *
write_tmp(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void
test_defaults(void)
{
	struct larch_config *c = larch_config_new();

	g_assert_null(c->index);
	g_assert_cmpstr(c->fallback_charset, ==, "auto");
	g_assert_cmpuint(c->batch, >, 0);
	g_assert_cmpuint(c->lists->len, ==, 0);
	larch_config_free(c);
}

static void
test_load(void)
{
	char *dir = g_dir_make_tmp("larch-config-XXXXXX", NULL);
	char *path = write_tmp(dir, "larch.conf",
	    "[larch]\nindex = idx\nsources = a.mbox; /abs/b\n"
	    "fallback_charset = iso-8859-1\nbatch = 10\n"
	    "[list mag]\nlist_id = mag.example.org\npaths = arch/mag\n"
	    "[list fr]\nlanguage = French\nfallback_charset = AUTO\n"
	    "[list secret]\nprivate = true\ntokens = 00\n"
	    "[larchd]\nworkers = 4\n");
	struct larch_config *c = NULL;
	char *err = NULL, *want;
	const struct larch_config_list *l;

	g_assert_cmpint(larch_config_load(path, &c, &err), ==, LARCH_OK);
	g_assert_null(err);
	want = g_build_filename(dir, "idx", NULL);
	g_assert_cmpstr(c->index, ==, want);
	g_free(want);
	g_assert_cmpuint(c->sources->len, ==, 2);
	/* larchd's keys of a [list NAME] are left to larchd. */
	g_assert_nonnull(larch_config_list_by_name(c, "secret"));
	g_assert_cmpstr(c->sources->pdata[1], ==, "/abs/b");
	g_assert_cmpstr(c->fallback_charset, ==, "iso-8859-1");
	g_assert_cmpuint(c->batch, ==, 10);
	g_assert_cmpstr(larch_config_language(c, "fr"), ==, "french");
	g_assert_cmpstr(larch_config_language(c, "mag"), ==, "english");
	g_assert_cmpstr(larch_config_language(c, "unknown"), ==, "english");
	g_assert_cmpstr(larch_config_list_by_name(c, "fr")->fallback_charset,
	    ==, "auto");

	l = larch_config_list_by_id(c, "MAG.example.org");
	g_assert_nonnull(l);
	g_assert_cmpstr(l->name, ==, "mag");
	g_assert_null(larch_config_list_by_id(c, "other.example.org"));
	want = g_build_filename(dir, "arch", "mag", "2016-May.txt", NULL);
	g_assert_true(larch_config_list_by_path(c, want) == l);
	g_free(want);
	want = g_build_filename(dir, "arch", "magnet", "x", NULL);
	g_assert_null(larch_config_list_by_path(c, want));
	g_free(want);

	larch_config_free(c);
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

/* Each row is a config text that must be refused, and why. */
static const struct {
	const char *text;
	const char *error_part;
} bad_configs[] = {
	{ "[larch]\nbatch = lots\n", "batch" },
	{ "[larch]\njobs = -1\n", "jobs" },
	{ "[larch]\nmax_message_size = 99999999999999\n", "max_message_size" },
	{ "[list ]\nlist_id = x\n", "needs a name" },
	{ "[larch]\nlanguage = klingon\n", "unknown language 'klingon'" },
	{ "[list fr]\nlanguage = \n", "unknown language" },
	{ "not a key file\n", "cannot read config" },
	{ "[larch]\nsubject_fallbak = false\n",
	    "unknown key 'subject_fallbak' in [larch]" },
	{ "[list mag]\npath = x\n", "unknown key 'path' in [list mag]" },
	{ "[list mag]\nprivte = true\n", "unknown key 'privte' in [list mag]" },
	{ "[lists mag]\npaths = x\n", "unknown group [lists mag]" },
	{ "[larch]\nfallback_charset = latin-42\n",
	    "unknown fallback_charset 'latin-42' in [larch]" },
	{ "[list ru]\nfallback_charset = koi9-r\n",
	    "unknown fallback_charset 'koi9-r' in [list ru]" },
};

static void
test_bad(void)
{
	char *dir = g_dir_make_tmp("larch-config-XXXXXX", NULL);
	struct larch_config *c = NULL;
	char *err = NULL, *path;

	for (guint i = 0; i < G_N_ELEMENTS(bad_configs); i++) {
		path = write_tmp(dir, "bad.conf", bad_configs[i].text);
		g_assert_cmpint(larch_config_load(path, &c, &err), !=,
		    LARCH_OK);
		g_assert_null(c);
		g_assert_nonnull(strstr(err, bad_configs[i].error_part));
		/* Each error names the file. */
		g_assert_nonnull(strstr(err, "bad.conf"));
		g_free(err);
		err = NULL;
		g_unlink(path);
		g_free(path);
	}
	path = g_build_filename(dir, "missing.conf", NULL);
	g_assert_cmpint(larch_config_load(path, &c, &err), ==, LARCH_ERR_IO);
	g_assert_nonnull(strstr(err, "missing.conf"));
	g_free(err);
	g_free(path);
	g_rmdir(dir);
	g_free(dir);
}

static void
test_walk_order(void)
{
	char *dir = g_dir_make_tmp("larch-walk-XXXXXX", NULL);
	const char *names[] = { "2016-May.txt.gz", "2016-April.txt",
	    "2015-December.txt.gz", "notes", ".hidden" };
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *bad = g_ptr_array_new_with_free_func(g_free);
	char *err = NULL, *sub, *tmp;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		g_free(write_tmp(dir, names[i], "x"));
	sub = g_build_filename(dir, "md", "cur", NULL);
	g_mkdir_with_parents(sub, 0700);
	g_free(write_tmp(sub, "1", "x"));
	tmp = g_build_filename(dir, "md", "tmp", NULL);
	g_mkdir_with_parents(tmp, 0700);
	g_free(write_tmp(tmp, "2", "x"));

	g_assert_cmpint(larch_walk(dir, NULL, files, bad, &err), ==,
	    LARCH_OK);
	g_assert_cmpuint(files->len, ==, 5);
	g_assert_true(g_str_has_suffix(files->pdata[0],
	    "/2015-December.txt.gz"));
	g_assert_true(g_str_has_suffix(files->pdata[1], "/2016-April.txt"));
	g_assert_true(g_str_has_suffix(files->pdata[2], "/2016-May.txt.gz"));
	g_assert_true(g_str_has_suffix(files->pdata[3], "/md/cur/1"));
	g_assert_true(g_str_has_suffix(files->pdata[4], "/notes"));
	g_assert_cmpuint(bad->len, ==, 0);

	g_assert_cmpint(larch_walk("/nonexistent/larch", NULL, files, bad,
	    &err), ==, LARCH_ERR_IO);
	g_assert_nonnull(strstr(err, "cannot read '/nonexistent/larch'"));
	g_free(err);

	g_ptr_array_unref(files);
	g_ptr_array_unref(bad);
	g_free(sub);
	g_free(tmp);
	test_rm_rf(dir);
	g_free(dir);
}

/* An empty index key names no index, as larchd reads it: not the config
 * file's own folder. */
static void
test_empty_index(void)
{
	char *dir = g_dir_make_tmp("larch-config-XXXXXX", NULL);
	char *path = write_tmp(dir, "larch.conf", "[larch]\nindex =  \n");
	struct larch_config *c = NULL;
	char *err = NULL;

	g_assert_cmpint(larch_config_load(path, &c, &err), ==, LARCH_OK);
	g_assert_null(c->index);
	larch_config_free(c);
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

/* The boolean reader both programs' configurations use. */
static void
test_keyfile_bool(void)
{
	static const struct {
		const char *text;	/* the value of [g] k, or NULL */
		bool ok, value;		/* *out starts true */
	} rows[] = {
		{ NULL, true, true },
		{ "false", true, false },
		{ "true", true, true },
		{ "0", true, false },
		{ "1", true, true },
		{ "maybe", false, true },
		{ "", false, true },
		{ "yes", false, true },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		GKeyFile *kf = g_key_file_new();
		char *text = g_strdup_printf("[g]\n%s%s\n",
		    rows[i].text != NULL ? "k = " : "",
		    rows[i].text != NULL ? rows[i].text : "");
		char *error = NULL;
		bool value = true;

		g_assert_true(g_key_file_load_from_data(kf, text, -1, 0,
		    NULL));
		g_assert_true(larch_keyfile_get_bool(kf, "g", "k", &value,
		    &error) == rows[i].ok);
		g_assert_true(value == rows[i].value);
		if (rows[i].ok)
			g_assert_null(error);
		else
			g_assert_cmpstr(error, ==, "bad value for 'k' in [g]: "
			    "use true or false");
		g_free(error);
		g_free(text);
		g_key_file_free(kf);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/config/defaults", test_defaults);
	g_test_add_func("/config/load", test_load);
	g_test_add_func("/config/bad", test_bad);
	g_test_add_func("/config/keyfile-bool", test_keyfile_bool);
	g_test_add_func("/config/empty-index", test_empty_index);
	g_test_add_func("/walk/order", test_walk_order);
	return g_test_run();
}
