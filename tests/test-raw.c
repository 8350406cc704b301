/* Tests for lib/raw.c: taking a source's archive framing off again. */
#include <string.h>
#include <zlib.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "larch/raw.h"

struct unframe_case {
	const char *name;
	enum larch_source_format format;
	const char *in;
	const char *want;
};

static const struct unframe_case unframe_cases[] = {
	{ "file untouched", LARCH_FORMAT_FILE,
	  "From a@b Mon Jan  1 00:00:00 2001\nX: y\n\n>From z\n\n",
	  "From a@b Mon Jan  1 00:00:00 2001\nX: y\n\n>From z\n\n" },
	{ "empty", LARCH_FORMAT_MBOXO, "", "" },
	{ "mboxo separator and blank", LARCH_FORMAT_MBOXO,
	  "From a@b Mon Jan  1 00:00:00 2001\nSubject: s\n\nbody\n\n",
	  "Subject: s\n\nbody\n" },
	{ "mboxo one level only", LARCH_FORMAT_MBOXO,
	  "From a@b Mon Jan  1 00:00:00 2001\nS: s\n\n>From x\n>>From y\n",
	  "S: s\n\nFrom x\n>>From y\n" },
	{ "mboxrd every level", LARCH_FORMAT_MBOXRD,
	  "From a@b Mon Jan  1 00:00:00 2001\nS: s\n\n>From x\n>>From y\n"
	  ">Fro\n> From\n\n",
	  "S: s\n\nFrom x\n>From y\n>Fro\n> From\n" },
	{ "crlf", LARCH_FORMAT_MBOXRD,
	  "From a@b Mon Jan  1 00:00:00 2001\r\nS: s\r\n\r\n>From x\r\n\r\n",
	  "S: s\r\n\r\nFrom x\r\n" },
	{ "bare cr", LARCH_FORMAT_MBOXO,
	  "From a@b Mon Jan  1 00:00:00 2001\rS: s\r\r>From x\r\r",
	  "S: s\r\rFrom x\r" },
	{ "no separator kept", LARCH_FORMAT_MBOXO,
	  "S: s\n\nbody", "S: s\n\nbody" },
	{ "no trailing line end", LARCH_FORMAT_MBOXO,
	  "From a@b Mon Jan  1 00:00:00 2001\nS: s\n\nbody",
	  "S: s\n\nbody" },
	{ "separator only", LARCH_FORMAT_MBOXO,
	  "From a@b Mon Jan  1 00:00:00 2001", "" },
	{ "pipermail keeps >From", LARCH_FORMAT_PIPERMAIL,
	  "From ann at example.org  Mon Jan  1 00:00:00 2001\nFrom: ann at "
	  "example.org\n\n>From the start\n\n",
	  "From: ann at example.org\n\n>From the start\n" },
	{ "mboxcl cut at length", LARCH_FORMAT_MBOXCL,
	  "From a@b Mon Jan  1 00:00:00 2001\nContent-Length: 5\nS: s\n\n"
	  ">From\n\n\n",
	  "Content-Length: 5\nS: s\n\n>From" },
	/* a wrong length, found by the splitter: "From " lines as they are */
	{ "mboxcl length too short", LARCH_FORMAT_MBOXCL,
	  "From a@b Mon Jan  1 00:00:00 2001\nContent-Length: 3\nS: s\n\n"
	  "abc\n>From x\n\n",
	  "Content-Length: 3\nS: s\n\nabc\n>From x\n" },
	{ "mboxcl length past end", LARCH_FORMAT_MBOXCL,
	  "From a@b Mon Jan  1 00:00:00 2001\nContent-length:  99\n\nab\n\n",
	  "Content-length:  99\n\nab\n" },
	{ "mboxcl bad length", LARCH_FORMAT_MBOXCL,
	  "From a@b Mon Jan  1 00:00:00 2001\nContent-Length: x\n\nab\n\n",
	  "Content-Length: x\n\nab\n" },
	{ "mboxcl huge length", LARCH_FORMAT_MBOXCL,
	  "From a@b Mon Jan  1 00:00:00 2001\nContent-Length: "
	  "99999999999999999999999\n\nab\n",
	  "Content-Length: 99999999999999999999999\n\nab\n" },
	{ "mboxcl headers only", LARCH_FORMAT_MBOXCL,
	  "From a@b Mon Jan  1 00:00:00 2001\nContent-Length: 0\n",
	  "Content-Length: 0\n" },
};

static void
test_unframe(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(unframe_cases); i++) {
		const struct unframe_case *c = &unframe_cases[i];
		char *buf = g_strdup(c->in);
		size_t n = larch_raw_unframe(buf, strlen(buf), c->format);

		g_test_message("case %s", c->name);
		g_assert_cmpmem(buf, n, c->want, strlen(c->want));
		g_free(buf);
	}
}

/* NUL bytes and invalid UTF-8 pass through untouched. */
static void
test_unframe_binary(void)
{
	static const char in[] = "From a@b Mon Jan  1 00:00:00 2001\n"
	    "S: \xff\xfe\n\n\0>From\0\n\n";
	static const char want[] = "S: \xff\xfe\n\n\0>From\0\n";
	char buf[sizeof in];
	size_t n;

	memcpy(buf, in, sizeof in);
	n = larch_raw_unframe(buf, sizeof in - 1, LARCH_FORMAT_MBOXRD);
	g_assert_cmpmem(buf, n, want, sizeof want - 1);
}

static char *tmpdir;

static void
test_read(void)
{
	static const char mbox[] =
	    "From a@b Mon Jan  1 00:00:00 2001\nS: one\n\n>From x\n\n"
	    "From c@d Mon Jan  1 00:00:00 2001\nS: two\n\nend\n";
	char *plain = g_build_filename(tmpdir, "a.mbox", NULL);
	char *gz = g_build_filename(tmpdir, "a.mbox.gz", NULL);
	size_t second = (size_t)(strstr(mbox, "From c@d") - mbox);
	struct larch_source src = { plain, 0, second, LARCH_FORMAT_MBOXO };
	GByteArray *out = g_byte_array_new();
	char *error = NULL;
	gzFile f;

	g_assert_true(g_file_set_contents(plain, mbox, -1, NULL));
	f = gzopen(gz, "wb");
	g_assert_nonnull(f);
	g_assert_cmpint(gzwrite(f, mbox, sizeof mbox - 1), ==,
	    (int)sizeof mbox - 1);
	g_assert_cmpint(gzclose(f), ==, Z_OK);

	g_byte_array_append(out, (const guint8 *)"keep", 4);
	g_assert_cmpint(larch_raw_read(&src, 0, out, &error), ==, LARCH_OK);
	g_assert_cmpmem(out->data, out->len, "keepS: one\n\nFrom x\n", 19);

	/* The second message, from the gzip'd copy, ends at the data. */
	g_byte_array_set_size(out, 0);
	src.file = gz;
	src.offset = second;
	src.length = sizeof mbox - 1 - second;
	g_assert_cmpint(larch_raw_read(&src, 0, out, &error), ==, LARCH_OK);
	g_assert_cmpmem(out->data, out->len, "S: two\n\nend\n", 12);

	/* Over the cap, past the end, or gone: errors, out untouched. */
	g_byte_array_set_size(out, 0);
	g_assert_cmpint(larch_raw_read(&src, 10, out, &error), ==,
	    LARCH_ERR_TOO_BIG);
	g_assert_nonnull(strstr(error, "over the limit"));
	g_clear_pointer(&error, g_free);
	src.length = 1000;
	g_assert_cmpint(larch_raw_read(&src, 0, out, &error), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(error);
	g_clear_pointer(&error, g_free);
	src.file = "/nonexistent/larch/raw";
	g_assert_cmpint(larch_raw_read(&src, 0, out, &error), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(strstr(error, "/nonexistent/larch/raw"));
	g_clear_pointer(&error, g_free);
	g_assert_cmpuint(out->len, ==, 0);

	/* A single-message file is sent whole. */
	src.file = plain;
	src.offset = 0;
	src.length = sizeof mbox - 1;
	src.format = LARCH_FORMAT_FILE;
	g_assert_cmpint(larch_raw_read(&src, 0, out, NULL), ==, LARCH_OK);
	g_assert_cmpmem(out->data, out->len, mbox, sizeof mbox - 1);

	g_byte_array_unref(out);
	g_unlink(plain);
	g_unlink(gz);
	g_free(plain);
	g_free(gz);
}

/* Whether a copy is the message: its own Message-ID field, in any case,
 * folded, with CR line ends, or that of a message it wraps; never an id
 * another header only names. */
static void
test_has_mid(void)
{
	static const struct {
		const char *data;
		const char *mid;
		bool want;
	} rows[] = {
		{ "From: a@x\nMessage-ID: <m1@X.org>\n\nhi\n", "m1@x.org", true },
		{ "message-id:\n <m1@x.org>\n\nhi\n", "m1@x.org", true },
		{ "From: a@x\rMESSAGE-ID: <m1@x.org>\r\rhi\r", "m1@x.org",
		    true },
		{ "From: list\n\nContent-Type: message/rfc822\n\n"
		    "Message-ID: <m1@x.org>\n\nwrapped\n", "m1@x.org", true },
		{ "Message-ID: <m2@x.org>\nIn-Reply-To: <m1@x.org>\n\n"
		    "References: <m1@x.org>\n", "m1@x.org", false },
		{ "Message-ID: <m1@x.org.other>\n\n", "m1@x.org", false },
		{ "", "m1@x.org", false },
		{ "no id here\n", NULL, true },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_test_message("row %zu", i);
		g_assert_cmpint(larch_raw_has_mid(rows[i].data,
		    strlen(rows[i].data), rows[i].mid), ==, rows[i].want);
	}
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("larch-raw-XXXXXX", NULL);
	g_assert_nonnull(tmpdir);
	g_test_add_func("/raw/unframe", test_unframe);
	g_test_add_func("/raw/unframe-binary", test_unframe_binary);
	g_test_add_func("/raw/read", test_read);
	g_test_add_func("/raw/has-mid", test_has_mid);
	rc = g_test_run();
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return rc;
}
