/* Tests for lib/stream.c: plain and gzip'd files, seeking, damage. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "larch/stream.h"

static char *tmpdir;

static char *
tmp_path(const char *name)
{
	return g_build_filename(tmpdir, name, NULL);
}

static char *
write_plain(const char *name, const void *data, size_t len)
{
	char *path = tmp_path(name);

	g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
	return path;
}

static char *
write_gzip(const char *name, const void *data, size_t len)
{
	char *path = tmp_path(name);
	gzFile gz = gzopen(path, "wb");

	g_assert_nonnull(gz);
	g_assert_cmpint(gzwrite(gz, data, (unsigned)len), ==, (int)len);
	g_assert_cmpint(gzclose(gz), ==, Z_OK);
	return path;
}

/* Text that does not compress to nothing, so truncation hits the
 * middle of the data. */
static GString *
sample(size_t len)
{
	GString *s = g_string_new(NULL);
	GRand *rand = g_rand_new_with_seed(42);

	while (s->len < len)
		g_string_append_printf(s, "line %u %08x\n", (unsigned)s->len,
		    g_rand_int(rand));
	g_string_truncate(s, len);
	g_rand_free(rand);
	return s;
}

/* Reads everything in chunks of step bytes. */
static enum larch_status
read_all(struct larch_stream *stream, size_t step, GByteArray *out)
{
	guint8 *buf = g_malloc(step);
	enum larch_status st;
	size_t got;

	while ((st = larch_stream_read(stream, buf, step, &got)) ==
	    LARCH_OK && got > 0)
		g_byte_array_append(out, buf, (guint)got);
	g_free(buf);
	return st;
}

static void
test_open_errors(void)
{
	struct larch_stream *stream = (void *)1;
	char *missing = tmp_path("missing.mbox");
	char *error = NULL;
	char *want;

	g_assert_cmpint(larch_stream_open(missing, &stream, &error), ==,
	    LARCH_ERR_IO);
	g_assert_null(stream);
	want = g_strdup_printf("cannot open '%s': No such file or directory",
	    missing);
	g_assert_cmpstr(error, ==, want);
	g_free(want);
	g_free(error);
	error = NULL;

	g_assert_cmpint(larch_stream_open(tmpdir, &stream, &error), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(strstr(error, "Is a directory"));
	g_free(error);
	/* No error text wanted: still no crash. */
	g_assert_cmpint(larch_stream_open(missing, &stream, NULL), ==,
	    LARCH_ERR_IO);
	larch_stream_close(NULL);
	g_free(missing);
}

/* A FIFO or a device is refused at once: opening a FIFO without a
 * writer used to wait for ever, and a device can be endless. */
static void
test_open_special(void)
{
	struct larch_stream *stream = (void *)1;
	char *fifo = tmp_path("fifo.mbox");
	char *error = NULL;
	char *want;

	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	alarm(20);	/* a hang fails the test instead of stalling it */
	g_assert_cmpint(larch_stream_open(fifo, &stream, &error), ==,
	    LARCH_ERR_IO);
	g_assert_null(stream);
	want = g_strdup_printf("cannot open '%s': not a regular file", fifo);
	g_assert_cmpstr(error, ==, want);
	g_free(want);
	g_free(error);
	error = NULL;
	g_assert_cmpint(larch_stream_open("/dev/zero", &stream, &error), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(strstr(error, "not a regular file"));
	g_free(error);
	alarm(0);
	g_unlink(fifo);
	g_free(fifo);
}

/* Plain and gzip give the same bytes, whatever the read size. */
static void
test_read(void)
{
	static const size_t steps[] = { 1, 7, 4096, 1 << 20 };
	GString *text = sample(300000);
	char *plain = write_plain("read.txt", text->str, text->len);
	char *gz = write_gzip("read.txt.gz", text->str, text->len);
	const char *paths[] = { plain, gz };

	for (size_t p = 0; p < 2; p++) {
		for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
			struct larch_stream *stream;
			GByteArray *out = g_byte_array_new();
			size_t got = 99;
			char b;

			g_assert_cmpint(larch_stream_open(paths[p], &stream,
			    NULL), ==, LARCH_OK);
			g_assert_true(larch_stream_is_gzip(stream) == (p == 1));
			g_assert_cmpint(read_all(stream, steps[i], out), ==,
			    LARCH_OK);
			g_assert_cmpmem(out->data, out->len, text->str,
			    text->len);
			g_assert_cmpuint(larch_stream_tell(stream), ==,
			    text->len);
			/* The end stays the end. */
			g_assert_cmpint(larch_stream_read(stream, &b, 1, &got),
			    ==, LARCH_OK);
			g_assert_cmpuint(got, ==, 0);
			g_assert_cmpstr(larch_stream_error(stream), ==, "");
			larch_stream_close(stream);
			g_byte_array_unref(out);
		}
	}
	g_free(plain);
	g_free(gz);
	g_string_free(text, TRUE);
}

static void
test_empty(void)
{
	char *plain = write_plain("empty", "", 0);
	char *gz = write_gzip("empty.gz", "", 0);
	const char *paths[] = { plain, gz };

	for (size_t p = 0; p < 2; p++) {
		struct larch_stream *stream;
		size_t got = 1;
		char b;

		g_assert_cmpint(larch_stream_open(paths[p], &stream, NULL),
		    ==, LARCH_OK);
		g_assert_true(larch_stream_is_gzip(stream) == (p == 1));
		g_assert_cmpint(larch_stream_read(stream, &b, 1, &got), ==,
		    LARCH_OK);
		g_assert_cmpuint(got, ==, 0);
		larch_stream_close(stream);
	}
	g_free(plain);
	g_free(gz);
}

static void
test_seek(void)
{
	static const uint64_t offsets[] = { 100000, 5, 250000, 0, 299990,
		120000 };
	GString *text = sample(300000);
	char *plain = write_plain("seek.txt", text->str, text->len);
	char *gz = write_gzip("seek.txt.gz", text->str, text->len);
	const char *paths[] = { plain, gz };

	for (size_t p = 0; p < 2; p++) {
		struct larch_stream *stream;

		g_assert_cmpint(larch_stream_open(paths[p], &stream, NULL),
		    ==, LARCH_OK);
		for (size_t i = 0; i < G_N_ELEMENTS(offsets); i++) {
			char buf[10];
			size_t got;

			g_assert_cmpint(larch_stream_seek(stream, offsets[i]),
			    ==, LARCH_OK);
			g_assert_cmpuint(larch_stream_tell(stream), ==,
			    offsets[i]);
			g_assert_cmpint(larch_stream_read(stream, buf,
			    sizeof buf, &got), ==, LARCH_OK);
			g_assert_cmpmem(buf, got, text->str + offsets[i],
			    MIN(sizeof buf, text->len - offsets[i]));
		}
		larch_stream_close(stream);
	}
	g_free(plain);
	g_free(gz);
	g_string_free(text, TRUE);
}

/* A gzip file cut short: the data up to the damage, then an error that
 * names the file and the offset. */
static void
test_truncated_gzip(void)
{
	GString *text = sample(400000);
	char *gz = write_gzip("cut.txt.gz", text->str, text->len);
	char *contents, *want;
	gsize clen;
	struct larch_stream *stream;
	GByteArray *out = g_byte_array_new();
	size_t got = 1;
	char b;

	g_assert_true(g_file_get_contents(gz, &contents, &clen, NULL));
	g_assert_true(g_file_set_contents(gz, contents, (gssize)clen / 2,
	    NULL));
	g_assert_cmpint(larch_stream_open(gz, &stream, NULL), ==, LARCH_OK);
	g_assert_cmpint(read_all(stream, 4096, out), ==, LARCH_ERR_IO);
	g_assert_cmpuint(out->len, >, 0);
	g_assert_cmpuint(out->len, <, text->len);
	g_assert_cmpmem(out->data, out->len, text->str, out->len);
	want = g_strdup_printf("cannot read '%s': truncated gzip data at "
	    "offset %u", gz, out->len);
	g_assert_cmpstr(larch_stream_error(stream), ==, want);
	/* The error is sticky. */
	g_assert_cmpint(larch_stream_read(stream, &b, 1, &got), ==,
	    LARCH_ERR_IO);
	g_assert_cmpuint(got, ==, 0);
	/* A seek back recovers. */
	g_assert_cmpint(larch_stream_seek(stream, 10), ==, LARCH_OK);
	g_assert_cmpint(larch_stream_read(stream, &b, 1, &got), ==, LARCH_OK);
	g_assert_cmpint(b, ==, text->str[10]);
	larch_stream_close(stream);
	g_free(want);
	g_free(contents);
	g_free(gz);
	g_byte_array_unref(out);
	g_string_free(text, TRUE);
}

static void
test_corrupt_gzip(void)
{
	GString *text = sample(400000);
	char *gz = write_gzip("bad.txt.gz", text->str, text->len);
	char *contents;
	gsize clen;
	struct larch_stream *stream;
	GByteArray *out = g_byte_array_new();

	g_assert_true(g_file_get_contents(gz, &contents, &clen, NULL));
	for (gsize i = clen / 3; i < clen / 3 + 64; i++)
		contents[i] ^= 0x5a;
	g_assert_true(g_file_set_contents(gz, contents, (gssize)clen, NULL));
	g_assert_cmpint(larch_stream_open(gz, &stream, NULL), ==, LARCH_OK);
	g_assert_cmpint(read_all(stream, 4096, out), ==, LARCH_ERR_IO);
	g_assert_true(g_str_has_prefix(larch_stream_error(stream),
	    "cannot read '"));
	g_assert_nonnull(strstr(larch_stream_error(stream), "gzip data at "
	    "offset"));
	larch_stream_close(stream);
	g_free(contents);
	g_free(gz);
	g_byte_array_unref(out);
	g_string_free(text, TRUE);
}

/* A bad checksum after a member's last byte: every byte is had, so a
 * seek to the end of the data (where a read of the whole file stopped,
 * and a later run resumes) succeeds, and the next read reports it. */
static void
test_bad_checksum_seek_to_end(void)
{
	GString *text = sample(5000);
	char *gz = write_gzip("badcrc.txt.gz", text->str, text->len);
	char *contents, b;
	gsize clen;
	size_t got;
	struct larch_stream *stream;

	g_assert_true(g_file_get_contents(gz, &contents, &clen, NULL));
	contents[clen - 8] ^= 0x5a;	/* the CRC-32 of the trailer */
	g_assert_true(g_file_set_contents(gz, contents, (gssize)clen, NULL));
	g_assert_cmpint(larch_stream_open(gz, &stream, NULL), ==, LARCH_OK);
	g_assert_cmpint(larch_stream_seek(stream, text->len), ==, LARCH_OK);
	g_assert_cmpuint(larch_stream_tell(stream), ==, text->len);
	g_assert_cmpint(larch_stream_read(stream, &b, 1, &got), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(strstr(larch_stream_error(stream), "corrupt gzip"));
	/* One byte short of the end is as reachable; past it is not. */
	g_assert_cmpint(larch_stream_seek(stream, text->len - 1), ==,
	    LARCH_OK);
	g_assert_cmpint(larch_stream_seek(stream, text->len + 1), ==,
	    LARCH_ERR_IO);
	larch_stream_close(stream);
	g_free(contents);
	g_free(gz);
	g_string_free(text, TRUE);
}

/* Reads path whole in pieces of step bytes, from offset on. */
static enum larch_status
read_from(const char *path, uint64_t offset, size_t step, GByteArray *out,
    char **error)
{
	struct larch_stream *stream;
	enum larch_status st;

	g_assert_cmpint(larch_stream_open(path, &stream, NULL), ==, LARCH_OK);
	st = larch_stream_seek(stream, offset);
	if (st == LARCH_OK)
		st = read_all(stream, step, out);
	*error = g_strdup(larch_stream_error(stream));
	larch_stream_close(stream);
	return st;
}

/*
 * A damaged gzip file gives the same bytes and the same error however it
 * is read: in small or large pieces, or from an offset after a seek.
 * zlib's gzread() did not (a resumed split then saw other data than a
 * whole one): it lost what inflate() still owed when a cut file's input
 * ran out, and dropped what a failing call had decompressed.
 */
static void
test_damage_read_alike(void)
{
	static const size_t steps[] = { 1, 100, 4096, 16384, 65536,
		1 << 20 };
	GString *text = sample(300000);
	char *gz = write_gzip("alike.txt.gz", text->str, text->len);
	char *contents;
	gsize clen;

	g_assert_true(g_file_get_contents(gz, &contents, &clen, NULL));
	for (int damage = 0; damage < 2; damage++) {
		GByteArray *first = NULL;
		char *first_error = NULL;

		if (damage == 0) {
			g_assert_true(g_file_set_contents(gz, contents,
			    (gssize)clen - clen / 3, NULL));
		} else {
			char *bad = g_memdup2(contents, clen);

			for (gsize i = clen / 2; i < clen / 2 + 16; i++)
				bad[i] ^= 0x33;
			g_assert_true(g_file_set_contents(gz, bad,
			    (gssize)clen, NULL));
			g_free(bad);
		}
		for (size_t k = 0; k < G_N_ELEMENTS(steps); k++) {
			GByteArray *out = g_byte_array_new();
			char *error;

			g_assert_cmpint(read_from(gz, 0, steps[k], out,
			    &error), ==, LARCH_ERR_IO);
			g_assert_cmpuint(out->len, >, 0);
			g_assert_cmpmem(out->data, MIN(out->len, 100000),
			    text->str, MIN(out->len, 100000));
			if (first == NULL) {
				first = out;
				first_error = error;
				continue;
			}
			g_assert_cmpmem(out->data, out->len, first->data,
			    first->len);
			g_assert_cmpstr(error, ==, first_error);
			g_byte_array_unref(out);
			g_free(error);
		}
		/* From an offset, the rest of the same bytes. */
		for (uint64_t at = 1; at < first->len; at += first->len / 7) {
			GByteArray *out = g_byte_array_new();
			char *error;

			g_assert_cmpint(read_from(gz, at, 4096, out, &error),
			    ==, LARCH_ERR_IO);
			g_assert_cmpmem(out->data, out->len, first->data + at,
			    first->len - at);
			g_assert_cmpstr(error, ==, first_error);
			g_byte_array_unref(out);
			g_free(error);
		}
		g_byte_array_unref(first);
		g_free(first_error);
	}
	g_free(contents);
	g_free(gz);
	g_string_free(text, TRUE);
}

/* Members one after another read as one stream; bytes after the last
 * member that are not another one are ignored, as gzip(1) does; a seek
 * past the end stays at the end. */
static void
test_gzip_members_and_junk(void)
{
	GString *a = sample(70000), *b = sample(50000);
	char *pa = write_gzip("ja.gz", a->str, a->len);
	char *pb = write_gzip("jb.gz", b->str, b->len);
	char *ca, *cb, *error;
	gsize la, lb;
	GByteArray *file = g_byte_array_new(), *out = g_byte_array_new();
	struct larch_stream *stream;
	char *path;
	size_t got;
	char c;

	g_assert_true(g_file_get_contents(pa, &ca, &la, NULL));
	g_assert_true(g_file_get_contents(pb, &cb, &lb, NULL));
	g_byte_array_append(file, (guint8 *)ca, (guint)la);
	g_byte_array_append(file, (guint8 *)cb, (guint)lb);
	g_byte_array_append(file, (const guint8 *)"\0\0\0\0junk", 8);
	path = write_plain("members.gz", file->data, file->len);
	g_assert_cmpint(read_from(path, 0, 3000, out, &error), ==, LARCH_OK);
	g_assert_cmpstr(error, ==, "");
	g_free(error);
	g_assert_cmpuint(out->len, ==, a->len + b->len);
	g_assert_cmpmem(out->data, a->len, a->str, a->len);
	g_assert_cmpmem(out->data + a->len, b->len, b->str, b->len);

	g_assert_cmpint(larch_stream_open(path, &stream, NULL), ==, LARCH_OK);
	g_assert_cmpint(larch_stream_seek(stream, a->len + b->len + 100), ==,
	    LARCH_OK);
	g_assert_cmpuint(larch_stream_tell(stream), ==, a->len + b->len);
	g_assert_cmpint(larch_stream_read(stream, &c, 1, &got), ==, LARCH_OK);
	g_assert_cmpuint(got, ==, 0);
	larch_stream_close(stream);

	g_free(path);
	g_free(pa);
	g_free(pb);
	g_free(ca);
	g_free(cb);
	g_byte_array_unref(file);
	g_byte_array_unref(out);
	g_string_free(a, TRUE);
	g_string_free(b, TRUE);
}

static void
test_read_range(void)
{
	GString *text = sample(200000);
	char *plain = write_plain("range.txt", text->str, text->len);
	char *gz = write_gzip("range.txt.gz", text->str, text->len);
	const char *paths[] = { plain, gz };

	for (size_t p = 0; p < 2; p++) {
		GByteArray *out = g_byte_array_new();
		char *error = NULL;

		g_byte_array_append(out, (const guint8 *)"xy", 2);
		g_assert_cmpint(larch_stream_read_range(paths[p], 150000, 1000,
		    out, &error), ==, LARCH_OK);
		g_assert_null(error);
		g_assert_cmpmem(out->data, 2, "xy", 2);
		g_assert_cmpmem(out->data + 2, out->len - 2,
		    text->str + 150000, 1000);
		/* The last byte exactly, and an empty range. */
		g_assert_cmpint(larch_stream_read_range(paths[p],
		    text->len - 1, 1, out, NULL), ==, LARCH_OK);
		g_assert_cmpint(out->data[out->len - 1], ==,
		    text->str[text->len - 1]);
		g_assert_cmpint(larch_stream_read_range(paths[p], text->len,
		    0, out, NULL), ==, LARCH_OK);
		g_assert_cmpuint(out->len, ==, 1003);
		/* Past the end: an error, and out as it was. */
		g_assert_cmpint(larch_stream_read_range(paths[p],
		    text->len - 10, 11, out, &error), ==, LARCH_ERR_IO);
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error, paths[p]));
		g_assert_cmpuint(out->len, ==, 1003);
		g_free(error);
		error = NULL;
		g_assert_cmpint(larch_stream_read_range("/nonexistent/x", 0, 1,
		    out, &error), ==, LARCH_ERR_IO);
		g_assert_true(g_str_has_prefix(error, "cannot open '"));
		g_free(error);
		g_byte_array_unref(out);
	}
	g_free(plain);
	g_free(gz);
	g_string_free(text, TRUE);
}

static void
remove_tmpdir(void)
{
	GDir *dir = g_dir_open(tmpdir, 0, NULL);
	const char *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		char *p = g_build_filename(tmpdir, name, NULL);

		g_unlink(p);
		g_free(p);
	}
	if (dir != NULL)
		g_dir_close(dir);
	g_rmdir(tmpdir);
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("larch-stream-XXXXXX", NULL);
	g_assert_nonnull(tmpdir);
	g_test_add_func("/stream/open-errors", test_open_errors);
	g_test_add_func("/stream/open-special", test_open_special);
	g_test_add_func("/stream/read", test_read);
	g_test_add_func("/stream/empty", test_empty);
	g_test_add_func("/stream/seek", test_seek);
	g_test_add_func("/stream/truncated-gzip", test_truncated_gzip);
	g_test_add_func("/stream/corrupt-gzip", test_corrupt_gzip);
	g_test_add_func("/stream/bad-checksum-seek-to-end",
	    test_bad_checksum_seek_to_end);
	g_test_add_func("/stream/damage-read-alike", test_damage_read_alike);
	g_test_add_func("/stream/gzip-members-and-junk",
	    test_gzip_members_and_junk);
	g_test_add_func("/stream/read-range", test_read_range);
	rc = g_test_run();
	remove_tmpdir();
	g_free(tmpdir);
	return rc;
}
