/*
 * The main of a fuzz target's replay program: runs each file named on the
 * command line (directories are walked, in name order) through
 * LLVMFuzzerTestOneInput() once, printing TAP.  A file that breaks a
 * promise aborts the program, which the test harness reports as a failure
 * after the last "ok" line: the file being run is printed first, so the
 * log names it.  A path that does not exist is skipped (a target without
 * regressions has no folder).  After --lines, each line of the files that
 * follow is an input of its own (with its LF): protocol lines and queries
 * come that way from the docs.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "fuzz.h"

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
collect(const char *path, GPtrArray *files)
{
	GPtrArray *names;
	GDir *dir;
	const char *name;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_ptr_array_add(files, g_strdup(path));
		return;
	}
	dir = g_dir_open(path, 0, NULL);
	if (dir == NULL)
		return;
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(dir)) != NULL)
		if (name[0] != '.' && !g_str_has_prefix(name, "README"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(dir);
	g_ptr_array_sort(names, by_name);
	for (guint i = 0; i < names->len; i++) {
		char *child = g_build_filename(path, names->pdata[i], NULL);

		collect(child, files);
		g_free(child);
	}
	g_ptr_array_unref(names);
}

/* An exact-size copy, as libFuzzer gives it, so that a read past the
 * end is caught by ASan or valgrind. */
static void
run_one(const char *data, size_t len)
{
	uint8_t *exact = g_malloc(MAX(len, 1));

	memcpy(exact, data, len);
	LLVMFuzzerTestOneInput(exact, len);
	g_free(exact);
}

int
main(int argc, char **argv)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *by_line = g_ptr_array_new();
	bool lines = false;
	unsigned n = 0, failed = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		guint before = files->len;

		if (strcmp(argv[i], "--tap") == 0)
			continue;
		if (strcmp(argv[i], "--lines") == 0) {
			lines = true;
			continue;
		}
		if (!g_file_test(argv[i], G_FILE_TEST_EXISTS)) {
			printf("# no '%s': nothing to replay there\n", argv[i]);
			continue;
		}
		collect(argv[i], files);
		for (guint k = before; k < files->len; k++)
			if (lines)
				g_ptr_array_add(by_line, files->pdata[k]);
	}
	for (guint i = 0; i < files->len; i++) {
		const char *path = files->pdata[i];
		GError *error = NULL;
		char *data;
		gsize len;

		printf("# %s\n", path);
		fflush(stdout);
		n++;
		if (!g_file_get_contents(path, &data, &len, &error)) {
			printf("not ok %u - %s\n", n, error->message);
			g_clear_error(&error);
			failed++;
			continue;
		}
		if (g_ptr_array_find(by_line, path, NULL)) {
			const char *p = data, *end = data + len;
			unsigned count = 0;

			while (p < end) {
				const char *nl = memchr(p, '\n', end - p);
				const char *next = nl != NULL ? nl + 1 : end;

				run_one(p, (size_t)(next - p));
				p = next;
				count++;
			}
			printf("ok %u - %s (%u lines)\n", n, path, count);
		} else {
			run_one(data, len);
			printf("ok %u - %s\n", n, path);
		}
		g_free(data);
	}
	if (n == 0)
		printf("1..0 # SKIP no input to replay\n");
	else
		printf("1..%u\n", n);
	g_ptr_array_unref(by_line);
	g_ptr_array_unref(files);
	return failed > 0;
}
