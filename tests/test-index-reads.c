/*
 * Tests for daemon/index_reads.c: this program, like larchd, gets its
 * open(), close() and pread() from there.  A read of a mapped table file
 * gives exactly what the system call gives, whatever happens to the file
 * (it grows, it is cut short, its descriptor is reused), and nothing but
 * read-only *.glass files is mapped.
 */
/* The calls below must be to open() and pread(), not to the open64() and
 * pread64() that _FILE_OFFSET_BITS=64 would rename them to. */
#undef _FILE_OFFSET_BITS

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "index_reads.h"
#include "test-util.h"

#define BLOCK 8192

static char *dir;

/* The byte at offset i of the files written here, with a salt per file. */
static char
byte_at(size_t i, unsigned salt)
{
	return (char)((i * 7 + i / BLOCK + salt) & 0xff);
}

static char *
path_of(const char *name)
{
	return g_build_filename(dir, name, NULL);
}

/* Appends n bytes of the salt's pattern (counted from the file's start)
 * to name, creating it. */
static void
append(const char *name, size_t n, unsigned salt)
{
	char *path = path_of(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	off_t at = lseek(fd, 0, SEEK_END);
	char *buf = g_malloc(n + 1);

	g_assert_cmpint(fd, >=, 0);
	for (size_t i = 0; i < n; i++)
		buf[i] = byte_at((size_t)at + i, salt);
	g_assert_cmpint(write(fd, buf, n), ==, (ssize_t)n);
	g_assert_cmpint(close(fd), ==, 0);
	g_free(buf);
	g_free(path);
}

static int
open_ro(const char *name)
{
	char *path = path_of(name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	g_assert_cmpint(fd, >=, 0);
	g_free(path);
	return fd;
}

/* pread() through index_reads.c against the system call itself. */
static void
assert_reads_same(int fd, off_t off, size_t n)
{
	char *got = g_malloc0(n + 1), *want = g_malloc0(n + 1);
	ssize_t g = pread(fd, got, n, off);
	ssize_t w = syscall(SYS_pread64, fd, want, n, off);

	g_assert_cmpint(g, ==, w);
	if (w > 0)
		g_assert_cmpmem(got, (size_t)g, want, (size_t)w);
	g_free(got);
	g_free(want);
}

static void
setup(void)
{
	GError *err = NULL;

	dir = g_dir_make_tmp("larch-index-reads-XXXXXX", &err);
	g_assert_no_error(err);
	index_reads_enable(true);
}

static void
teardown(void)
{
	test_rm_rf(dir);
	g_clear_pointer(&dir, g_free);
}

static void
test_table_mapped(void)
{
	int fd;

	setup();
	append("postlist.glass", 3 * BLOCK, 1);
	fd = open_ro("postlist.glass");
	g_assert_cmpuint(index_reads_mapped(fd), ==, 3 * BLOCK);
	for (off_t b = 0; b < 3; b++)
		assert_reads_same(fd, b * BLOCK, BLOCK);
	/* Across the end, past it, nothing, one byte. */
	assert_reads_same(fd, 3 * BLOCK - 100, BLOCK);
	assert_reads_same(fd, 3 * BLOCK, BLOCK);
	assert_reads_same(fd, 10 * BLOCK, 1);
	assert_reads_same(fd, 5, 0);
	assert_reads_same(fd, 3 * BLOCK - 1, 1);
	g_assert_cmpint(close(fd), ==, 0);
	g_assert_cmpuint(index_reads_mapped(fd), ==, 0);
	teardown();
}

static void
test_others_not_mapped(void)
{
	char *path;
	int fd;

	setup();
	append("postlist.glass", 2 * BLOCK, 2);
	append("iamglass", 2 * BLOCK, 2);
	append("notes.txt", 2 * BLOCK, 2);
	/* Not a table's name. */
	fd = open_ro("iamglass");
	g_assert_cmpuint(index_reads_mapped(fd), ==, 0);
	assert_reads_same(fd, BLOCK, BLOCK);
	close(fd);
	fd = open_ro("notes.txt");
	g_assert_cmpuint(index_reads_mapped(fd), ==, 0);
	close(fd);
	/* A writer's table. */
	path = path_of("postlist.glass");
	fd = open(path, O_RDWR | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpuint(index_reads_mapped(fd), ==, 0);
	assert_reads_same(fd, BLOCK, BLOCK);
	close(fd);
	/* Turned off: tables are read as before. */
	index_reads_enable(false);
	fd = open_ro("postlist.glass");
	g_assert_cmpuint(index_reads_mapped(fd), ==, 0);
	assert_reads_same(fd, 0, 2 * BLOCK);
	close(fd);
	index_reads_enable(true);
	g_free(path);
	teardown();
}

/* larch-index commits while larchd reads: the file grows under the
 * mapping, and reads of the new blocks see them. */
static void
test_table_grows(void)
{
	int fd;

	setup();
	append("termlist.glass", BLOCK, 3);
	fd = open_ro("termlist.glass");
	g_assert_cmpuint(index_reads_mapped(fd), ==, BLOCK);
	append("termlist.glass", 2 * BLOCK, 3);
	assert_reads_same(fd, 2 * BLOCK, BLOCK);
	g_assert_cmpuint(index_reads_mapped(fd), ==, 3 * BLOCK);
	assert_reads_same(fd, 0, 3 * BLOCK);
	close(fd);
	/* Empty when opened (a lazy table), written later. */
	append("spelling.glass", 0, 4);
	fd = open_ro("spelling.glass");
	g_assert_cmpuint(index_reads_mapped(fd), ==, 0);
	assert_reads_same(fd, 0, BLOCK);
	append("spelling.glass", 2 * BLOCK, 4);
	assert_reads_same(fd, BLOCK, BLOCK);
	g_assert_cmpuint(index_reads_mapped(fd), ==, 2 * BLOCK);
	close(fd);
	teardown();
}

/* Glass never truncates a table; if someone does, a read of what was
 * cut off is the system call's short read, not a SIGBUS. */
static void
test_table_cut_short(void)
{
	char *path;
	char buf[BLOCK];
	int fd;

	setup();
	append("position.glass", 4 * BLOCK, 5);
	fd = open_ro("position.glass");
	g_assert_cmpuint(index_reads_mapped(fd), ==, 4 * BLOCK);
	path = path_of("position.glass");
	g_assert_cmpint(truncate(path, BLOCK + 10), ==, 0);
	g_assert_cmpint(pread(fd, buf, BLOCK, 3 * BLOCK), ==, 0);
	g_assert_cmpint(pread(fd, buf, BLOCK, BLOCK), ==, 10);
	assert_reads_same(fd, 2 * BLOCK, BLOCK);
	assert_reads_same(fd, 0, BLOCK);
	/* And again: the handler is still there after a fault. */
	g_assert_cmpint(pread(fd, buf, BLOCK, 2 * BLOCK), ==, 0);
	close(fd);
	g_free(path);
	teardown();
}

/* A descriptor number closed and given to another file reads that file. */
static void
test_descriptor_reused(void)
{
	int a, b, c;

	setup();
	append("a.glass", 2 * BLOCK, 6);
	append("b.glass", 3 * BLOCK, 7);
	append("c.txt", 2 * BLOCK, 8);
	a = open_ro("a.glass");
	assert_reads_same(a, 0, BLOCK);
	close(a);
	b = open_ro("b.glass");
	g_assert_cmpuint(index_reads_mapped(b), ==, 3 * BLOCK);
	assert_reads_same(b, BLOCK, 2 * BLOCK);
	close(b);
	c = open_ro("c.txt");
	g_assert_cmpuint(index_reads_mapped(c), ==, 0);
	assert_reads_same(c, 0, 2 * BLOCK);
	close(c);
	g_assert_cmpint(a, ==, b);
	g_assert_cmpint(b, ==, c);
	teardown();
}

/* Reads of every size at every kind of offset. */
static void
test_random_reads(void)
{
	GRand *r = g_rand_new_with_seed(20261123);
	int fd;

	setup();
	append("docdata.glass", 7 * BLOCK + 123, 9);
	fd = open_ro("docdata.glass");
	for (int i = 0; i < 2000; i++) {
		off_t off = g_rand_int_range(r, 0, 8 * BLOCK);
		size_t n = (size_t)g_rand_int_range(r, 0, 3 * BLOCK);

		assert_reads_same(fd, off, n);
	}
	close(fd);
	g_rand_free(r);
	teardown();
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* Nothing is mapped on a 32-bit system: no test to run. */
	if (sizeof(void *) < 8)
		return g_test_run();
	g_test_add_func("/index-reads/table-mapped", test_table_mapped);
	g_test_add_func("/index-reads/others-not-mapped",
	    test_others_not_mapped);
	g_test_add_func("/index-reads/table-grows", test_table_grows);
	g_test_add_func("/index-reads/table-cut-short", test_table_cut_short);
	g_test_add_func("/index-reads/descriptor-reused",
	    test_descriptor_reused);
	g_test_add_func("/index-reads/random-reads", test_random_reads);
	return g_test_run();
}
