/*
 * Unit tests for indexer/prefetch.c: which files larch-index asks the
 * kernel to read ahead, and that asking never waits on or changes one.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prefetch.h"
#include "test-util.h"

struct folder {
	char *root;
	GPtrArray *files;	/* paths, in the order they are read */
};

static void
folder_init(struct folder *f)
{
	GError *err = NULL;

	f->root = g_dir_make_tmp("larch-prefetch-XXXXXX", &err);
	g_assert_no_error(err);
	f->files = g_ptr_array_new_with_free_func(g_free);
}

static void
folder_clear(struct folder *f)
{
	test_rm_rf(f->root);
	g_free(f->root);
	g_ptr_array_unref(f->files);
}

/* Adds a file of size bytes to the list (written unless size < 0). */
static char *
add_file(struct folder *f, const char *name, gssize size)
{
	char *path = g_build_filename(f->root, name, NULL);

	if (size >= 0) {
		char *data = g_malloc((gsize)size + 1);
		GError *err = NULL;

		memset(data, 'x', (gsize)size);
		g_file_set_contents(path, data, size, &err);
		g_assert_no_error(err);
		g_free(data);
	}
	g_ptr_array_add(f->files, path);
	return path;
}

static bool
want_all(const char *path, void *data)
{
	(void)path;
	(void)data;
	return true;
}

/* Wants every path but the one in data. */
static bool
want_all_but(const char *path, void *data)
{
	return strcmp(path, data) != 0;
}

/* Only the files ahead of the one being read, at most
 * LARCH_PREFETCH_FILES of them, each once and LARCH_PREFETCH_BATCH or
 * more at a time but for the last ones, are handed to the asking
 * thread; it asks for no more than it was handed (fewer when the reader
 * passed them first). */
static void
test_prefetch_window(void)
{
	struct folder f;
	struct larch_prefetch pf;
	guint n = LARCH_PREFETCH_FILES + 36;

	folder_init(&f);
	for (guint i = 0; i < n; i++) {
		char *name = g_strdup_printf("%03u.msg", i);

		add_file(&f, name, 100);
		g_free(name);
	}
	larch_prefetch_init(&pf, f.files, want_all, NULL);
	larch_prefetch_before(&pf, 0);
	g_assert_cmpuint(pf.queued, ==, LARCH_PREFETCH_FILES);
	g_assert_cmpuint(pf.next, ==, LARCH_PREFETCH_FILES + 1);
	/* The same window again asks for nothing new. */
	larch_prefetch_before(&pf, 0);
	g_assert_cmpuint(pf.queued, ==, LARCH_PREFETCH_FILES);
	/* Fewer than a batch of new files: handed later, with more. */
	larch_prefetch_before(&pf, LARCH_PREFETCH_BATCH - 1);
	g_assert_cmpuint(pf.queued, ==, LARCH_PREFETCH_FILES);
	g_assert_cmpuint(pf.next, ==, LARCH_PREFETCH_FILES + 1);
	larch_prefetch_before(&pf, LARCH_PREFETCH_BATCH);
	g_assert_cmpuint(pf.queued, ==,
	    LARCH_PREFETCH_FILES + LARCH_PREFETCH_BATCH);
	/* Files the reader has passed are not asked for any more, and the
	 * window stops at the last file, however few are left. */
	larch_prefetch_before(&pf, n - 2);
	g_assert_cmpuint(pf.queued, ==,
	    LARCH_PREFETCH_FILES + LARCH_PREFETCH_BATCH + 1);
	g_assert_cmpuint(pf.next, ==, n);
	larch_prefetch_before(&pf, n - 1);
	g_assert_cmpuint(pf.queued, ==,
	    LARCH_PREFETCH_FILES + LARCH_PREFETCH_BATCH + 1);
	larch_prefetch_finish(&pf);
	g_assert_cmpuint(pf.asked, <=, pf.queued);
	g_assert_null(pf.thread);

	/* With the reader still at the first file, the thread asks for
	 * every file it was handed before it stops. */
	larch_prefetch_init(&pf, f.files, want_all, NULL);
	larch_prefetch_before(&pf, 0);
	larch_prefetch_finish(&pf);
	g_assert_cmpuint(pf.asked, ==, LARCH_PREFETCH_FILES);
	folder_clear(&f);
}

/*
 * A missing file, a FIFO (opening one to read would wait for a writer),
 * a folder, a file over the size limit and a file the caller does not
 * want are not asked for; the small files are, and stay as they were.
 */
static void
test_prefetch_skips(void)
{
	struct folder f;
	struct larch_prefetch pf;
	char *fifo, *small, *unwanted, *content = NULL;
	struct stat before, after;
	gsize len;

	folder_init(&f);
	add_file(&f, "first", 10);
	add_file(&f, "missing", -1);
	fifo = add_file(&f, "fifo", -1);
	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	add_file(&f, "folder", -1);
	g_assert_cmpint(g_mkdir(f.files->pdata[3], 0700), ==, 0);
	add_file(&f, "large", LARCH_PREFETCH_MAX_BYTES + 1);
	small = add_file(&f, "small", 4096);
	unwanted = add_file(&f, "unwanted", 10);
	g_assert_cmpint(stat(small, &before), ==, 0);

	/* A FIFO that blocked the open would hang here: fail instead. */
	alarm(30);
	larch_prefetch_init(&pf, f.files, want_all_but, unwanted);
	larch_prefetch_before(&pf, 0);
	larch_prefetch_finish(&pf);
	alarm(0);
	g_assert_cmpuint(pf.queued, ==, 5);
	g_assert_cmpuint(pf.asked, ==, 1);
	g_assert_cmpuint(pf.next, ==, f.files->len);

	g_assert_cmpint(stat(small, &after), ==, 0);
	g_assert_cmpint(after.st_size, ==, before.st_size);
	g_assert_cmpint(after.st_mtim.tv_sec, ==, before.st_mtim.tv_sec);
	g_assert_cmpint(after.st_mtim.tv_nsec, ==, before.st_mtim.tv_nsec);
	g_assert_true(g_file_get_contents(small, &content, &len, NULL));
	g_assert_cmpuint(len, ==, 4096);
	g_free(content);
	folder_clear(&f);
}

/* An empty list and a list of one file ask for nothing. */
static void
test_prefetch_short_lists(void)
{
	struct folder f;
	struct larch_prefetch pf;

	folder_init(&f);
	larch_prefetch_init(&pf, f.files, want_all, NULL);
	larch_prefetch_before(&pf, 0);
	larch_prefetch_finish(&pf);
	g_assert_cmpuint(pf.asked, ==, 0);
	g_assert_null(pf.thread);
	add_file(&f, "only", 10);
	larch_prefetch_init(&pf, f.files, want_all, NULL);
	larch_prefetch_before(&pf, 0);
	larch_prefetch_finish(&pf);
	g_assert_cmpuint(pf.asked, ==, 0);
	g_assert_null(pf.thread);
	folder_clear(&f);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prefetch/window", test_prefetch_window);
	g_test_add_func("/prefetch/skips", test_prefetch_skips);
	g_test_add_func("/prefetch/short-lists", test_prefetch_short_lists);
	return g_test_run();
}
