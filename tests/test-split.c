/*
 * Tests for indexer/split.c: every separator form and mbox variant, line
 * endings, gzip and its damage, resuming, limits, and (when the shared
 * corpora are there) message counts of real archives.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "larch/raw.h"
#include "larch/stream.h"
#include "split.h"
#include "test-util.h"

static char *tmpdir;

struct got_msg {
	uint64_t offset;
	uint64_t length;
	GBytes *data;
	enum larch_source_format format;
	int64_t date;
	char *from;
	bool truncated;
	bool cut_short;
};

struct got {
	enum larch_archive_kind kind;
	GArray *msgs;		/* of struct got_msg */
	enum larch_status end;	/* what ended larch_split_next() */
	char *error;
	uint64_t offset;	/* larch_split_offset() at the end */
	uint64_t lead;		/* larch_split_lead() */
};

static char *
write_file(const char *name, const void *data, size_t len)
{
	char *path = g_build_filename(tmpdir, name, NULL);
	char *dir = g_path_get_dirname(path);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
	g_free(dir);
	return path;
}

/* write_file() without the fsync of g_file_set_contents(), for tests
 * that write many files. */
static char *
write_file_fast(const char *name, const void *data, size_t len)
{
	char *path = g_build_filename(tmpdir, name, NULL);
	FILE *f = g_fopen(path, "wb");

	g_assert_nonnull(f);
	g_assert_cmpuint(fwrite(data, 1, len, f), ==, len);
	g_assert_cmpint(fclose(f), ==, 0);
	return path;
}

static char *
write_gzip(const char *name, const void *data, size_t len)
{
	char *path = g_build_filename(tmpdir, name, NULL);
	gzFile gz = gzopen(path, "wb");

	g_assert_nonnull(gz);
	g_assert_cmpint(gzwrite(gz, data, (unsigned)len), ==, (int)len);
	g_assert_cmpint(gzclose(gz), ==, Z_OK);
	return path;
}

static void
got_clear(struct got *g)
{
	for (guint i = 0; g->msgs != NULL && i < g->msgs->len; i++) {
		struct got_msg *m = &g_array_index(g->msgs, struct got_msg, i);

		g_bytes_unref(m->data);
		g_free(m->from);
	}
	if (g->msgs != NULL)
		g_array_free(g->msgs, TRUE);
	g_free(g->error);
	memset(g, 0, sizeof *g);
}

/* Splits path from start; every message is copied out. */
static void
split_all(const char *path, uint64_t start, size_t max, struct got *g)
{
	struct larch_split_opts opts = { max };
	struct larch_split *split;
	struct larch_split_msg m;
	char *error = NULL;

	memset(g, 0, sizeof *g);
	g->msgs = g_array_new(FALSE, TRUE, sizeof(struct got_msg));
	g_assert_cmpint(larch_split_open(path, start, &opts, &split, &error),
	    ==, LARCH_OK);
	g_assert_null(error);
	g->kind = larch_split_kind(split);
	g->lead = larch_split_lead(split);
	while ((g->end = larch_split_next(split, &m)) == LARCH_OK) {
		struct got_msg c = { m.offset, m.length,
			g_bytes_new(m.data, m.len), m.format, m.envelope_date,
			g_strdup(m.envelope_from), m.truncated,
			m.cut_short };

		g_assert_cmpint(m.data[m.len], ==, '\0');
		g_assert_cmpuint(larch_split_offset(split), ==,
		    m.offset + m.length);
		g_array_append_val(g->msgs, c);
	}
	g->offset = larch_split_offset(split);
	g->error = g_strdup(larch_split_error(split));
	/* The end is sticky. */
	g_assert_cmpint(larch_split_next(split, &m), ==, g->end);
	larch_split_close(split);
}

static struct got_msg *
msg_at(struct got *g, guint i)
{
	return &g_array_index(g->msgs, struct got_msg, i);
}

static void
assert_data(struct got_msg *m, const char *want, size_t len)
{
	gsize n;
	const char *p = g_bytes_get_data(m->data, &n);

	g_assert_cmpmem(p, n, want, len);
}

static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	GDateTime *dt = g_date_time_new_utc(y, mo, d, h, mi, s);
	int64_t t = g_date_time_to_unix(dt);

	g_date_time_unref(dt);
	return t;
}

/* ---- the table ------------------------------------------------------ */

#define SEP1 "From alice@example.org Thu May 26 19:05:00 2016\n"
#define SEP2 "From bob@example.org Thu May 26 19:06:00 2016\n"
#define INPUT(s) s, sizeof(s) - 1
/* A message whose every line ends in e, and what it gives. */
#define LE_MSG(n, e) "From alice@example.org Thu May 26 19:05:0" n " 2016" e \
	"Subject: " n e e "body " n e "\tmore" e e
#define LE_DATA(n) "Subject: " n "\n\nbody " n "\n\tmore\n"
#define LE_WANT { LE_DATA("1"), LE_DATA("2"), LE_DATA("3"), LE_DATA("4"), \
	LE_DATA("5") }

struct split_case {
	const char *name;
	const char *file;	/* written under this name */
	const char *input;
	size_t input_len;
	enum larch_archive_kind kind;
	const char *want[6];	/* each message's data, NULL after the last */
	enum larch_source_format format;
	bool last_truncated;
	size_t first;		/* offset of the first separator */
	size_t lead;		/* what larch_split_lead() says */
};

static const struct split_case cases[] = {
	{ "mboxrd", "a.mbox", INPUT(
	    SEP1 "Subject: one\n\nbody 1\n\n"
	    SEP2 "Subject: two\n\nbody 2\n"),
	    LARCH_ARCHIVE_MBOX, { "Subject: one\n\nbody 1\n",
	    "Subject: two\n\nbody 2\n" }, LARCH_FORMAT_MBOXRD },
	/* mboxrd: one '>' less at any depth; "> From" is quoting. */
	{ "mboxrd-escapes", "b.mbox", INPUT(
	    SEP1 "Subject: e\n\n>From x\n>>From y\n>>>From z\n> From q\n"
	    ">Fromage\n>From\n\n"),
	    LARCH_ARCHIVE_MBOX, { "Subject: e\n\nFrom x\n>From y\n>>From z\n"
	    "> From q\n>Fromage\n>From\n" }, LARCH_FORMAT_MBOXRD },
	/* A Status: field marks an mboxo writer: only ">From " changes. */
	{ "mboxo-escapes", "c.mbox", INPUT(
	    SEP1 "Status: RO\nSubject: e\n\n>From x\n>>From y\n>>>From z\n\n"
	    SEP2 "Subject: f\n\n>From w\n"),
	    LARCH_ARCHIVE_MBOX, { "Status: RO\nSubject: e\n\nFrom x\n"
	    ">>From y\n>>>From z\n", "Subject: f\n\nFrom w\n" },
	    LARCH_FORMAT_MBOXO },
	/* Unescaped body lines: prose, and a separator-like line that no
	 * header follows. */
	{ "mboxo-unescaped-body", "d.mbox", INPUT(
	    SEP1 "Subject: u\n\nFrom here on it works.\n"
	    "From carol@example.org Thu May 26 19:05:00 2016\n"
	    "not a header\n\n" SEP2 "Subject: two\n\nx\n"),
	    LARCH_ARCHIVE_MBOX, { "Subject: u\n\nFrom here on it works.\n"
	    "From carol@example.org Thu May 26 19:05:00 2016\nnot a header\n",
	    "Subject: two\n\nx\n" }, LARCH_FORMAT_MBOXRD },
	{ "crlf", "e.mbox", INPUT(
	    "From alice@example.org Thu May 26 19:05:00 2016\r\n"
	    "Subject: one\r\n\r\nbody\r\n>From x\r\n\r\n"
	    "From bob@example.org Thu May 26 19:06:00 2016\r\n"
	    "Subject: two\r\n\r\nlone\rcr\r\n"),
	    LARCH_ARCHIVE_MBOX, { "Subject: one\n\nbody\nFrom x\n",
	    "Subject: two\n\nlone\rcr\n" }, LARCH_FORMAT_MBOXRD },
	/* Line ends change style from one message to the next: an old
	 * Mac mbox (bare CR) and a Unix or Windows one concatenated. */
	{ "lf-then-cr", "f1.mbox", INPUT(
	    LE_MSG("1", "\n") LE_MSG("2", "\n") LE_MSG("3", "\r")
	    LE_MSG("4", "\r") LE_MSG("5", "\r")), LARCH_ARCHIVE_MBOX,
	    LE_WANT, LARCH_FORMAT_MBOXRD },
	{ "cr-then-lf", "f2.mbox", INPUT(
	    LE_MSG("1", "\r") LE_MSG("2", "\r") LE_MSG("3", "\n")
	    LE_MSG("4", "\n") LE_MSG("5", "\n")), LARCH_ARCHIVE_MBOX,
	    LE_WANT, LARCH_FORMAT_MBOXRD },
	{ "crlf-then-cr", "f3.mbox", INPUT(
	    LE_MSG("1", "\r\n") LE_MSG("2", "\r\n") LE_MSG("3", "\r")
	    LE_MSG("4", "\r") LE_MSG("5", "\r")), LARCH_ARCHIVE_MBOX,
	    LE_WANT, LARCH_FORMAT_MBOXRD },
	{ "cr-then-crlf-then-lf", "f4.mbox", INPUT(
	    LE_MSG("1", "\r") LE_MSG("2", "\r\n") LE_MSG("3", "\r")
	    LE_MSG("4", "\n") LE_MSG("5", "\r\n")), LARCH_ARCHIVE_MBOX,
	    LE_WANT, LARCH_FORMAT_MBOXRD },
	/* The last message, in a CR region, ends right after its header:
	 * only its separator's line end tells a run resuming there to read
	 * it in CR (the region test wants the next line's end). */
	{ "cr-region-at-end", "f6.mbox", INPUT(
	    LE_MSG("1", "\n") LE_MSG("2", "\r")
	    "From alice@example.org Thu May 26 19:05:03 2016\r"
	    "Subject: 3\r"), LARCH_ARCHIVE_MBOX,
	    { LE_DATA("1"), LE_DATA("2"), "Subject: 3\n" },
	    LARCH_FORMAT_MBOXRD },
	/* A stray CR inside a line of an LF file is text, also after a
	 * separator-like start when no header line ending in CR follows. */
	{ "lf-stray-cr", "f5.mbox", INPUT(
	    SEP1 "Subject: one\n\ntext\r more text\n"
	    "From bob@example.org Thu May 26 19:06:00 2016\r more\n"
	    "From bob@example.org Thu May 26 19:06:00 2016\rSubject: x\n\n"
	    SEP2 "Subject: two\n\nlast\r\n"), LARCH_ARCHIVE_MBOX,
	    { "Subject: one\n\ntext\r more text\n"
	    "From bob@example.org Thu May 26 19:06:00 2016\r more\n"
	    "From bob@example.org Thu May 26 19:06:00 2016\rSubject: x\n",
	    "Subject: two\n\nlast\n" }, LARCH_FORMAT_MBOXRD },
	{ "bare-cr", "f.mbox", INPUT(
	    "From alice@example.org Thu May 26 19:05:00 2016\r"
	    "Subject: one\r\rbody\r\r"
	    "From bob@example.org Thu May 26 19:06:00 2016\r"
	    "Subject: two\r\rlast\r"),
	    LARCH_ARCHIVE_MBOX, { "Subject: one\n\nbody\n",
	    "Subject: two\n\nlast\n" }, LARCH_FORMAT_MBOXRD },
	/* Pipermail: unescaped "From " prose, no blank line before the
	 * next separator, ">From" left alone. */
	{ "pipermail", "2015-August.txt", INPUT(
	    "From jml at mumak.net  Mon Aug 10 03:08:38 2015\n"
	    "From: jml at mumak.net (Jonathan Lange)\nSubject: a\n\n"
	    "From what I see, this is fine.\nFrom my side too.\n"
	    "-------------- next part --------------\n"
	    "An HTML attachment was scrubbed...\nURL: <http://x/a.html>\n"
	    "From hawkowl at atleastfornow.net  Tue Aug  4 01:05:06 2015\n"
	    "From: hawkowl at atleastfornow.net (Amber)\nSubject: b\n\n"
	    ">From kept\n"),
	    LARCH_ARCHIVE_PIPERMAIL, {
	    "From: jml at mumak.net (Jonathan Lange)\nSubject: a\n\n"
	    "From what I see, this is fine.\nFrom my side too.\n"
	    "-------------- next part --------------\n"
	    "An HTML attachment was scrubbed...\nURL: <http://x/a.html>\n",
	    "From: hawkowl at atleastfornow.net (Amber)\nSubject: b\n\n"
	    ">From kept\n" }, LARCH_FORMAT_PIPERMAIL },
	/* The pre-2.1 form, recognised by the file name; then the newer
	 * form in the same file. */
	{ "pipermail-old", "2003-December.txt", INPUT(
	    "From glyph@divunal.com Sat, 31 Jul 1999 23:34:47 -0400 (EDT)\n"
	    "Date: Sat, 31 Jul 1999 23:34:47 -0400 (EDT)\n"
	    "From: Glyph Lefkowitz glyph@divunal.com\n\nold\n\n"
	    "From itamar at example.com  Thu Dec  4 01:02:03 2003\n"
	    "From: itamar at example.com (Itamar)\n\nnew\n"),
	    LARCH_ARCHIVE_PIPERMAIL, {
	    "Date: Sat, 31 Jul 1999 23:34:47 -0400 (EDT)\n"
	    "From: Glyph Lefkowitz glyph@divunal.com\n\nold\n",
	    "From: itamar at example.com (Itamar)\n\nnew\n" },
	    LARCH_FORMAT_PIPERMAIL },
	/* The other volumes Mailman's archive_volume_frequency makes, by
	 * their names; an mbox otherwise (">From" loses its '>'). */
#define VOL_TEXT "From ann@example.org  Tue May  3 10:00:00 2016\n" \
	"From: ann@example.org (Ann)\n\n>From kept\n"
#define VOL_WANT { "From: ann@example.org (Ann)\n\n>From kept\n" }
	{ "pipermail-yearly", "2016.txt", INPUT(VOL_TEXT),
	    LARCH_ARCHIVE_PIPERMAIL, VOL_WANT, LARCH_FORMAT_PIPERMAIL },
	{ "pipermail-quarterly", "2016q2.txt", INPUT(VOL_TEXT),
	    LARCH_ARCHIVE_PIPERMAIL, VOL_WANT, LARCH_FORMAT_PIPERMAIL },
	{ "pipermail-weekly", "Week-of-Mon-20160502.txt", INPUT(VOL_TEXT),
	    LARCH_ARCHIVE_PIPERMAIL, VOL_WANT, LARCH_FORMAT_PIPERMAIL },
	{ "pipermail-daily", "20160503.txt", INPUT(VOL_TEXT),
	    LARCH_ARCHIVE_PIPERMAIL, VOL_WANT, LARCH_FORMAT_PIPERMAIL },
	{ "not-a-volume", "2016q5.txt", INPUT(VOL_TEXT),
	    LARCH_ARCHIVE_MBOX, { "From: ann@example.org (Ann)\n\n"
	    "From kept\n" }, LARCH_FORMAT_MBOXRD },
	{ "png", "image.png", INPUT("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
	    LARCH_ARCHIVE_UNKNOWN, { NULL } },
	{ "readme", "README", INPUT("Note: this is a readme.\nIt says so.\n"),
	    LARCH_ARCHIVE_UNKNOWN, { NULL } },
	{ "html", "index.html", INPUT("<!DOCTYPE html>\n<html></html>\n"),
	    LARCH_ARCHIVE_UNKNOWN, { NULL } },
	{ "prose-from", "g.txt", INPUT("From here on, text.\nSubject: x\n"),
	    LARCH_ARCHIVE_UNKNOWN, { NULL } },
	/* An mbox whose start is damaged is still one: the lines before
	 * its first separator are skipped (and reported), not the whole
	 * file.  A byte order mark is skipped silently. */
	{ "garbage-first", "h.mbox", INPUT("hello\n" SEP1 "Subject: x\n\n"),
	    LARCH_ARCHIVE_MBOX, { "Subject: x\n" }, LARCH_FORMAT_MBOXRD,
	    false, 6, 6 },
	{ "blank-first", "h2.mbox", INPUT("\n" SEP1 "Subject: x\n\n"
	    SEP2 "Subject: y\n\n"), LARCH_ARCHIVE_MBOX, { "Subject: x\n",
	    "Subject: y\n" }, LARCH_FORMAT_MBOXRD, false, 1, 1 },
	/* What the first message's header says of the writer holds after
	 * a damaged start too: Status: marks mboxo, so ">>From" stays. */
	{ "blank-first-mboxo", "h5.mbox", INPUT("\n" SEP1 "Status: RO\n"
	    "Subject: x\n\n>From a\n>>From b\n\n" SEP2 "Subject: y\n\n"),
	    LARCH_ARCHIVE_MBOX, { "Status: RO\nSubject: x\n\nFrom a\n"
	    ">>From b\n", "Subject: y\n" }, LARCH_FORMAT_MBOXO, false, 1, 1 },
	{ "damaged-first-separator", "h3.mbox", INPUT(
	    "FroY alice@example.org Thu May 26 19:05:00 2016\nSubject: x\n\n"
	    SEP2 "Subject: y\n\n"), LARCH_ARCHIVE_MBOX, { "Subject: y\n" },
	    LARCH_FORMAT_MBOXRD, false, 60, 60 },
	{ "bom-first", "h4.mbox", INPUT("\xef\xbb\xbf" SEP1 "Subject: x\n\n"
	    SEP2 "Subject: y\n\n"), LARCH_ARCHIVE_MBOX, { "Subject: x\n",
	    "Subject: y\n" }, LARCH_FORMAT_MBOXRD, false, 3, 0 },
	/* A header must follow the separator. */
	{ "no-header-after-sep", "i.mbox", INPUT(SEP1 "\nbody\n"),
	    LARCH_ARCHIVE_UNKNOWN, { NULL } },
	{ "empty", "empty.mbox", INPUT(""), LARCH_ARCHIVE_MBOX, { NULL } },
	{ "no-final-newline", "j.mbox", INPUT(
	    SEP1 "Subject: one\n\nx\n\n" SEP2 "Subject: two\n\nlast line"),
	    LARCH_ARCHIVE_MBOX, { "Subject: one\n\nx\n",
	    "Subject: two\n\nlast line" }, LARCH_FORMAT_MBOXRD, true },
	{ "nul-bytes", "k.mbox", INPUT(
	    SEP1 "Subject: n\n\na\0b\0\n\n" SEP2 "Subject: \0\n\n\0"),
	    LARCH_ARCHIVE_MBOX, { "Subject: n\n\na\0b\0\n",
	    "Subject: \0\n\n\0" }, LARCH_FORMAT_MBOXRD, true },
	{ "eml", "one.eml", INPUT(
	    "Return-Path: <a@example.org>\nSubject: x\n\nFrom me\n>From x\n"),
	    LARCH_ARCHIVE_MESSAGE, { "Return-Path: <a@example.org>\n"
	    "Subject: x\n\nFrom me\n>From x\n" }, LARCH_FORMAT_FILE },
	/* A byte order mark before the header (the parser skips it). */
	{ "eml-bom", "bom.eml", INPUT("\xef\xbb\xbf" "Subject: x\r\n"
	    "From: a@example.org\r\n\r\nhi\r\n"), LARCH_ARCHIVE_MESSAGE,
	    { "\xef\xbb\xbf" "Subject: x\nFrom: a@example.org\n\nhi\n" },
	    LARCH_FORMAT_FILE },
	/* An envelope line of a form no mbox separator has, on a file
	 * that is one message by its name. */
	{ "eml-loose-envelope", "loose.eml", INPUT("From alice@example.org\n"
	    "Subject: x\n\nhi\n"), LARCH_ARCHIVE_MESSAGE,
	    { "From alice@example.org\nSubject: x\n\nhi\n" },
	    LARCH_FORMAT_FILE },
	{ "eml-crlf-no-blank", "two.eml", INPUT(
	    "From: a@example.org\r\nTo: b@example.org\r\nno blank line\r\n"),
	    LARCH_ARCHIVE_MESSAGE, { "From: a@example.org\n"
	    "To: b@example.org\nno blank line\n" }, LARCH_FORMAT_FILE },
	/* An envelope line on a single message: the body holds an mbox
	 * attachment, which must not be split. */
	{ "eml-envelope", "three.eml", INPUT(
	    SEP1 "Subject: fwd\n\n" SEP2 "Subject: inner\n\n"),
	    LARCH_ARCHIVE_MESSAGE, { "Subject: fwd\n\n" SEP2
	    "Subject: inner\n\n" }, LARCH_FORMAT_FILE },
	{ "maildir", "Maildir/cur/1466968000.M1P2.host:2,S", INPUT(
	    "Subject: m\n\nbody\n"), LARCH_ARCHIVE_MESSAGE,
	    { "Subject: m\n\nbody\n" }, LARCH_FORMAT_FILE },
};

static void assert_same_msgs(struct got *a, guint from_a, struct got *b,
    guint n);

/* Properties every split must have: messages tile the file from the
 * first separator to the end, and each starts where it should. */
static void
check_tiling(const struct split_case *c, struct got *g)
{
	uint64_t at = c->first;

	g_assert_cmpuint(g->lead, ==, c->lead);
	for (guint i = 0; i < g->msgs->len; i++) {
		struct got_msg *m = msg_at(g, i);

		g_assert_cmpuint(m->offset, ==, at);
		if (c->kind != LARCH_ARCHIVE_MESSAGE)
			g_assert_cmpmem(c->input + m->offset, 5, "From ", 5);
		at = m->offset + m->length;
	}
	if (g->msgs->len > 0)
		g_assert_cmpuint(at, ==, c->input_len);
}

static void
test_case(gconstpointer data)
{
	const struct split_case *c = data;
	char *path = write_file(c->file, c->input, c->input_len);
	char *gzname = g_strconcat(c->file, ".gz", NULL);
	char *gzpath = write_gzip(gzname, c->input, c->input_len);
	const char *paths[] = { path, gzpath };
	guint n = 0;

	while (n < G_N_ELEMENTS(c->want) && c->want[n] != NULL)
		n++;
	for (int p = 0; p < 2; p++) {
		struct got g;

		split_all(paths[p], 0, 0, &g);
		g_assert_cmpint(g.kind, ==, c->kind);
		g_assert_cmpint(g.end, ==, LARCH_DONE);
		g_assert_cmpstr(g.error, ==, "");
		g_assert_cmpuint(g.msgs->len, ==, n);
		for (guint i = 0; i < n; i++) {
			struct got_msg *m = msg_at(&g, i);
			/* Lengths from the string's own length, so NUL
			 * bytes in the middle count. */
			size_t len = strlen(c->want[i]);

			if (strcmp(c->name, "nul-bytes") == 0)
				len = i == 0 ? 17 : 13;
			assert_data(m, c->want[i], len);
			g_assert_cmpint(m->format, ==, c->format);
			g_assert_true(m->truncated ==
			    (c->last_truncated && i == n - 1));
			/* Every truncation in the table is the file's
			 * end inside a line. */
			g_assert_true(m->cut_short == m->truncated);
		}
		check_tiling(c, &g);
		/* A later run resuming at a message reads on as this one
		 * did, whatever line ends came before. */
		for (guint i = 1; c->kind != LARCH_ARCHIVE_MESSAGE &&
		    i < g.msgs->len; i++) {
			struct got rest;

			split_all(paths[p], msg_at(&g, i)->offset, 0, &rest);
			g_assert_cmpuint(rest.msgs->len, ==, g.msgs->len - i);
			assert_same_msgs(&g, i, &rest, rest.msgs->len);
			got_clear(&rest);
		}
		got_clear(&g);
	}
	g_free(path);
	g_free(gzpath);
	g_free(gzname);
}

/* ---- envelopes ------------------------------------------------------ */

static void
test_separator_forms(void)
{
	static const struct {
		const char *line;
		const char *from;
		int y, mo, d, h, mi, s;
	} forms[] = {
		{ "From MAILER-DAEMON Thu Jan  1 00:00:00 1970",
		  "MAILER-DAEMON", 1970, 1, 1, 0, 0, 0 },
		{ "From patrick Fri Sep 12 19:57:26 1997", "patrick",
		  1997, 9, 12, 19, 57, 26 },
		{ "From user@host Thu May 26 19:05:00 2016", "user@host",
		  2016, 5, 26, 19, 5, 0 },
		{ "From u@h  Tue May 6 19:35:48 2003", "u@h",
		  2003, 5, 6, 19, 35, 48 },
		{ "From u@h Fri Sep 12 19:57:26 PDT 1997", "u@h",
		  1997, 9, 13, 2, 57, 26 },
		{ "From u@h Fri Sep 12 19:57:26 1997 -0700", "u@h",
		  1997, 9, 13, 2, 57, 26 },
		{ "From u@h Mon Dec 05 10:00 2005", "u@h",
		  2005, 12, 5, 10, 0, 0 },
		{ "From - Mon Dec  5 10:00:00 2005", NULL,
		  2005, 12, 5, 10, 0, 0 },
		{ "From u@h Sat, 31 Jul 1999 23:34:47 -0400 (EDT)", "u@h",
		  1999, 8, 1, 3, 34, 47 },
		{ "From u@h Sun, 12 Dec 1999 23:12:03 -0500", "u@h",
		  1999, 12, 13, 4, 12, 3 },
		{ "From u@h Sun, 11 Nov 2007 06:58:35 +0200", "u@h",
		  2007, 11, 11, 4, 58, 35 },
		{ "From u@h 1 Jan 99 00:00:00 GMT", "u@h",
		  1999, 1, 1, 0, 0, 0 },
		{ "From u@h Thu May 26 19:05:00 2016 remote from relay",
		  "u@h", 2016, 5, 26, 19, 5, 0 },
		{ "From \"a b\"@h Thu May 26 19:05:00 2016", "\"a b\"@h",
		  2016, 5, 26, 19, 5, 0 },
		/* A zone of two words (mutt's example), two-digit years. */
		{ "From x@y.fr Wed Aug  2 00:39:12 MET DST 1995", "x@y.fr",
		  1995, 8, 1, 22, 39, 12 },
		{ "From u@h Fri Sep 12 19:57:26 CET 1997", "u@h",
		  1997, 9, 12, 18, 57, 26 },
		{ "From u@h Fri Sep 12 19:57:26 97", "u@h",
		  1997, 9, 12, 19, 57, 26 },
		{ "From u@h Mon Jan  3 10:00 05", "u@h",
		  2005, 1, 3, 10, 0, 0 },
	};
	GString *text = g_string_new(NULL);
	struct got g;
	char *path;

	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++)
		g_string_append_printf(text, "%s\nSubject: %zu\n\nbody\n\n",
		    forms[i].line, i);
	path = write_file("forms.mbox", text->str, text->len);
	split_all(path, 0, 0, &g);
	g_assert_cmpint(g.kind, ==, LARCH_ARCHIVE_MBOX);
	g_assert_cmpuint(g.msgs->len, ==, G_N_ELEMENTS(forms));
	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
		struct got_msg *m = msg_at(&g, (guint)i);

		g_test_message("%s", forms[i].line);
		g_assert_cmpstr(m->from, ==, forms[i].from);
		g_assert_cmpint(m->date, ==, utc(forms[i].y, forms[i].mo,
		    forms[i].d, forms[i].h, forms[i].mi, forms[i].s));
	}
	got_clear(&g);
	g_free(path);
	g_string_free(text, TRUE);
}

static void
test_pipermail_envelope(void)
{
	static const char text[] =
	    "From jml at mumak.net  Mon Aug 10 03:08:38 2015\n"
	    "From: jml at mumak.net (J)\n\nx\n"
	    "From glyph@divunal.com Sat, 31 Jul 1999 23:34:47 -0400 (EDT)\n"
	    "From: glyph\n\ny\n";
	char *path = write_file("p.txt", text, sizeof text - 1);
	struct got g;

	split_all(path, 0, 0, &g);
	g_assert_cmpint(g.kind, ==, LARCH_ARCHIVE_PIPERMAIL);
	g_assert_cmpuint(g.msgs->len, ==, 2);
	g_assert_cmpstr(msg_at(&g, 0)->from, ==, "jml@mumak.net");
	g_assert_cmpint(msg_at(&g, 0)->date, ==, utc(2015, 8, 10, 3, 8, 38));
	g_assert_cmpstr(msg_at(&g, 1)->from, ==, "glyph@divunal.com");
	g_assert_cmpint(msg_at(&g, 1)->date, ==, utc(1999, 8, 1, 3, 34, 47));
	got_clear(&g);
	g_free(path);
}

/* ---- Content-Length ------------------------------------------------- */

struct cl_case {
	const char *name;
	const char *body;	/* of the first message */
	int delta;		/* added to the right Content-Length */
	const char *between;	/* after the body, before the separator */
	unsigned count;
	enum larch_source_format format;	/* of the first message */
	const char *want;	/* its data after the headers */
};

#define CL_BODY "line\n" SEP2 "Received: by example.org\n>From kept\n"

static const struct cl_case cl_cases[] = {
	/* Right: the "From " line with a header after it is body text,
	 * and nothing is unescaped. */
	{ "right", CL_BODY, 0, "\n", 2, LARCH_FORMAT_MBOXCL, CL_BODY },
	{ "right-no-blank", CL_BODY, 0, "", 2, LARCH_FORMAT_MBOXCL, CL_BODY },
	{ "right-blanks", CL_BODY, 0, "\n\n\n", 2, LARCH_FORMAT_MBOXCL,
	  CL_BODY },
	{ "right-at-eof", CL_BODY, 0, NULL, 1, LARCH_FORMAT_MBOXCL, CL_BODY },
	/* Lies: separators decide; the body's separator splits it.  The
	 * file is still a Content-Length file, which does not escape:
	 * ">From" stays. */
	{ "too-long", CL_BODY, 10, "\n", 3, LARCH_FORMAT_MBOXCL, "line\n" },
	{ "too-short", CL_BODY, -3, "\n", 3, LARCH_FORMAT_MBOXCL, "line\n" },
	{ "past-eof", CL_BODY, 1000, NULL, 2, LARCH_FORMAT_MBOXCL,
	  "line\n" },
	{ "lies-plain", "a\n>From b\n", 5, "\n", 2, LARCH_FORMAT_MBOXCL,
	  "a\n>From b\n" },
};

/* RAW of m, whose file holds file, takes its framing off as the splitter
 * did: the same bytes, "From " lines and their escapes included. */
static void
assert_raw_same(struct got_msg *m, const char *file)
{
	char *raw = g_strndup(file + m->offset, m->length);
	size_t n = larch_raw_unframe(raw, m->length, m->format);

	assert_data(m, raw, n);
	g_free(raw);
}

static void
test_content_length(gconstpointer data)
{
	const struct cl_case *c = data;
	GString *text = g_string_new(NULL);
	char *path, *want;
	struct got g;

	g_string_append_printf(text, SEP1 "Subject: cl\nContent-Length: %d"
	    "\n\n%s", (int)strlen(c->body) + c->delta, c->body);
	if (c->between != NULL)
		g_string_append_printf(text, "%s" SEP1 "Subject: next\n\n"
		    "last\n", c->between);
	path = write_file("cl.mbox", text->str, text->len);
	split_all(path, 0, 0, &g);
	g_assert_cmpint(g.end, ==, LARCH_DONE);
	g_assert_cmpuint(g.msgs->len, ==, c->count);
	g_assert_cmpint(msg_at(&g, 0)->format, ==, c->format);
	want = g_strdup_printf("Subject: cl\nContent-Length: %d\n\n%s",
	    (int)strlen(c->body) + c->delta, c->want);
	assert_data(msg_at(&g, 0), want, strlen(want));
	assert_raw_same(msg_at(&g, 0), text->str);
	if (c->between != NULL) {
		struct got_msg *last = msg_at(&g, c->count - 1);

		assert_data(last, "Subject: next\n\nlast\n", 20);
		g_assert_cmpuint(last->offset + last->length, ==, text->len);
	}
	got_clear(&g);
	g_free(want);
	g_free(path);
	g_string_free(text, TRUE);
}

/* Content-Length counts the bytes in the file: CRLF ones here. */
static void
test_content_length_crlf(void)
{
	static const char body[] = "a\r\n" "From x@y Thu May 26 19:05:00 2016"
	    "\r\nX: y\r\n";
	GString *text = g_string_new(NULL);
	char *path;
	struct got g;

	g_string_append_printf(text, "From a@b Thu May 26 19:05:00 2016\r\n"
	    "Content-Length: %zu\r\n\r\n%s\r\nFrom c@d Thu May 26 19:05:00 "
	    "2016\r\nX: z\r\n\r\n", sizeof body - 1, body);
	path = write_file("clcrlf.mbox", text->str, text->len);
	split_all(path, 0, 0, &g);
	g_assert_cmpuint(g.msgs->len, ==, 2);
	g_assert_cmpint(msg_at(&g, 0)->format, ==, LARCH_FORMAT_MBOXCL);
	assert_data(msg_at(&g, 0), "Content-Length: 44\n\na\nFrom x@y Thu May "
	    "26 19:05:00 2016\nX: y\n", 61);
	got_clear(&g);
	g_free(path);
	g_string_free(text, TRUE);
}

/* An mboxcl file in which one length is wrong: the next message with a
 * right one still keeps the separator in its body. */
static void
test_content_length_mixed(void)
{
	static const char inner[] = "From x@y Thu May 26 19:05:00 2016\n"
	    "X: y\n";
	GString *text = g_string_new(NULL);
	char *path;
	struct got g;

	g_string_append(text, SEP1 "Subject: 1\nContent-Length: 5000\n\n"
	    "one\n\n");
	g_string_append(text, SEP2 "Subject: 2\n\ntwo\n\n");
	g_string_append_printf(text, SEP1 "Subject: 3\nContent-Length: "
	    "%zu\n\n%s\n", sizeof inner - 1, inner);
	g_string_append(text, SEP2 "Subject: 4\n\nfour\n");
	path = write_file("clmixed.mbox", text->str, text->len);
	split_all(path, 0, 0, &g);
	g_assert_cmpuint(g.msgs->len, ==, 4);
	g_assert_cmpint(msg_at(&g, 0)->format, ==, LARCH_FORMAT_MBOXCL);
	g_assert_cmpint(msg_at(&g, 1)->format, ==, LARCH_FORMAT_MBOXRD);
	assert_data(msg_at(&g, 0), INPUT("Subject: 1\nContent-Length: 5000\n"
	    "\none\n"));
	g_assert_cmpint(msg_at(&g, 2)->format, ==, LARCH_FORMAT_MBOXCL);
	assert_data(msg_at(&g, 2), INPUT("Subject: 3\nContent-Length: 39\n\n"
	    "From x@y Thu May 26 19:05:00 2016\nX: y\n"));
	assert_data(msg_at(&g, 3), INPUT("Subject: 4\n\nfour\n"));
	got_clear(&g);
	g_free(path);
	g_string_free(text, TRUE);
}

/* In an mboxrd file (no Content-Length in its first message) a message
 * that carries a wrong one (a sender's, not its writer's) is mboxrd like
 * the rest: its ">From" lines are unescaped. */
static void
test_content_length_stray(void)
{
	static const char text[] = SEP1 "Subject: 1\n\none\n\n"
	    SEP2 "Subject: 2\nContent-Length: 99\n\n>From two\n\n"
	    SEP1 "Subject: 3\n\nthree\n";
	char *path = write_file("clstray.mbox", text, sizeof text - 1);
	struct got g;

	split_all(path, 0, 0, &g);
	g_assert_cmpuint(g.msgs->len, ==, 3);
	g_assert_cmpint(msg_at(&g, 1)->format, ==, LARCH_FORMAT_MBOXRD);
	assert_data(msg_at(&g, 1), INPUT("Subject: 2\nContent-Length: 99\n\n"
	    "From two\n"));
	assert_raw_same(msg_at(&g, 1), text);
	got_clear(&g);
	g_free(path);
}

/* Process CPU seconds to split path, the fewer of two runs. */
static double
split_seconds(const char *path, guint want)
{
	double best = G_MAXDOUBLE;

	for (int k = 0; k < 2; k++) {
		clock_t t0 = clock();
		struct got g;

		split_all(path, 0, 0, &g);
		best = MIN(best, (double)(clock() - t0) / CLOCKS_PER_SEC);
		g_assert_cmpuint(g.msgs->len, ==, want);
		got_clear(&g);
	}
	return best;
}

/*
 * Lengths far too long (attachments stripped after the field was
 * written) cost what right ones do: each message used to read on to
 * where its length said it ended, or to the end of the file, so the time
 * grew with the square of the file's size (2.5k such messages of half a
 * kilobyte: seconds, against milliseconds).
 */
static void
test_content_length_linear(void)
{
	const guint n = 2500;
	char *paths[2];
	double t[2];

	for (int bad = 0; bad < 2; bad++) {
		GString *text = g_string_new(NULL);
		char *name = g_strdup_printf("cl-linear-%d.mbox", bad);

		for (guint i = 0; i < n; i++) {
			GString *body = g_string_new(NULL);

			for (int k = 0; k < 10; k++)
				g_string_append_printf(body, "line %d of the "
				    "body of message number %u\n", k, i);
			g_string_append_printf(text, "From m%u@example.org Thu "
			    "May 26 19:05:00 2016\nSubject: %u\n"
			    "Content-Length: %zu\n\n%s\n", i, i,
			    body->len + (bad ? 20000000 : 0), body->str);
			g_string_free(body, TRUE);
		}
		paths[bad] = write_file(name, text->str, text->len);
		g_free(name);
		g_string_free(text, TRUE);
	}
	t[0] = split_seconds(paths[0], n);
	t[1] = split_seconds(paths[1], n);
	g_test_message("right lengths %.3f s, wrong ones %.3f s", t[0], t[1]);
	g_assert_cmpfloat(t[1], <, 3 * t[0] + 0.2);
	g_free(paths[0]);
	g_free(paths[1]);
}

/* ---- sizes ---------------------------------------------------------- */

static void
test_long_line(void)
{
	const size_t n = 2 * 1024 * 1024 + 17;
	GString *text = g_string_new(SEP1 "Subject: long\n\n");
	GString *cr;
	char *path, *crpath;
	struct got g;
	size_t head = text->len - strlen(SEP1);

	for (size_t i = 0; i < n; i++)
		g_string_append_c(text, (char)('a' + i % 26));
	g_string_append(text, "\r\nend\n\n" SEP2 "Subject: 2\n\n");
	path = write_file("long.mbox", text->str, text->len);
	split_all(path, 0, 0, &g);
	g_assert_cmpuint(g.msgs->len, ==, 2);
	g_assert_cmpuint(g_bytes_get_size(msg_at(&g, 0)->data), ==,
	    head + n + 5);
	assert_data(msg_at(&g, 1), "Subject: 2\n", 11);
	got_clear(&g);

	/* The same in a bare-CR file. */
	cr = g_string_new_len(text->str, (gssize)text->len);
	g_string_replace(cr, "\r\n", "\n", 0);
	for (size_t i = 0; i < cr->len; i++)
		if (cr->str[i] == '\n')
			cr->str[i] = '\r';
	crpath = write_file("long-cr.mbox", cr->str, cr->len);
	split_all(crpath, 0, 0, &g);
	g_assert_cmpuint(g.msgs->len, ==, 2);
	g_assert_cmpuint(g_bytes_get_size(msg_at(&g, 0)->data), ==,
	    head + n + 5);
	got_clear(&g);
	g_free(path);
	g_free(crpath);
	g_string_free(text, TRUE);
	g_string_free(cr, TRUE);
}

static void
test_max_message(void)
{
	GString *text = g_string_new(SEP1 "Subject: big\n\n");
	GString *full;
	char *path;
	struct got g;

	for (int i = 0; i < 200; i++)
		g_string_append_printf(text, "line %d\n", i);
	full = g_string_new_len(text->str + strlen(SEP1),
	    (gssize)(text->len - strlen(SEP1)));
	g_string_append(text, "\n" SEP2 "Subject: small\n\nok\n");
	path = write_file("max.mbox", text->str, text->len);
	split_all(path, 0, 100, &g);
	g_assert_cmpuint(g.msgs->len, ==, 2);
	g_assert_true(msg_at(&g, 0)->truncated);
	g_assert_false(msg_at(&g, 0)->cut_short);
	assert_data(msg_at(&g, 0), full->str, 100);
	g_assert_cmpuint(msg_at(&g, 1)->offset, ==,
	    msg_at(&g, 0)->offset + msg_at(&g, 0)->length);
	g_assert_false(msg_at(&g, 1)->truncated);
	assert_data(msg_at(&g, 1), "Subject: small\n\nok\n", 19);
	got_clear(&g);

	/* Larger than the limit and last, its last line without an end:
	 * the limit is why bytes are missing, not the file's end. */
	g_free(path);
	path = write_file("max-last.mbox", text->str, text->len - 1);
	split_all(path, 0, 100, &g);
	g_assert_cmpuint(g.msgs->len, ==, 2);
	g_assert_false(msg_at(&g, 0)->cut_short);
	g_assert_true(msg_at(&g, 1)->cut_short);
	got_clear(&g);
	g_free(path);
	g_string_truncate(text, text->len -
	    strlen("\n" SEP2 "Subject: small\n\nok\n"));
	path = write_file("max-last.mbox", text->str, text->len - 1);
	split_all(path, 0, 100, &g);
	g_assert_cmpuint(g.msgs->len, ==, 1);
	g_assert_true(msg_at(&g, 0)->truncated);
	g_assert_false(msg_at(&g, 0)->cut_short);
	assert_data(msg_at(&g, 0), full->str, 100);
	got_clear(&g);

	/* A single message file too. */
	g_free(path);
	path = write_file("max.eml", full->str, full->len);
	split_all(path, 0, 100, &g);
	g_assert_cmpuint(g.msgs->len, ==, 1);
	g_assert_true(msg_at(&g, 0)->truncated);
	g_assert_cmpuint(msg_at(&g, 0)->length, ==, full->len);
	assert_data(msg_at(&g, 0), full->str, 100);
	got_clear(&g);
	g_free(path);
	g_string_free(full, TRUE);
	g_string_free(text, TRUE);
}

/* ---- gzip, damage, resuming, reading back --------------------------- */

/* n messages whose bodies do not compress to nothing. */
static GString *
make_mbox(unsigned first, unsigned n)
{
	GString *text = g_string_new(NULL);
	GRand *rand = g_rand_new_with_seed(first);

	for (unsigned i = first; i < first + n; i++) {
		g_string_append_printf(text, "From m%u@example.org Thu May 26 "
		    "19:05:00 2016\nSubject: %u\n\n", i, i);
		for (int k = 0; k < 40; k++)
			g_string_append_printf(text, "%08x %08x\n",
			    g_rand_int(rand), g_rand_int(rand));
		g_string_append_c(text, '\n');
	}
	g_rand_free(rand);
	return text;
}

static void
assert_same_msgs(struct got *a, guint from_a, struct got *b, guint n)
{
	for (guint i = 0; i < n; i++) {
		struct got_msg *x = msg_at(a, from_a + i), *y = msg_at(b, i);

		g_assert_cmpuint(x->offset, ==, y->offset);
		g_assert_cmpuint(x->length, ==, y->length);
		g_assert_true(g_bytes_equal(x->data, y->data));
	}
}

static void
test_truncated_gzip(void)
{
	GString *text = make_mbox(0, 300);
	char *plain = write_file("t.mbox", text->str, text->len);
	char *gz = write_gzip("t.mbox.gz", text->str, text->len);
	char *contents;
	gsize len;
	struct got all, cut;

	g_assert_true(g_file_get_contents(gz, &contents, &len, NULL));
	g_assert_true(g_file_set_contents(gz, contents, (gssize)len / 2,
	    NULL));
	split_all(plain, 0, 0, &all);
	split_all(gz, 0, 0, &cut);
	g_assert_cmpuint(all.msgs->len, ==, 300);
	g_assert_cmpint(cut.end, ==, LARCH_ERR_IO);
	g_assert_cmpuint(cut.msgs->len, >, 10);
	g_assert_cmpuint(cut.msgs->len, <, 300);
	assert_same_msgs(&all, 0, &cut, cut.msgs->len);
	g_assert_nonnull(strstr(cut.error, gz));
	g_assert_nonnull(strstr(cut.error, "truncated gzip data at offset"));
	g_assert_cmpuint(cut.offset, ==, msg_at(&cut, cut.msgs->len - 1)->offset
	    + msg_at(&cut, cut.msgs->len - 1)->length);
	got_clear(&all);
	got_clear(&cut);
	g_free(contents);
	g_free(plain);
	g_free(gz);
	g_string_free(text, TRUE);
}

/* text[0, cut) as a gzip member that stops there, as a copy cut short
 * does: no last block and no trailer; or, with whole, complete but for its
 * 8-byte trailer (the checksum and size). */
static char *
write_cut_gzip(const char *name, const char *text, size_t cut, bool whole)
{
	z_stream z = { 0 };
	size_t cap = cut + cut / 8 + 1024, len;
	guint8 *buf = g_malloc(cap);
	char *path;

	g_assert_cmpint(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), ==, Z_OK);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)cut;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	g_assert_cmpint(deflate(&z, whole ? Z_FINISH : Z_SYNC_FLUSH), ==,
	    whole ? Z_STREAM_END : Z_OK);
	len = z.total_out - (whole ? 8 : 0);
	path = write_file_fast(name, buf, len);
	deflateEnd(&z);
	g_free(buf);
	return path;
}

/*
 * A gzip'd mbox cut short: every message whole before the cut is read,
 * the one the cut falls into is not, and a run on the whole file from
 * where this one stopped gives the rest as a clean run does.  A cut in
 * the next message's separator or first header lines used to lose the
 * message before it too, and so did a copy lacking only its trailer.
 */
static void
test_truncated_gzip_cuts(void)
{
	GString *text = make_mbox(0, 4);
	char *plain = write_file("tc.mbox", text->str, text->len);
	char *whole = write_gzip("tc-whole.mbox.gz", text->str, text->len);
	struct got all;
	uint64_t sep, sep_len, body;

	split_all(plain, 0, 0, &all);
	g_assert_cmpuint(all.msgs->len, ==, 4);
	sep = msg_at(&all, 2)->offset;
	sep_len = (uint64_t)(strchr(text->str + sep, '\n') - text->str) + 1 -
	    sep;
	body = sep + sep_len + strlen("Subject: 2\n\n");
	const struct {
		uint64_t cut;
		bool whole;	/* all data, no trailer */
		guint msgs;	/* read before the error */
	} cuts[] = {
		{ sep + 3, false, 2 },		/* "Fro" */
		{ sep + 20, false, 2 },		/* in the separator */
		{ sep + sep_len, false, 2 },	/* right after it */
		{ sep + sep_len + 4, false, 2 },	/* "Subj" */
		{ body, false, 2 },		/* after the header */
		{ body + 18 * 5, false, 2 },	/* at a body line's end */
		{ body + 18 * 5 + 7, false, 2 },	/* in a body line */
		{ text->len - 1, false, 3 },	/* before the last blank */
		{ text->len, false, 4 },	/* no last block */
		{ text->len, true, 4 },		/* only the trailer missing */
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cuts); i++) {
		char *gz = write_cut_gzip("tc.mbox.gz", text->str,
		    (size_t)cuts[i].cut, cuts[i].whole);
		struct got cut, rest;
		uint64_t at;

		g_test_message("cut at %" G_GUINT64_FORMAT "%s", cuts[i].cut,
		    cuts[i].whole ? " (no trailer)" : "");
		split_all(gz, 0, 0, &cut);
		g_assert_cmpint(cut.end, ==, LARCH_ERR_IO);
		g_assert_nonnull(strstr(cut.error,
		    "truncated gzip data at offset"));
		g_assert_cmpuint(cut.msgs->len, ==, cuts[i].msgs);
		assert_same_msgs(&all, 0, &cut, cut.msgs->len);
		at = cuts[i].msgs < 4 ? msg_at(&all, cuts[i].msgs)->offset :
		    text->len;
		g_assert_cmpuint(cut.offset, ==, at);
		/* The file made whole later: the rest, as a clean run. */
		split_all(whole, cut.offset, 0, &rest);
		g_assert_cmpint(rest.end, ==, LARCH_DONE);
		g_assert_cmpuint(rest.msgs->len, ==, 4 - cuts[i].msgs);
		assert_same_msgs(&all, cuts[i].msgs, &rest, rest.msgs->len);
		got_clear(&cut);
		got_clear(&rest);
		g_free(gz);
	}
	got_clear(&all);
	g_free(plain);
	g_free(whole);
	g_string_free(text, TRUE);
}

/*
 * A gzip'd mbox cut where a message's Content-Length says its body ends,
 * after a blank line and the start of a "From " line: the length is taken
 * as right, the likelier reading, though here the whole file shows it
 * wrong.  The message read so starts where the whole file's does, ends
 * earlier, and the next run reads the file again.
 */
static void
test_truncated_gzip_at_content_length(void)
{
	static const char text[] =
	    "From a@example.org Thu May 26 19:05:00 2016\n"
	    "Subject: 1\n\nfirst\n\n"
	    "From b@example.org Thu May 26 19:06:00 2016\n"
	    "Subject: 2\nContent-Length: 7\n\n"
	    "short\n\nFrom here on the body goes on\n>From here\n\n";
	char *plain = write_file("tcl.mbox", text, strlen(text));
	const char *body = strstr(text, "short");
	/* "Fro": the start of a separator, perhaps, after a blank line. */
	char *gz = write_cut_gzip("tcl.mbox.gz", text,
	    (size_t)(body - text) + 7 + 3, false);
	struct got all, cut;

	split_all(plain, 0, 0, &all);
	g_assert_cmpuint(all.msgs->len, ==, 2);
	g_assert_cmpint(msg_at(&all, 1)->format, ==, LARCH_FORMAT_MBOXRD);
	split_all(gz, 0, 0, &cut);
	g_assert_cmpint(cut.end, ==, LARCH_ERR_IO);
	g_assert_cmpuint(cut.msgs->len, ==, 2);
	assert_same_msgs(&all, 0, &cut, 1);
	g_assert_cmpuint(msg_at(&cut, 1)->offset, ==, msg_at(&all, 1)->offset);
	g_assert_cmpuint(msg_at(&cut, 1)->length, <, msg_at(&all, 1)->length);
	g_assert_cmpint(msg_at(&cut, 1)->format, ==, LARCH_FORMAT_MBOXCL);
	got_clear(&all);
	got_clear(&cut);
	g_free(plain);
	g_free(gz);
}

/* A random mbox for the property tests below: line ends LF, CRLF or
 * bare CR, changing between messages; bodies with blank lines, prose and
 * escaped "From " lines, separators with a header after them, stray CRs;
 * Content-Length right, wrong or absent. */
static GString *
random_mbox(GRand *rand)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	GString *text = g_string_new(NULL);
	int style = g_rand_int_range(rand, 0, 3);
	int n = g_rand_int_range(rand, 1, 7);

	for (int i = 0; i < n; i++) {
		const char *e;
		GString *body = g_string_new(NULL);
		int lines = g_rand_int_range(rand, 0, 8);

		if (g_rand_int_range(rand, 0, 4) == 0)
			style = g_rand_int_range(rand, 0, 3);
		e = ends[style];
		for (int k = 0; k < lines; k++) {
			switch (g_rand_int_range(rand, 0, 9)) {
			case 0:
				break;
			case 1:
				g_string_append(body, "From here on, prose");
				break;
			case 2:
				g_string_append(body, ">From escaped");
				break;
			case 3:
				g_string_append_printf(body, "From in@body Thu "
				    "May 26 19:05:00 2016%sX: y", e);
				break;
			case 4:
				if (style != 2)
					g_string_append(body, "stray\rCR");
				break;
			case 5:
				g_string_append(body, "F");
				break;
			default:
				g_string_append_printf(body, "text %d of %d", k,
				    i);
				break;
			}
			g_string_append(body, e);
		}
		g_string_append_printf(text, "From m%d@example.org Thu May 26 "
		    "19:05:%02d 2016%sSubject: %d%s", i, i, e, i, e);
		switch (g_rand_int_range(rand, 0, 5)) {
		case 0:
			g_string_append_printf(text, "Content-Length: %zu%s",
			    body->len, e);
			break;
		case 1:
			g_string_append_printf(text, "Content-Length: %zu%s",
			    body->len + (size_t)g_rand_int_range(rand, 1,
			    400), e);
			break;
		case 2:
			g_string_append_printf(text, "Content-Length: %zu%s",
			    body->len / 2, e);
			break;
		default:
			break;
		}
		g_string_append_printf(text, "%s%s", e, body->str);
		if (g_rand_int_range(rand, 0, 4) > 0)
			g_string_append(text, e);
		g_string_free(body, TRUE);
	}
	return text;
}

/*
 * Properties of random mboxes: a later run resuming at a message reads
 * on as this one did, whatever line ends came before; a gzip'd copy cut
 * short gives this run's messages up to some point, the last of them
 * perhaps ended early (where the cut makes a message end likely), then
 * the error.  More rounds with -m thorough.
 */
static void
test_random_mboxes(void)
{
	GRand *rand = g_rand_new_with_seed(20261121);
	guint rounds = g_test_thorough() ? 20000 : 150;

	for (guint round = 0; round < rounds; round++) {
		GString *text = random_mbox(rand);
		char *plain = write_file_fast("rnd.mbox", text->str,
		    text->len);
		struct got all, got;

		split_all(plain, 0, 0, &all);
		g_assert_cmpint(all.end, ==, LARCH_DONE);
		for (guint i = 1; i < all.msgs->len; i++) {
			split_all(plain, msg_at(&all, i)->offset, 0, &got);
			g_assert_cmpuint(got.msgs->len, ==, all.msgs->len - i);
			assert_same_msgs(&all, i, &got, got.msgs->len);
			got_clear(&got);
		}
		for (int k = 0; k < 3 && text->len > 0; k++) {
			size_t cut = (size_t)g_rand_int_range(rand, 0,
			    (gint32)text->len + 1);
			bool whole = cut == text->len &&
			    g_rand_boolean(rand);
			char *gz = write_cut_gzip("rnd.mbox.gz", text->str, cut,
			    whole);
			guint n;

			split_all(gz, 0, 0, &got);
			n = got.msgs->len;
			if (got.kind == all.kind && n > 0) {
				struct got_msg *a = msg_at(&all, n - 1);
				struct got_msg *b = msg_at(&got, n - 1);

				g_assert_cmpint(got.end, ==, LARCH_ERR_IO);
				g_assert_cmpuint(n, <=, all.msgs->len);
				assert_same_msgs(&all, 0, &got, n - 1);
				g_assert_cmpuint(b->offset, ==, a->offset);
				g_assert_cmpuint(b->length, <=, a->length);
			}
			got_clear(&got);
			g_free(gz);
		}
		got_clear(&all);
		g_free(plain);
		g_string_free(text, TRUE);
	}
	g_rand_free(rand);
}

/* text as one gzip member of stored (not compressed) blocks; with a
 * wrong checksum, inflate() gives all of text, then the error. */
static void
append_stored_member(GByteArray *out, const char *text, bool bad)
{
	z_stream z = { 0 };
	guint8 buf[512];

	g_assert_cmpint(deflateInit2(&z, 0, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), ==, Z_OK);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = buf;
	z.avail_out = sizeof buf;
	g_assert_cmpint(deflate(&z, Z_FINISH), ==, Z_STREAM_END);
	/* The CRC-32 is the trailer's first four bytes. */
	if (bad)
		buf[z.total_out - 8] ^= 0xff;
	g_byte_array_append(out, buf, (guint)z.total_out);
	deflateEnd(&z);
}

/*
 * Several gzip members (a file appended to with gzip, or written in
 * blocks), the last one cut or damaged: every message of the members
 * before it is read, the last one included, then the error, also when
 * the damaged member gave whole lines or part of one before zlib found
 * the damage.  The last messages used to be dropped with the damage that
 * followed them: those whose separator was in the last kilobyte, and,
 * with corrupt data in the next member, all that zlib had decompressed
 * in the failing read (a quarter megabyte).
 */
static void
test_gzip_members(void)
{
	GString *a = make_mbox(0, 400), *b = make_mbox(400, 20);
	char *pa = write_gzip("ma.gz", a->str, a->len);
	char *pb = write_gzip("mb.gz", b->str, b->len);
	char *plain = write_file("mab.mbox", a->str, a->len);
	char *ca, *cb;
	gsize la, lb;
	GByteArray *bytes = g_byte_array_new();
	/* The second member cut after its header, cut in the middle,
	 * replaced by junk behind a gzip magic, and with its deflate data
	 * corrupt. */
	const char junk[] = "\x1f\x8b\x08\x00junk";
	struct got all, got;

	g_assert_true(g_file_get_contents(pa, &ca, &la, NULL));
	g_assert_true(g_file_get_contents(pb, &cb, &lb, NULL));
	split_all(plain, 0, 0, &all);
	g_assert_cmpuint(all.msgs->len, ==, 400);
	for (int k = 0; k < 7; k++) {
		char *path;

		g_byte_array_set_size(bytes, 0);
		g_byte_array_append(bytes, (guint8 *)ca, (guint)la);
		if (k == 2)
			g_byte_array_append(bytes, (const guint8 *)junk,
			    sizeof junk - 1);
		else if (k == 4)
			append_stored_member(bytes, "not a separator\n"
			    "Subject: nor this\n\n", true);
		else if (k == 5)
			append_stored_member(bytes, "From m400@exam", true);
		else if (k == 6)
			append_stored_member(bytes, "Subj", true);
		else
			g_byte_array_append(bytes, (guint8 *)cb,
			    k == 0 ? 12 : k == 1 ? (guint)lb / 2 : (guint)lb);
		for (guint i = 10; k == 3 && i < 40; i++)
			bytes->data[la + i] ^= 0x5a;
		path = write_file("mab.mbox.gz", bytes->data, bytes->len);
		split_all(path, 0, 0, &got);
		g_assert_cmpint(got.end, ==, LARCH_ERR_IO);
		g_assert_cmpuint(got.msgs->len, >=, 400);
		assert_same_msgs(&all, 0, &got, 400);
		g_assert_cmpuint(msg_at(&got, 399)->offset +
		    msg_at(&got, 399)->length, ==, a->len);
		g_assert_nonnull(strstr(got.error, "gzip data at offset"));
		got_clear(&got);
		g_free(path);
	}
	/* A "From " line last before the damage: no header follows it to
	 * make it a separator, so the last message ends after it. */
	{
		static const char from[] = "From m400@example.org Thu May 26 "
		    "19:05:00 2016\n";
		char *path;

		g_byte_array_set_size(bytes, 0);
		g_byte_array_append(bytes, (guint8 *)ca, (guint)la);
		append_stored_member(bytes, from, false);
		append_stored_member(bytes, "Subj", true);
		path = write_file("mab.mbox.gz", bytes->data, bytes->len);
		split_all(path, 0, 0, &got);
		g_assert_cmpint(got.end, ==, LARCH_ERR_IO);
		g_assert_cmpuint(got.msgs->len, ==, 400);
		assert_same_msgs(&all, 0, &got, 399);
		g_assert_cmpuint(msg_at(&got, 399)->offset +
		    msg_at(&got, 399)->length, ==, a->len + strlen(from));
		got_clear(&got);
		g_free(path);
	}
	got_clear(&all);
	g_byte_array_unref(bytes);
	g_free(ca);
	g_free(cb);
	g_free(pa);
	g_free(pb);
	g_free(plain);
	g_string_free(a, TRUE);
	g_string_free(b, TRUE);
}

/*
 * Whether a "From " line is followed by a header field is decided on the
 * next line's first kilobyte, what the splitter reads ahead: a 999-byte
 * name, a blank and a colon is not a field, whatever follows in the
 * file, so the answer cannot depend on where a read ended.
 */
static void
test_long_field_name(void)
{
	GString *text = g_string_new("From a@example.org Thu May 26 19:05:00 "
	    "2016\nSubject: one\n\nbody\n"
	    "From b@example.org Thu May 26 19:06:00 2016\n");
	char *path;
	struct got g;

	for (int i = 0; i < 999; i++)
		g_string_append_c(text, 'X');
	g_string_append(text, " : value\n\nmore body\n");
	path = write_file("longname.mbox", text->str, text->len);
	split_all(path, 0, 0, &g);
	g_assert_cmpuint(g.msgs->len, ==, 1);
	got_clear(&g);
	g_free(path);
	g_string_free(text, TRUE);
}

/* A file that grew since the last run: resuming at the old end gives only
 * the new messages, resuming at the last one read gives it again. */
static void
test_grown(void)
{
	static const char *const names[] = { "grow.mbox", "2016-May.txt" };

	for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
		GString *text = make_mbox(0, 3), *more = make_mbox(3, 2);
		char *path;
		struct got g, resumed, again, whole;
		uint64_t end, last;

		if (k == 1) {
			/* pipermail: obfuscated, no blank line. */
			g_string_replace(text, "@", " at ", 0);
			g_string_replace(more, "@", " at ", 0);
			g_string_replace(text, "\n\nFrom", "\nFrom", 0);
		}
		path = write_file(names[k], text->str, text->len);
		split_all(path, 0, 0, &g);
		g_assert_cmpuint(g.msgs->len, ==, 3);
		end = g.offset;
		last = msg_at(&g, 2)->offset;
		g_assert_cmpuint(end, ==, text->len);

		g_string_append_len(text, more->str, (gssize)more->len);
		g_assert_true(g_file_set_contents(path, text->str,
		    (gssize)text->len, NULL));
		split_all(path, 0, 0, &whole);
		split_all(path, end, 0, &resumed);
		split_all(path, last, 0, &again);
		g_assert_cmpint(resumed.kind, ==, g.kind);
		g_assert_cmpuint(whole.msgs->len, ==, 5);
		g_assert_cmpuint(resumed.msgs->len, ==, 2);
		g_assert_cmpuint(again.msgs->len, ==, 3);
		assert_same_msgs(&whole, 3, &resumed, 2);
		assert_same_msgs(&whole, 2, &again, 3);
		for (guint i = 0; i < 2; i++)
			g_assert_cmpint(msg_at(&resumed, i)->format, ==,
			    msg_at(&whole, 3 + i)->format);
		/* The first message is the same read either way. */
		assert_same_msgs(&whole, 0, &g, 3);
		got_clear(&g);
		got_clear(&whole);
		got_clear(&resumed);
		got_clear(&again);
		g_free(path);
		g_string_free(text, TRUE);
		g_string_free(more, TRUE);
	}
}

/* Resuming inside a gzip file and past the end. */
static void
test_resume_gzip(void)
{
	GString *text = make_mbox(0, 20);
	char *gz = write_gzip("r.mbox.gz", text->str, text->len);
	struct got all, tail;

	split_all(gz, 0, 0, &all);
	split_all(gz, msg_at(&all, 15)->offset, 0, &tail);
	g_assert_cmpuint(tail.msgs->len, ==, 5);
	assert_same_msgs(&all, 15, &tail, 5);
	got_clear(&tail);
	split_all(gz, text->len + 100, 0, &tail);
	g_assert_cmpuint(tail.msgs->len, ==, 0);
	g_assert_cmpint(tail.end, ==, LARCH_DONE);
	got_clear(&tail);
	got_clear(&all);
	g_free(gz);
	g_string_free(text, TRUE);
}

/* What the daemon does: read a message's bytes back by its range. */
static void
test_read_range(void)
{
	GString *text = make_mbox(0, 30);
	char *plain = write_file("rr.mbox", text->str, text->len);
	char *gz = write_gzip("rr.mbox.gz", text->str, text->len);
	const char *paths[] = { plain, gz };

	g_string_replace(text, "\n", "\r\n", 0);
	g_free(plain);
	plain = write_file("rr.mbox", text->str, text->len);
	g_free(gz);
	gz = write_gzip("rr.mbox.gz", text->str, text->len);
	paths[0] = plain;
	paths[1] = gz;
	for (int p = 0; p < 2; p++) {
		struct got g;

		split_all(paths[p], 0, 0, &g);
		g_assert_cmpuint(g.msgs->len, ==, 30);
		for (guint i = 0; i < g.msgs->len; i++) {
			struct got_msg *m = msg_at(&g, i);
			GByteArray *out = g_byte_array_new();
			char *error = NULL;

			g_assert_cmpint(larch_stream_read_range(paths[p],
			    m->offset, m->length, out, &error), ==, LARCH_OK);
			g_assert_cmpmem(out->data, out->len,
			    text->str + m->offset, m->length);
			g_byte_array_unref(out);
		}
		got_clear(&g);
	}
	g_free(plain);
	g_free(gz);
	g_string_free(text, TRUE);
}

/* ---- real archives -------------------------------------------------- */

/*
 * Counts are independent of the splitter: the number of lines starting
 * "From " where the archive is mboxrd-escaped (or every such line was
 * checked to be a separator), else the count SOURCES.md gives, checked by
 * reading the files (noted per row).
 */
struct corpus {
	const char *path;	/* under corpora/; a directory: its files */
	const char *suffix;	/* of the files taken from a directory */
	unsigned count;
	bool from_lines;	/* count equals the "From " line count */
	enum larch_archive_kind kind;
};

static const struct corpus corpora[] = {
	{ "openwrt-devel-2019/openwrt-devel-2019-04-to-07.mbox", NULL, 1382,
	  true, LARCH_ARCHIVE_MBOX },
	{ "samba-technical-2021-2023/samba-technical-2021-2023.mbox", NULL,
	  2483, true, LARCH_ARCHIVE_MBOX },
	{ "open-iscsi-googlegroups-2019-2021/open-iscsi-2019-2021.mbox", NULL,
	  693, true, LARCH_ARCHIVE_MBOX },
	{ "notmuch-test-corpora/lkml.mbox", NULL, 210, true,
	  LARCH_ARCHIVE_MBOX },
	{ "notmuch-test-corpora/default.mbox", NULL, 53, true,
	  LARCH_ARCHIVE_MBOX },
	/* 5,377 "From " lines: three are prose in bodies (2005-August,
	 * 2006-January, 2008-March), with no blank line before them. */
	{ "twisted-pipermail/twisted-web", ".txt.gz", 5374, false,
	  LARCH_ARCHIVE_PIPERMAIL },
	{ "twisted-pipermail/twisted-web", ".txt", 89 + 183 + 1, true,
	  LARCH_ARCHIVE_PIPERMAIL },
	{ "twisted-pipermail/divunal-devel", ".txt.gz", 107, false,
	  LARCH_ARCHIVE_PIPERMAIL },
	{ "twisted-pipermail/divunal-list", ".txt", 1700, true,
	  LARCH_ARCHIVE_PIPERMAIL },
	{ "twisted-pipermail/divunal-author", ".txt", 266, true,
	  LARCH_ARCHIVE_PIPERMAIL },
	{ "twisted-pipermail/reality", ".txt", 153, true,
	  LARCH_ARCHIVE_PIPERMAIL },
	{ "perl-email-folder-mboxes/testmbox.mbox", NULL, 10, true,
	  LARCH_ARCHIVE_MBOX },
	{ "perl-email-folder-mboxes/testmbox-dos.mbox", NULL, 10, true,
	  LARCH_ARCHIVE_MBOX },
	/* Bare CR: no line starts "From " for grep. */
	{ "perl-email-folder-mboxes/testmbox-mac.mbox", NULL, 10, false,
	  LARCH_ARCHIVE_MBOX },
	{ "perl-email-folder-mboxes/testmbox-empty.mbox", NULL, 0, true,
	  LARCH_ARCHIVE_MBOX },
	/* 4 "From " lines; "From perl5-porters:" is body text. */
	{ "perl-email-folder-mboxes/mboxcl2.mbox", NULL, 3, false,
	  LARCH_ARCHIVE_MBOX },
	{ "perl-email-folder-mboxes/mboxcl2-lies.mbox", NULL, 3, false,
	  LARCH_ARCHIVE_MBOX },
	{ "perl-email-folder-mboxes/mboxcl3.mbox", NULL, 2, true,
	  LARCH_ARCHIVE_MBOX },
	{ "gnu-mailutils-testsuite/teaparty.mbox", NULL, 95, true,
	  LARCH_ARCHIVE_MBOX },
	{ "gnu-mailutils-testsuite/bigto.mbox", NULL, 1, true,
	  LARCH_ARCHIVE_MBOX },
	{ "gnu-mailutils-testsuite/relational.mbox", NULL, 9, true,
	  LARCH_ARCHIVE_MBOX },
	{ "gnu-mailutils-testsuite/search2.mbox", NULL, 5, true,
	  LARCH_ARCHIVE_MBOX },
	{ "gnu-mailutils-testsuite/mime.mbox", NULL, 2, true,
	  LARCH_ARCHIVE_MBOX },
	{ "perceval-test-data/pipermail/pipermail_2015_november.mbox", NULL, 4,
	  true, LARCH_ARCHIVE_PIPERMAIL },
	{ "perceval-test-data/pipermail/pipermail_2016_april.mbox", NULL, 3,
	  true, LARCH_ARCHIVE_PIPERMAIL },
	{ "perceval-test-data/pipermail/pipermail_index.html", NULL, 0, true,
	  LARCH_ARCHIVE_UNKNOWN },
	/* One message with an mbox attachment: not split, by its name. */
	{ "notmuch-test-corpora/insert/mbox-attachment.eml", NULL, 1, false,
	  LARCH_ARCHIVE_MESSAGE },
	{ "cpython-test-email/msg_35.eml", NULL, 1, false,
	  LARCH_ARCHIVE_MESSAGE },
};

static unsigned
from_lines(const char *path)
{
	char *text;
	gsize len;
	unsigned n = 0;

	g_assert_true(g_file_get_contents(path, &text, &len, NULL));
	for (gsize i = 0; i + 5 <= len; i++)
		if ((i == 0 || text[i - 1] == '\n') &&
		    memcmp(text + i, "From ", 5) == 0)
			n++;
	g_free(text);
	return n;
}

static void
count_file(const char *path, const struct corpus *c, unsigned *msgs,
    unsigned *lines)
{
	struct got g;

	split_all(path, 0, 0, &g);
	if (g.end != LARCH_DONE)
		g_test_message("%s: %s", path, g.error);
	g_assert_cmpint(g.end, ==, LARCH_DONE);
	g_assert_cmpint(g.kind, ==, c->kind);
	*msgs += g.msgs->len;
	if (c->from_lines)
		*lines += from_lines(path);
	got_clear(&g);
}

static void
test_corpora(void)
{
	const char *shared = g_getenv("LARCH_SHARED");
	char *root;

	if (shared == NULL || !g_file_test((root = g_build_filename(shared,
	    "corpora", NULL)), G_FILE_TEST_IS_DIR)) {
		if (shared != NULL)
			g_free(root);
		g_test_skip("no $LARCH_SHARED/corpora");
		return;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(corpora); i++) {
		const struct corpus *c = &corpora[i];
		char *path = g_build_filename(root, c->path, NULL);
		unsigned msgs = 0, lines = 0;

		if (c->suffix == NULL) {
			count_file(path, c, &msgs, &lines);
		} else {
			GDir *dir = g_dir_open(path, 0, NULL);
			const char *name;

			g_assert_nonnull(dir);
			while ((name = g_dir_read_name(dir)) != NULL) {
				char *f;

				if (!g_str_has_suffix(name, c->suffix))
					continue;
				f = g_build_filename(path, name, NULL);
				count_file(f, c, &msgs, &lines);
				g_free(f);
			}
			g_dir_close(dir);
		}
		g_test_message("%s%s: %u messages", c->path,
		    c->suffix != NULL ? c->suffix : "", msgs);
		g_assert_cmpuint(msgs, ==, c->count);
		if (c->from_lines)
			g_assert_cmpuint(lines, ==, c->count);
		g_free(path);
	}
	g_free(root);
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("larch-split-XXXXXX", NULL);
	g_assert_nonnull(tmpdir);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *name = g_strdup_printf("/split/case/%s", cases[i].name);

		g_test_add_data_func(name, &cases[i], test_case);
		g_free(name);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(cl_cases); i++) {
		char *name = g_strdup_printf("/split/content-length/%s",
		    cl_cases[i].name);

		g_test_add_data_func(name, &cl_cases[i], test_content_length);
		g_free(name);
	}
	g_test_add_func("/split/content-length/crlf",
	    test_content_length_crlf);
	g_test_add_func("/split/content-length/mixed",
	    test_content_length_mixed);
	g_test_add_func("/split/content-length/stray",
	    test_content_length_stray);
	g_test_add_func("/split/content-length/linear",
	    test_content_length_linear);
	g_test_add_func("/split/separator-forms", test_separator_forms);
	g_test_add_func("/split/pipermail-envelope", test_pipermail_envelope);
	g_test_add_func("/split/long-line", test_long_line);
	g_test_add_func("/split/gzip-members", test_gzip_members);
	g_test_add_func("/split/long-field-name", test_long_field_name);
	g_test_add_func("/split/max-message", test_max_message);
	g_test_add_func("/split/truncated-gzip", test_truncated_gzip);
	g_test_add_func("/split/truncated-gzip-cuts",
	    test_truncated_gzip_cuts);
	g_test_add_func("/split/truncated-gzip-at-content-length",
	    test_truncated_gzip_at_content_length);
	g_test_add_func("/split/random-mboxes", test_random_mboxes);
	g_test_add_func("/split/grown", test_grown);
	g_test_add_func("/split/resume-gzip", test_resume_gzip);
	g_test_add_func("/split/read-range", test_read_range);
	g_test_add_func("/split/corpora", test_corpora);
	rc = g_test_run();
	test_rm_rf(tmpdir);
	g_free(tmpdir);
	return rc;
}
