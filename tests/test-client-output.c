/*
 * Tests for the client's rendering (client/output.c): display widths of
 * wide and combining characters, cleaning of hostile text, fitting to a
 * width, row parsing, and the terminal and script forms (the terminal
 * rows' message-id lines included).  Owned by the
 * client's engineer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "output.h"

static void
test_char_width(void)
{
	g_assert_cmpint(larch_output_char_width('a'), ==, 1);
	g_assert_cmpint(larch_output_char_width(0x4f1a), ==, 2);  /* 会 */
	g_assert_cmpint(larch_output_char_width(0xff21), ==, 2);  /* Ａ */
	g_assert_cmpint(larch_output_char_width(0xac00), ==, 2);  /* 가 */
	g_assert_cmpint(larch_output_char_width(0x0301), ==, 0);
	g_assert_cmpint(larch_output_char_width(0x200b), ==, 0);
	g_assert_cmpint(larch_output_char_width(0x00e9), ==, 1);
}

static const struct {
	const char *in;
	size_t width;
} width_rows[] = {
	{ "", 0 },
	{ "abc", 3 },
	{ "会议", 4 },
	{ "e\xcc\x81t\xc3\xa9", 3 },		/* e + U+0301, t, é */
	{ "\xff", 1 },				/* invalid: one cell */
	{ "a\xe4\xbc", 3 },			/* truncated: a cell a byte */
};

static void
test_width(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(width_rows); i++)
		g_assert_cmpuint(larch_output_width(width_rows[i].in, -1), ==,
		    width_rows[i].width);
}

static const struct {
	const char *in;
	bool keep_tab;
	const char *out;
} clean_rows[] = {
	{ "plain", false, "plain" },
	{ "a\x1b[31mb", false, "a?[31mb" },
	{ "a\tb", false, "a b" },
	{ "a\tb", true, "a\tb" },
	{ "bell\x07\r\n", false, "bell???" },
	{ "nel\xc2\x85", false, "nel?" },			/* C1 */
	{ "del\x7f", false, "del?" },
	{ "bad\xff", false, "bad\xef\xbf\xbd" },
	{ "会议", false, "会议" },
	/* Bidi overrides and isolates go (RLO ... PDF, an open RLI); the
	 * marks Arabic text carries stay (RLM). */
	{ "Invoice \u202egpj.exe\u202c", false, "Invoice gpj.exe" },
	{ "a\u2067b", false, "ab" },
	{ "\u0645\u0631\u062d\u0628\u0627\u200f:", false,
	  "\u0645\u0631\u062d\u0628\u0627\u200f:" },
};

static void
test_clean(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(clean_rows); i++) {
		GString *s = g_string_new(NULL);

		larch_output_append_clean(s, clean_rows[i].in, -1,
		    clean_rows[i].keep_tab);
		g_assert_cmpstr(s->str, ==, clean_rows[i].out);
		g_string_free(s, TRUE);
	}
}

static const struct {
	const char *in;
	size_t width;
	bool pad;
	const char *out;
} fit_rows[] = {
	{ "hello", 10, true, "hello     " },
	{ "hello", 10, false, "hello" },
	{ "hello", 5, true, "hello" },
	{ "hello world", 5, false, "hell…" },
	{ "hello", 1, false, "…" },
	{ "hello", 0, true, "" },
	{ "会议纪要", 8, true, "会议纪要" },
	{ "会议纪要", 5, true, "会议…" },
	{ "会议纪要", 4, true, "会… " },	/* a half cell is padded */
	{ "会议纪要", 2, true, "… " },
	{ "e\xcc\x81t\xc3\xa9", 3, true, "e\xcc\x81t\xc3\xa9" },
	{ "a\x1b[2Jb", 3, false, "a?…" },
};

static void
test_fit(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(fit_rows); i++) {
		GString *s = g_string_new(NULL);
		const char *want = fit_rows[i].out;

		larch_output_append_fit(s, fit_rows[i].in, -1,
		    fit_rows[i].width, fit_rows[i].pad);
		g_assert_cmpstr(s->str, ==, want);
		if (fit_rows[i].pad)
			g_assert_cmpuint(larch_output_width(s->str, -1), ==,
			    fit_rows[i].width);
		else
			g_assert_cmpuint(larch_output_width(s->str, -1), <=,
			    fit_rows[i].width);
		g_string_free(s, TRUE);
	}
}

static void
test_date(void)
{
	static const char *rows[][2] = {
		{ "2019-05-02T10:11:12Z", "2019-05-02" },
		{ "2019-05-02", "2019-05-02" },
		{ "2019-5-2", "2019-5-2" },
		{ "yesterday", "yesterday" },
		{ "", "" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		GString *s = g_string_new(NULL);

		larch_output_append_date(s, rows[i][0]);
		g_assert_cmpstr(s->str, ==, rows[i][1]);
		g_string_free(s, TRUE);
	}
}

#define ROW "m@x\tt@x\t2019-05-02T10:11:12Z\tmag\tann@x\tAnn\tRe: BPF\tAgreed"

static void
test_row_parse(void)
{
	static const struct {
		const char *in;
		bool depth, ok;
	} rows[] = {
		{ ROW, false, true },
		{ ROW "\textra\tfields", false, true },
		{ "m@x\tt@x\t2019\tmag\tann@x\tAnn\tRe: BPF", false, false },
		{ "", false, false },
		{ "2\t" ROW, true, true },
		{ ROW, true, false },
		{ "x\t" ROW, true, false },
		{ "-1\t" ROW, true, false },
		{ "99999999999\t" ROW, true, false },
	};
	struct larch_row row;

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		bool ok = larch_row_parse(rows[i].in, strlen(rows[i].in),
		    rows[i].depth, &row);

		g_assert_cmpint(ok, ==, rows[i].ok);
		if (ok) {
			g_assert_cmpstr(row.mid, ==, "m@x");
			g_assert_cmpstr(row.summary, ==, "Agreed");
			g_assert_cmpint(row.depth, ==, rows[i].depth ? 2 : -1);
			larch_row_release(&row);
		}
	}
}

/* Renders with f, returns what was written (caller g_free()s). */
static char *
render(bool tty, size_t width, void (*f)(struct larch_output *o))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct larch_output o;

	larch_output_init(&o, fp, tty, width);
	f(&o);
	larch_output_release(&o);
	fclose(fp);
	return buf;
}

static void
rows_of(struct larch_output *o)
{
	static const char *lines[] = {
		ROW,
		"m2@x\tt@x\t2019-05-03T00:00:00Z\tmag\twang@x\t王小明\t"
		"会议纪要：最佳实践论坛的讨论结果与下一步计划安排\t"
		"我们同意这个草案，请大家在下周之前提交意见。",
		"m3@x\tt@x\t2019-05-04T00:00:00Z\tbpf\tbob@x\t\t"
		"\x1b]0;owned\x07 title\tsummary",
	};

	larch_output_search_header(o, 137, true, 3, 0, false);
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
		struct larch_row row;

		g_assert_true(larch_row_parse(lines[i], strlen(lines[i]), false,
		    &row));
		larch_output_row(o, &row);
		larch_row_release(&row);
	}
}

static void
headers_of(struct larch_output *o)
{
	larch_output_search_header(o, 137, true, 137, 0, false);
	larch_output_search_header(o, 200, false, 3, 0, true);
	larch_output_search_header(o, 70, false, 3, 13, true);
	larch_output_search_header(o, 2, false, 2, 0, false);
	larch_output_search_header(o, 5, true, 0, 10, false);
	larch_output_search_header(o, 0, true, 0, 0, true);
}

/* A total that is an estimate says so, and how to get it exact. */
static void
test_search_header(void)
{
	char *out = render(true, 80, headers_of);

	g_assert_cmpstr(out, ==,
	    "137 results\n"
	    "about 200 threads, showing 1-3 (--exact counts them all)\n"
	    "about 70 threads, showing 14-16 (--exact counts them all)\n"
	    "about 2 results, showing 1-2 (--exact counts them all)\n"
	    "5 results, none from 11\n"
	    "no threads\n");
	g_free(out);
	out = render(false, 80, headers_of);
	g_assert_cmpstr(out, ==, "");	/* scripts get rows only */
	g_free(out);
}

static void
test_rows_script(void)
{
	char *out = render(false, 80, rows_of);
	char **lines = g_strsplit(out, "\n", -1);

	g_assert_cmpuint(g_strv_length(lines), ==, 4);	/* 3 and "" */
	g_assert_cmpstr(lines[0], ==,
	    "2019-05-02\tAnn\tRe: BPF\tAgreed\tm@x\tt@x");
	/* No address name: the address; control bytes never pass. */
	g_assert_true(g_str_has_prefix(lines[2], "2019-05-04\tbob@x\t?]0;"));
	g_assert_null(strchr(out, '\x1b'));
	g_assert_null(strchr(out, '\x07'));
	g_strfreev(lines);
	g_free(out);
}

static void
test_rows_terminal(void)
{
	static const size_t widths[] = { 20, 40, 60, 80, 132, 200 };

	for (size_t w = 0; w < G_N_ELEMENTS(widths); w++) {
		char *out = render(true, widths[w], rows_of);
		char **lines = g_strsplit(out, "\n", -1);

		g_assert_cmpstr(lines[0], ==, "137 results, showing 1-3");
		for (guint i = 1; lines[i] != NULL; i++) {
			g_assert_cmpuint(larch_output_width(lines[i], -1), <=,
			    widths[w]);
			g_assert_true(g_utf8_validate(lines[i], -1, NULL));
		}
		g_assert_true(g_str_has_prefix(lines[1], "2019-05-02  Ann"));
		/* Under each row, its message-id whole, under the subject. */
		g_assert_cmpstr(g_strchug(lines[2]), ==, "m@x");
		g_assert_cmpstr(g_strchug(lines[4]), ==, "m2@x");
		g_assert_cmpstr(g_strchug(lines[6]), ==, "m3@x");
		g_assert_cmpstr(lines[7], ==, "");
		g_assert_null(strchr(out, '\x1b'));
		g_assert_null(strchr(out, '\t'));
		g_strfreev(lines);
		g_free(out);
	}
}

/* Renders one SEARCH row with the message-id mid on a terminal. */
static char *
render_mid(size_t width, const char *mid)
{
	char *buf = NULL, *line = g_strdup_printf("%s\tt@x\t2019-05-02\tmag\t"
	    "ann@x\tAnn\tRe: BPF\tAgreed", mid);
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct larch_output o;
	struct larch_row row;

	larch_output_init(&o, fp, true, width);
	g_assert_true(larch_row_parse(line, strlen(line), false, &row));
	larch_output_row(&o, &row);
	larch_row_release(&row);
	larch_output_release(&o);
	fclose(fp);
	g_free(line);
	return buf;
}

/*
 * The id line of a terminal row: the id is never cut, only moved left
 * (or wrapped by the terminal when wider than it), and quoted for the
 * shell when pasting it bare would not give larch the same word.
 */
static void
test_row_id(void)
{
	static const char gmail[] = "CAHk-=wgQx7a1mFh0o3ZkR2pQ9c8yYzLq4VvE5s"
	    "TnXw6uJ3bA@mail.gmail.com";	/* 64 characters */
	static const struct {
		size_t width;
		const char *mid, *line;
	} rows[] = {
		/* 80 columns: the subject starts after 10+2+13+2 cells. */
		{ 80, "m@x", "                           m@x" },
		{ 80, "a.b-c_d+e=f%g,h:i/j@x", "                           "
		    "a.b-c_d+e=f%g,h:i/j@x" },
		{ 80, "ünï@x", "                           ünï@x" },
		{ 80, "a$b@x", "                           'a$b@x'" },
		{ 80, "it's@x", "                           'it'\\''s@x'" },
		{ 80, "=a@x", "                           '=a@x'" },
		{ 80, "a~b@x", "                           'a~b@x'" },
		{ 80, "a*b?[c]{d}@x", "                           "
		    "'a*b?[c]{d}@x'" },
		{ 80, "a!b#c^d@x", "                           'a!b#c^d@x'" },
		{ 80, "a b&c;d|e<f>g@x", "                           "
		    "'a b&c;d|e<f>g@x'" },
		/* Control bytes from the server are shown as '?'. */
		{ 80, "a\x1b[2J@x", "                           'a?[2J@x'" },
		/* Moved left as far as it must, to end at the edge. */
		{ 80, gmail, "                " "CAHk-=wgQx7a1mFh0o3ZkR2pQ9c8y"
		    "YzLq4VvE5sTnXw6uJ3bA@mail.gmail.com" },
		{ 64, gmail, gmail },
		/* Wider than the terminal: whole, for it to wrap. */
		{ 40, gmail, gmail },
		{ 20, "m@x", "                 m@x" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *out = render_mid(rows[i].width, rows[i].mid);
		char **lines = g_strsplit(out, "\n", -1);

		g_assert_cmpuint(g_strv_length(lines), ==, 3);
		g_assert_cmpstr(lines[1], ==, rows[i].line);
		g_assert_cmpuint(larch_output_width(lines[0], -1), <=,
		    rows[i].width);
		g_strfreev(lines);
		g_free(out);
	}
}

/* What the shell makes of an id line is the message-id again. */
static void
test_row_id_shell(void)
{
	static const char *mids[] = { "plain@x", "it's$HOME&(x)*@x",
	    "=a~b!c#d@x", "back\\slash\"quote`tick`@x", "ünï@x" };

	for (size_t i = 0; i < G_N_ELEMENTS(mids); i++) {
		char *out = render_mid(80, mids[i]);
		char **lines = g_strsplit(out, "\n", -1);
		int argc;
		char **argv = NULL;

		g_assert_true(g_shell_parse_argv(lines[1], &argc, &argv,
		    NULL));
		g_assert_cmpint(argc, ==, 1);
		g_assert_cmpstr(argv[0], ==, mids[i]);
		g_strfreev(argv);
		g_strfreev(lines);
		g_free(out);
	}
}

static void
thread_of(struct larch_output *o)
{
	static const char *lines[] = { "0\t" ROW, "1\t" ROW, "30\t" ROW };

	larch_output_thread_header(o, 3);
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
		struct larch_row row;

		g_assert_true(larch_row_parse(lines[i], strlen(lines[i]), true,
		    &row));
		larch_output_row(o, &row);
		larch_row_release(&row);
	}
}

static void
test_thread(void)
{
	char *out = render(true, 100, thread_of);
	char **lines = g_strsplit(out, "\n", -1);
	const char *s0, *s1, *s2;

	g_assert_cmpstr(lines[0], ==, "thread of 3 messages");
	s0 = strstr(lines[1], "Re: BPF");
	s1 = strstr(lines[3], "Re: BPF");
	s2 = strstr(lines[5], "Re: BPF");
	g_assert_nonnull(s0);
	/* Replies are indented by depth, deep ones only so far. */
	g_assert_cmpint(s1 - lines[3], ==, s0 - lines[1] + 2);
	g_assert_cmpint(s2 - lines[5], <=, s0 - lines[1] + 24);
	/* Each id is under its subject, so the tree shows in them too. */
	g_assert_cmpint(strstr(lines[2], "m@x") - lines[2], ==, s0 - lines[1]);
	g_assert_cmpint(strstr(lines[4], "m@x") - lines[4], ==, s1 - lines[3]);
	g_assert_cmpint(strstr(lines[6], "m@x") - lines[6], ==, s2 - lines[5]);
	g_strfreev(lines);
	g_free(out);

	out = render(false, 100, thread_of);
	g_assert_true(g_str_has_prefix(out, "0\t2019-05-02\tAnn\t"));
	g_assert_nonnull(strstr(out, "\n30\t2019-05-02\t"));
	g_free(out);
}

static void
tables_of(struct larch_output *o)
{
	static const char *lists[] = {
		"mag\t120\t40\t2016-01-04T10:00:00Z\t2019-05-04T00:00:00Z",
		"bpf-long-name\t8\t3\t2017-02-01T00:00:00Z\t"
		"2018-12-24T00:00:00Z",
	};
	static const char *stats[] = { "messages 128", "first_date  2016",
	    "lists" };

	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++)
		larch_output_lists_row(o, lists[i], strlen(lists[i]));
	larch_output_lists_flush(o);
	for (size_t i = 0; i < G_N_ELEMENTS(stats); i++)
		larch_output_stats_line(o, stats[i], strlen(stats[i]));
	larch_output_stats_flush(o);
}

static void
test_tables(void)
{
	char *out = render(true, 80, tables_of);

	g_assert_cmpstr(out, ==,
	    "LIST           MESSAGES  THREADS  FIRST       LAST\n"
	    "mag                 120       40  2016-01-04  2019-05-04\n"
	    "bpf-long-name         8        3  2017-02-01  2018-12-24\n"
	    "messages     128\n"
	    "first_date  2016\n"
	    "lists\n");
	g_free(out);
	out = render(false, 80, tables_of);
	g_assert_cmpstr(out, ==,
	    "mag\t120\t40\t2016-01-04\t2019-05-04\n"
	    "bpf-long-name\t8\t3\t2017-02-01\t2018-12-24\n"
	    "messages\t128\n"
	    "first_date\t2016\n"
	    "lists\n");
	g_free(out);
}

static void
text_of(struct larch_output *o)
{
	larch_output_text(o, "Subject: \x1b[2Jhi", 15);
	larch_output_text(o, "\tindented", 9);
	larch_output_text(o, "nul\0byte", 8);
}

static void
test_text(void)
{
	char *out = render(true, 80, text_of);

	/* NUL is not valid text: U+FFFD, like any invalid byte. */
	g_assert_cmpstr(out, ==,
	    "Subject: ?[2Jhi\n\tindented\nnul\xef\xbf\xbd" "byte\n");
	g_free(out);
}

/* RAW on a terminal, in pieces: each piece, its bytes and how many. */
static char *
raw_clean(const char *const *pieces, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	bool c2 = false;

	for (const char *const *p = pieces; *p != NULL; p++)
		larch_output_raw_clean(f, *p, strlen(*p), &c2);
	larch_output_raw_clean(f, NULL, 0, &c2);
	fclose(f);
	return buf;
}

static void
test_raw_clean(void)
{
	static const struct {
		const char *pieces[4];
		const char *want;
	} rows[] = {
		/* Latin-1 and UTF-8 bytes and TABs stay as they are. */
		{ { "caf\xe9\tcaf\xc3\xa9 \xc2\xa0", NULL },
		  "caf\xe9\tcaf\xc3\xa9 \xc2\xa0" },
		/* ESC, BEL, a bare CR, DEL: each a '?'. */
		{ { "\x1b]0;owned\x07 a\rb\x7f", NULL },
		  "?]0;owned? a?b?" },
		/* CSI written as UTF-8's C1 (U+009B) is one '?'... */
		{ { "x\xc2\x9b" "31m", NULL }, "x?31m" },
		/* ...also when a piece ends between its two bytes... */
		{ { "x\xc2", "\x9b" "2J", NULL }, "x?2J" },
		/* ...and a 0xc2 that ends a piece of another character or
		 * the message is kept. */
		{ { "x\xc2", "\xa9y", NULL }, "x\xc2\xa9y" },
		{ { "end\xc2", NULL }, "end\xc2" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		size_t len;
		char *got = raw_clean(rows[i].pieces, &len);

		g_assert_cmpmem(got, len, rows[i].want, strlen(rows[i].want));
		free(got);
	}
}

static void
test_terminal_width(void)
{
	FILE *f = fopen("/dev/null", "w");
	int fd = fileno(f);

	g_unsetenv("COLUMNS");
	g_assert_cmpuint(larch_output_terminal_width(fd), ==, 80);
	g_setenv("COLUMNS", "132", TRUE);
	g_assert_cmpuint(larch_output_terminal_width(fd), ==, 132);
	g_setenv("COLUMNS", "5", TRUE);
	g_assert_cmpuint(larch_output_terminal_width(fd), ==, 20);
	g_setenv("COLUMNS", "99999", TRUE);
	g_assert_cmpuint(larch_output_terminal_width(fd), ==, 1000);
	g_setenv("COLUMNS", "wide", TRUE);
	g_assert_cmpuint(larch_output_terminal_width(fd), ==, 80);
	g_unsetenv("COLUMNS");
	fclose(f);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/client-output/char-width", test_char_width);
	g_test_add_func("/client-output/width", test_width);
	g_test_add_func("/client-output/clean", test_clean);
	g_test_add_func("/client-output/fit", test_fit);
	g_test_add_func("/client-output/date", test_date);
	g_test_add_func("/client-output/row-parse", test_row_parse);
	g_test_add_func("/client-output/search-header", test_search_header);
	g_test_add_func("/client-output/rows-script", test_rows_script);
	g_test_add_func("/client-output/rows-terminal", test_rows_terminal);
	g_test_add_func("/client-output/row-id", test_row_id);
	g_test_add_func("/client-output/row-id-shell", test_row_id_shell);
	g_test_add_func("/client-output/thread", test_thread);
	g_test_add_func("/client-output/tables", test_tables);
	g_test_add_func("/client-output/text", test_text);
	g_test_add_func("/client-output/raw-clean", test_raw_clean);
	g_test_add_func("/client-output/terminal-width", test_terminal_width);
	return g_test_run();
}
