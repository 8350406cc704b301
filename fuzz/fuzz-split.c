/*
 * Fuzz target for the archive splitter (indexer/split.h).  Each input is
 * split as an mbox, as a pipermail month and as a single message (the
 * file's name is a hint the splitter takes), again from a resume point,
 * gzip'd, and gzip'd but cut short.
 *
 * Besides "no crash, no sanitizer report" it checks what the indexer
 * relies on: messages come in order, do not overlap and lie inside the
 * data; each is NUL-terminated, no longer than the limit or its own byte
 * range; the resume offset is the end of the last message; the end is
 * sticky; resuming at a message gives the messages a full read gives from
 * there on; a gzip'd copy splits the same; a cut gzip copy gives a prefix
 * of them (its last message perhaps cut shorter) and then an error that
 * says what happened.
 */
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "split.h"
#include "fuzz.h"

struct item {
	uint64_t offset;
	uint64_t length;
	GBytes *data;
	enum larch_source_format format;
	int64_t date;
	char *from;
	bool truncated;
};

struct run {
	enum larch_archive_kind kind;
	bool gzip;
	GArray *items;		/* struct item */
	enum larch_status end;
	uint64_t offset;	/* larch_split_offset() at the end */
};

/* The names the same bytes are read under: each makes the splitter
 * guess differently when the content leaves room for doubt. */
static const char *const names[] = {
	"list.mbox", "2016-May.txt", "message.eml",
};
#define N_NAMES G_N_ELEMENTS(names)

static char *dir;
static char *plain;		/* the input's bytes */
static char *links[N_NAMES];	/* symbolic links to plain */
static char *gz;		/* the input gzip'd (or cut) */

static void
remove_files(void)
{
	for (size_t i = 0; i < N_NAMES; i++)
		g_unlink(links[i]);
	g_unlink(plain);
	g_unlink(gz);
	g_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) &&
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : g_get_tmp_dir();
	char *tmpl = g_build_filename(base, "larch-fuzz-split-XXXXXX", NULL);

	dir = g_mkdtemp(tmpl);
	g_assert_nonnull(dir);
	plain = g_build_filename(dir, "data", NULL);
	for (size_t i = 0; i < N_NAMES; i++) {
		links[i] = g_build_filename(dir, names[i], NULL);
		g_assert_cmpint(symlink("data", links[i]), ==, 0);
	}
	gz = g_build_filename(dir, "list.mbox.gz", NULL);
	atexit(remove_files);
	return 0;
}

static void
run_clear(struct run *r)
{
	if (r->items == NULL)
		return;
	for (guint i = 0; i < r->items->len; i++) {
		struct item *it = &g_array_index(r->items, struct item, i);

		g_bytes_unref(it->data);
		g_free(it->from);
	}
	g_array_unref(r->items);
	r->items = NULL;
}

/* Splits path from start; size is the length of its uncompressed data,
 * UINT64_MAX when unknown. */
static void
split_all(const char *path, uint64_t start, size_t max, uint64_t size,
    struct run *out)
{
	struct larch_split_opts opts = { max };
	struct larch_split *s;
	struct larch_split_msg m;
	enum larch_status st;
	uint64_t prev_end = start;
	char *err = NULL;

	memset(out, 0, sizeof *out);
	out->items = g_array_new(FALSE, TRUE, sizeof(struct item));
	st = larch_split_open(path, start, &opts, &s, &err);
	g_assert_cmpint(st, ==, LARCH_OK);
	g_assert_null(err);
	out->kind = larch_split_kind(s);
	out->gzip = larch_split_is_gzip(s);

	while ((st = larch_split_next(s, &m)) == LARCH_OK) {
		struct item it = {
			.offset = m.offset,
			.length = m.length,
			.data = g_bytes_new(m.data, m.len),
			.format = m.format,
			.date = m.envelope_date,
			.from = g_strdup(m.envelope_from),
			.truncated = m.truncated,
		};

		g_assert_cmpint(out->kind, !=, LARCH_ARCHIVE_UNKNOWN);
		g_assert_cmpuint(m.length, >, 0);
		g_assert_cmpuint(m.offset, >=, prev_end);
		g_assert_cmpuint(m.offset + m.length, <=, size);
		g_assert_cmpuint(m.len, <=, max > 0 ? max : m.len);
		g_assert_cmpuint(m.len, <=, m.length);
		g_assert_nonnull(m.data);
		g_assert_cmpint(m.data[m.len], ==, '\0');
		g_assert_cmpuint(m.format, <=, LARCH_FORMAT_PIPERMAIL_HTML);
		g_assert_cmpuint(larch_split_offset(s), ==,
		    m.offset + m.length);
		if (out->kind == LARCH_ARCHIVE_MESSAGE) {
			g_assert_cmpuint(m.offset, ==, 0);
			g_assert_cmpuint(m.format, ==, LARCH_FORMAT_FILE);
			if (size != UINT64_MAX)
				g_assert_cmpuint(m.length, ==, size);
		}
		prev_end = m.offset + m.length;
		g_array_append_val(out->items, it);
	}
	g_assert_true(st == LARCH_DONE || st == LARCH_ERR_IO);
	if (st == LARCH_ERR_IO)
		g_assert_cmpstr(larch_split_error(s), !=, "");
	/* The end is sticky. */
	g_assert_cmpint(larch_split_next(s, &m), ==, st);
	out->end = st;
	out->offset = larch_split_offset(s);
	g_assert_cmpuint(out->offset, <=, size);
	larch_split_close(s);
}

static void
assert_same_item(const struct item *a, const struct item *b)
{
	g_assert_cmpuint(a->offset, ==, b->offset);
	g_assert_cmpuint(a->length, ==, b->length);
	g_assert_true(g_bytes_equal(a->data, b->data));
	g_assert_cmpint(a->format, ==, b->format);
	g_assert_cmpint(a->date, ==, b->date);
	g_assert_cmpstr(a->from, ==, b->from);
	g_assert_cmpint(a->truncated, ==, b->truncated);
}

/* b, the last message read from a cut copy, is a's or its start.  A cut
 * where Content-Length says the body ends cannot tell whether the length
 * is right, which the whole file may answer either way: the format may
 * then differ, one of them Content-Length's. */
static void
assert_cut_item(const struct item *a, const struct item *b)
{
	g_assert_cmpuint(a->offset, ==, b->offset);
	g_assert_cmpuint(b->length, <=, a->length);
	if (a->format != b->format)
		g_assert_true(a->format == LARCH_FORMAT_MBOXCL ||
		    b->format == LARCH_FORMAT_MBOXCL);
	g_assert_cmpint(a->date, ==, b->date);
	g_assert_cmpstr(a->from, ==, b->from);
}

/* b's messages are a's from index first on. */
static void
assert_same_from(const struct run *a, const struct run *b, guint first)
{
	g_assert_cmpint(a->kind, ==, b->kind);
	g_assert_cmpuint(b->items->len, ==, a->items->len - first);
	for (guint i = 0; i < b->items->len; i++)
		assert_same_item(&g_array_index(a->items, struct item,
		    first + i), &g_array_index(b->items, struct item, i));
	g_assert_cmpint(a->end, ==, b->end);
	g_assert_cmpuint(a->offset, ==, b->offset);
}

/* The input as one gzip member; the caller g_free()s. */
static uint8_t *
gzip_bytes(const uint8_t *data, size_t size, size_t *out_len)
{
	z_stream z = { 0 };
	uint8_t *out;
	size_t cap;

	g_assert_cmpint(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), ==, Z_OK);
	cap = deflateBound(&z, size) + 32;
	out = g_malloc(cap);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)size;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	g_assert_cmpint(deflate(&z, Z_FINISH), ==, Z_STREAM_END);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t maxes[] = { 0, 1, 100, 2000 };
	struct run runs[N_NAMES], other;
	uint64_t h = fuzz_hash(data, size);
	size_t max = maxes[h % G_N_ELEMENTS(maxes)];
	/* Input that is gzip data itself is read decompressed: its size is
	 * unknown and it may be damaged. */
	bool packed_input = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	uint64_t plain_size = packed_input ? UINT64_MAX : size;
	uint8_t *packed;
	size_t packed_len, cut;

	h /= G_N_ELEMENTS(maxes);
	g_assert_true(g_file_set_contents(plain, (const char *)data,
	    (gssize)size, NULL));

	for (size_t i = 0; i < N_NAMES; i++) {
		split_all(links[i], 0, max, plain_size, &runs[i]);
		/* Plain files never fail to read. */
		if (!packed_input)
			g_assert_cmpint(runs[i].end, ==, LARCH_DONE);
	}
	/* A message's name keeps an mbox-looking file whole (no data at
	 * all, or gzip data that gives none, is an empty mbox). */
	g_assert_true(runs[2].kind == LARCH_ARCHIVE_MESSAGE ||
	    runs[2].kind == LARCH_ARCHIVE_UNKNOWN ||
	    ((size == 0 || packed_input) &&
	    runs[2].kind == LARCH_ARCHIVE_MBOX));

	/* Resuming at a message it reported (what the next run does with
	 * a grown file) gives the same messages from there on. */
	for (size_t i = 0; i < 2; i++) {
		guint n = runs[i].items->len, k;

		if (n == 0 || runs[i].kind == LARCH_ARCHIVE_MESSAGE)
			continue;
		k = (guint)(h % n);
		split_all(links[i], g_array_index(runs[i].items, struct item,
		    k).offset, max, plain_size, &other);
		assert_same_from(&runs[i], &other, k);
		run_clear(&other);
		/* Resuming at the end finds nothing more. */
		split_all(links[i], runs[i].offset, max, plain_size, &other);
		g_assert_cmpuint(other.items->len, ==, 0);
		run_clear(&other);
	}

	/* gzip'd, it splits the same (gzip'd twice, it would not). */
	if (packed_input)
		goto out;
	packed = gzip_bytes(data, size, &packed_len);
	g_assert_true(g_file_set_contents(gz, (const char *)packed,
	    (gssize)packed_len, NULL));
	split_all(gz, 0, max, size, &other);
	g_assert_true(other.gzip);
	assert_same_from(&runs[0], &other, 0);
	run_clear(&other);

	/* Cut short, it gives a prefix of those messages, then an error
	 * (or, cut inside the gzip trailer, perhaps all of them).  Where a
	 * cut message ends can only be guessed (a blank line and a "From "
	 * line), so the last one starts where the whole file's does and
	 * ends no later; the next run sees it changed and reads again. */
	cut = (size_t)(h % packed_len);
	g_assert_true(g_file_set_contents(gz, (const char *)packed,
	    (gssize)cut, NULL));
	split_all(gz, 0, max, size, &other);
	if (other.gzip && other.kind == runs[0].kind) {
		guint n = other.items->len;

		g_assert_cmpuint(n, <=, runs[0].items->len);
		for (guint i = 0; i + 1 < n; i++)
			assert_same_item(&g_array_index(runs[0].items,
			    struct item, i), &g_array_index(other.items,
			    struct item, i));
		if (n > 0)
			assert_cut_item(&g_array_index(runs[0].items,
			    struct item, n - 1), &g_array_index(other.items,
			    struct item, n - 1));
	}
	run_clear(&other);
	g_free(packed);
out:
	for (size_t i = 0; i < N_NAMES; i++)
		run_clear(&runs[i]);
	return 0;
}
