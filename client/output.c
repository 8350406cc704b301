/*
 * Rendering larchd's text replies: display widths, cleaning of untrusted
 * text, and the row, text and table forms.  Owned by the client; see
 * output.h for the two forms (terminal and scripts).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "output.h"

#define DATE_W		10	/* YYYY-MM-DD */
#define GAP		"  "	/* between terminal columns */
#define GAP_W		2
#define INDENT_MAX	12	/* deeper replies are indented no further */
#define TABLE_BATCH	4096	/* table rows aligned together at most */

enum table_kind { TABLE_NONE, TABLE_LISTS, TABLE_STATS };

/* Splits the terminal width between author, subject and summary. */
static void
layout(struct larch_output *o)
{
	size_t rest;

	o->author_w = CLAMP(o->width / 6, 8, 22);
	rest = o->width > DATE_W + GAP_W + o->author_w + GAP_W ?
	    o->width - (DATE_W + GAP_W + o->author_w + GAP_W) : 1;
	o->subject_w = rest;
	o->summary_w = 0;
	/* The summary gets a column only where it can say something. */
	if (rest >= 40) {
		o->subject_w = CLAMP(rest * 55 / 100, 20, 70);
		o->summary_w = rest - o->subject_w - GAP_W;
	}
}

void
larch_output_init(struct larch_output *o, FILE *out, bool tty, size_t width)
{
	memset(o, 0, sizeof(*o));
	o->out = out;
	o->tty = tty;
	o->width = width;
	o->table = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	o->scratch = g_string_new(NULL);
	layout(o);
}

void
larch_output_release(struct larch_output *o)
{
	if (o == NULL || o->table == NULL)
		return;
	g_ptr_array_free(o->table, TRUE);
	g_string_free(o->scratch, TRUE);
	o->table = NULL;
	o->scratch = NULL;
}

size_t
larch_output_terminal_width(int fd)
{
	struct winsize ws;
	const char *env;
	size_t width = 80;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		width = ws.ws_col;
	} else if ((env = getenv("COLUMNS")) != NULL) {
		char *end;
		unsigned long v = strtoul(env, &end, 10);

		if (*end == '\0' && v > 0)
			width = v;
	}
	return CLAMP(width, 20, 1000);
}

int
larch_output_char_width(gunichar c)
{
	if (g_unichar_iszerowidth(c))
		return 0;
	if (g_unichar_iswide(c))
		return 2;
	return 1;
}

size_t
larch_output_width(const char *s, gssize len)
{
	const char *p = s, *end = s + (len < 0 ? (gssize)strlen(s) : len);
	size_t w = 0;

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			w++;
			p++;
			continue;
		}
		w += (size_t)larch_output_char_width(c);
		p = g_utf8_next_char(p);
	}
	return w;
}

static bool
is_control(gunichar c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

/*
 * The bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069): in a terminal that orders text by direction, an
 * override turns "Invoice <RLO>gpj.exe" into "Invoice exe.jpg", and one
 * left open reorders the columns after it.  They are dropped.  The marks
 * (U+200E, U+200F, U+061C), which only set the direction of the text
 * around them and which mail clients write into Arabic and Hebrew lines,
 * stay.
 */
static bool
is_bidi_control(gunichar c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void
larch_output_append_clean(GString *dst, const char *s, gssize len,
    bool keep_tab)
{
	char *valid = g_utf8_make_valid(s, len);

	for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '\t' && keep_tab)
			g_string_append_c(dst, '\t');
		else if (c == '\t')
			g_string_append_c(dst, ' ');
		else if (is_control(c))
			g_string_append_c(dst, '?');
		else if (is_bidi_control(c))
			continue;
		else
			g_string_append_len(dst, p, g_utf8_next_char(p) - p);
	}
	g_free(valid);
}

void
larch_output_raw_clean(FILE *out, const char *data, size_t len, bool *c2)
{
	const unsigned char *p = (const unsigned char *)data;

	if (len == 0 && *c2) {
		fputc(0xc2, out);
		*c2 = false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (*c2) {
			*c2 = false;
			if (c >= 0x80 && c <= 0x9f) {
				fputc('?', out);
				continue;
			}
			fputc(0xc2, out);
		}
		if (c == 0xc2)
			*c2 = true;
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			fputc('?', out);
		else
			fputc(c, out);
	}
}

static void
pad_to(GString *dst, size_t used, size_t width)
{
	for (; used < width; used++)
		g_string_append_c(dst, ' ');
}

void
larch_output_append_fit(GString *dst, const char *s, gssize len,
    size_t width, bool pad)
{
	GString *clean = g_string_new(NULL);
	size_t total, used = 0;

	larch_output_append_clean(clean, s, len, false);
	total = larch_output_width(clean->str, (gssize)clean->len);
	if (total <= width) {
		g_string_append_len(dst, clean->str, (gssize)clean->len);
		used = total;
	} else if (width > 0) {
		/* Keep whole characters in width - 1 cells, then the
		 * ellipsis; a wide character that would straddle the edge is
		 * left out and its cell padded. */
		for (const char *p = clean->str; *p != '\0';
		    p = g_utf8_next_char(p)) {
			int w = larch_output_char_width(g_utf8_get_char(p));

			if (used + (size_t)w > width - 1)
				break;
			g_string_append_len(dst, p, g_utf8_next_char(p) - p);
			used += (size_t)w;
		}
		g_string_append(dst, "…");
		used++;
	}
	if (pad)
		pad_to(dst, used, width);
	g_string_free(clean, TRUE);
}

void
larch_output_append_date(GString *dst, const char *date)
{
	bool iso = strlen(date) >= DATE_W;

	for (int i = 0; iso && i < DATE_W; i++)
		iso = i == 4 || i == 7 ? date[i] == '-' :
		    g_ascii_isdigit(date[i]);
	if (iso)
		g_string_append_len(dst, date, DATE_W);
	else
		g_string_append(dst, date);
}

bool
larch_row_parse(const char *line, size_t len, bool with_depth,
    struct larch_row *row)
{
	char *copy = g_strndup(line, len);
	char **f = g_strsplit(copy, "\t", 0);
	guint n = g_strv_length(f), i = 0;

	g_free(copy);
	memset(row, 0, sizeof(*row));
	row->depth = -1;
	if (n < (with_depth ? 9u : 8u))
		goto bad;
	if (with_depth) {
		char *end;
		unsigned long d;

		if (!g_ascii_isdigit(f[0][0]))
			goto bad;
		d = strtoul(f[0], &end, 10);
		if (*end != '\0' || d > G_MAXINT)
			goto bad;
		row->depth = (int)d;
		i = 1;
	}
	row->mid = f[i++];
	row->thread = f[i++];
	row->date = f[i++];
	row->list = f[i++];
	row->from = f[i++];
	row->from_name = f[i++];
	row->subject = f[i++];
	row->summary = f[i];
	row->fields_ = f;
	return true;
bad:
	g_strfreev(f);
	row->depth = -1;
	return false;
}

void
larch_row_release(struct larch_row *row)
{
	if (row == NULL)
		return;
	g_strfreev(row->fields_);
	memset(row, 0, sizeof(*row));
	row->depth = -1;
}

/* Writes dst as one line and empties it. */
static void
put_line(struct larch_output *o, GString *line)
{
	g_string_append_c(line, '\n');
	fwrite(line->str, 1, line->len, o->out);
	g_string_truncate(line, 0);
}

void
larch_output_search_header(struct larch_output *o, guint64 total,
    bool total_exact, guint64 returned, guint64 offset, bool threads)
{
	const char *what = threads ? "thread" : "result";

	if (!o->tty)
		return;
	if (total == 0) {
		fprintf(o->out, "no %ss\n", what);
		return;
	}
	/* An estimate says so: a reader takes "200 threads" for a fact,
	 * and Xapian's estimate of threads can be off either way. */
	fprintf(o->out, "%s%" G_GUINT64_FORMAT " %s%s",
	    total_exact ? "" : "about ", total, what, total == 1 ? "" : "s");
	if (returned == 0)
		fprintf(o->out, ", none from %" G_GUINT64_FORMAT,
		    offset + 1);
	else if (returned < total || !total_exact)
		fprintf(o->out, ", showing %" G_GUINT64_FORMAT "-%"
		    G_GUINT64_FORMAT, offset + 1, offset + returned);
	fputs(total_exact ? "\n" : " (--exact counts them all)\n", o->out);
}

void
larch_output_thread_header(struct larch_output *o, guint64 messages)
{
	if (o->tty)
		fprintf(o->out, "thread of %" G_GUINT64_FORMAT " message%s\n",
		    messages, messages == 1 ? "" : "s");
}

/* The author as people know them: the display name, else the address. */
static const char *
author(const struct larch_row *row)
{
	return row->from_name[0] != '\0' ? row->from_name : row->from;
}

/*
 * Whether sh, bash and zsh all take s as one literal word, so it can be
 * pasted unquoted.  '=' expands only at the start of a word (zsh), '~'
 * anywhere in zsh's extended globs; bytes above ASCII are letters to
 * every shell.
 */
static bool
is_shell_word(const char *s)
{
	if (*s == '\0' || *s == '=')
		return false;
	for (; *s != '\0'; s++)
		if (!g_ascii_isalnum(*s) && (unsigned char)*s < 0x80 &&
		    strchr("@%+,-./:=_", *s) == NULL)
			return false;
	return true;
}

/*
 * The line under a terminal row: the row's message-id, as a shell word
 * to paste after "larch show" (or thread, raw, summary).  It is never
 * cut, since a cut id names no message: it starts under the subject
 * (indent), moves left as far as it must to fit, and only an id wider
 * than the terminal itself is left for the terminal to wrap.
 */
static void
id_line(struct larch_output *o, const struct larch_row *row, size_t indent)
{
	GString *line = o->scratch, *id = g_string_new(NULL);
	size_t w;

	larch_output_append_clean(id, row->mid, -1, false);
	if (!is_shell_word(id->str)) {
		char *quoted = g_shell_quote(id->str);

		g_string_assign(id, quoted);
		g_free(quoted);
	}
	w = larch_output_width(id->str, (gssize)id->len);
	if (w > o->width)
		indent = 0;
	else if (indent + w > o->width)
		indent = o->width - w;
	pad_to(line, 0, indent);
	g_string_append_len(line, id->str, (gssize)id->len);
	put_line(o, line);
	g_string_free(id, TRUE);
}

static void
row_tty(struct larch_output *o, const struct larch_row *row)
{
	GString *line = o->scratch, *subject = g_string_new(NULL);
	GString *date = g_string_new(NULL);
	size_t indent = 0;

	larch_output_append_date(date, row->date);
	larch_output_append_fit(line, date->str, (gssize)date->len, DATE_W,
	    true);
	g_string_append(line, GAP);
	larch_output_append_fit(line, author(row), -1, o->author_w, true);
	g_string_append(line, GAP);
	if (row->depth > 0)
		indent = 2 * (size_t)MIN(row->depth, INDENT_MAX);
	pad_to(subject, 0, indent);
	g_string_append(subject, row->subject);
	larch_output_append_fit(line, subject->str, (gssize)subject->len,
	    o->subject_w, o->summary_w > 0);
	if (o->summary_w > 0) {
		g_string_append(line, GAP);
		larch_output_append_fit(line, row->summary, -1, o->summary_w,
		    false);
	}
	/* Trailing blanks of a short last column are noise. */
	while (line->len > 0 && line->str[line->len - 1] == ' ')
		g_string_truncate(line, line->len - 1);
	/* On a very narrow terminal even the fixed columns do not fit. */
	if (larch_output_width(line->str, (gssize)line->len) > o->width) {
		char *whole = g_strdup(line->str);

		g_string_truncate(line, 0);
		larch_output_append_fit(line, whole, -1, o->width, false);
		g_free(whole);
	}
	put_line(o, line);
	id_line(o, row, DATE_W + GAP_W + o->author_w + GAP_W + indent);
	g_string_free(subject, TRUE);
	g_string_free(date, TRUE);
}

static void
append_field(GString *line, const char *field, bool tab)
{
	larch_output_append_clean(line, field, -1, false);
	if (tab)
		g_string_append_c(line, '\t');
}

void
larch_output_row(struct larch_output *o, const struct larch_row *row)
{
	GString *line = o->scratch;

	if (o->tty) {
		row_tty(o, row);
		return;
	}
	if (row->depth >= 0)
		g_string_append_printf(line, "%d\t", row->depth);
	larch_output_append_date(line, row->date);
	g_string_append_c(line, '\t');
	append_field(line, author(row), true);
	append_field(line, row->subject, true);
	append_field(line, row->summary, true);
	append_field(line, row->mid, true);
	append_field(line, row->thread, false);
	put_line(o, line);
}

void
larch_output_text(struct larch_output *o, const char *line, size_t len)
{
	if (!o->tty) {
		fwrite(line, 1, len, o->out);
		fputc('\n', o->out);
		return;
	}
	larch_output_append_clean(o->scratch, line, (gssize)len, true);
	put_line(o, o->scratch);
}

/* Splits a table line at TABs, or at blank runs when it has none. */
static char **
split_fields(const char *line, size_t len, int max_fields)
{
	GString *clean = g_string_new(NULL);
	char **f;

	larch_output_append_clean(clean, line, (gssize)len, true);
	if (strchr(clean->str, '\t') != NULL) {
		f = g_strsplit(clean->str, "\t", max_fields);
	} else {
		/* Collapse blank runs first so no field is empty. */
		char **words = g_strsplit(g_strstrip(clean->str), " ", -1);
		GPtrArray *kept = g_ptr_array_new();
		GString *last = NULL;

		for (char **w = words; *w != NULL; w++) {
			if (**w == '\0')
				continue;
			if (max_fields > 0 && (int)kept->len ==
			    max_fields - 1) {
				/* The last field keeps its blanks. */
				if (last == NULL)
					last = g_string_new(*w);
				else
					g_string_append_printf(last, " %s",
					    *w);
				continue;
			}
			g_ptr_array_add(kept, g_strdup(*w));
		}
		if (last != NULL)
			g_ptr_array_add(kept, g_string_free(last, FALSE));
		g_ptr_array_add(kept, NULL);
		f = (char **)g_ptr_array_free(kept, FALSE);
		g_strfreev(words);
	}
	g_string_free(clean, TRUE);
	return f;
}

static bool
is_number(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!g_ascii_isdigit(*s) && *s != '.')
			return false;
	return true;
}

/* Writes the kept table rows with every column as wide as its widest
 * cell; columns of numbers are right-aligned. */
static void
table_flush(struct larch_output *o)
{
	size_t widths[16] = { 0 };
	bool numeric[16];
	GString *line = o->scratch;

	for (guint c = 0; c < G_N_ELEMENTS(numeric); c++)
		numeric[c] = true;
	for (guint r = 0; r < o->table->len; r++) {
		char **f = g_ptr_array_index(o->table, r);

		for (guint c = 0; f[c] != NULL && c < G_N_ELEMENTS(widths);
		    c++) {
			widths[c] = MAX(widths[c], larch_output_width(f[c],
			    -1));
			/* The header row of LISTS does not count. */
			if (!(r == 0 && o->table_kind == TABLE_LISTS &&
			    !o->table_header_done) && !is_number(f[c]))
				numeric[c] = false;
		}
	}
	for (guint r = 0; r < o->table->len; r++) {
		char **f = g_ptr_array_index(o->table, r);

		for (guint c = 0; f[c] != NULL; c++) {
			size_t w = larch_output_width(f[c], -1);
			bool last = f[c + 1] == NULL;

			if (c > 0)
				g_string_append(line, GAP);
			if (c >= G_N_ELEMENTS(widths)) {
				g_string_append(line, f[c]);
				continue;
			}
			if (numeric[c])
				pad_to(line, w, widths[c]);
			g_string_append(line, f[c]);
			if (!numeric[c] && !last)
				pad_to(line, w, widths[c]);
		}
		put_line(o, line);
	}
	g_ptr_array_set_size(o->table, 0);
	o->table_header_done = true;
}

static void
table_add(struct larch_output *o, enum table_kind kind, char **fields)
{
	if (o->table_kind != (int)kind) {
		o->table_kind = (int)kind;
		o->table_header_done = false;
	}
	g_ptr_array_add(o->table, fields);
	if (o->table->len >= TABLE_BATCH)
		table_flush(o);
}

void
larch_output_lists_row(struct larch_output *o, const char *line, size_t len)
{
	char **f = split_fields(line, len, 5);

	/* Dates are shown as days in both forms, like SEARCH rows. */
	for (guint c = 3; c < 5 && c < g_strv_length(f); c++) {
		GString *d = g_string_new(NULL);

		larch_output_append_date(d, f[c]);
		g_free(f[c]);
		f[c] = g_string_free(d, FALSE);
	}
	if (!o->tty) {
		char *joined = g_strjoinv("\t", f);

		fprintf(o->out, "%s\n", joined);
		g_free(joined);
		g_strfreev(f);
		return;
	}
	if (o->table->len == 0 && (o->table_kind != TABLE_LISTS ||
	    !o->table_header_done)) {
		const char *head[] = { "LIST", "MESSAGES", "THREADS", "FIRST",
		    "LAST", NULL };

		table_add(o, TABLE_LISTS, g_strdupv((char **)head));
	}
	table_add(o, TABLE_LISTS, f);
}

void
larch_output_stats_line(struct larch_output *o, const char *line,
    size_t len)
{
	char **f = split_fields(line, len, 2);

	if (!o->tty) {
		char *joined = g_strjoinv("\t", f);

		fprintf(o->out, "%s\n", joined);
		g_free(joined);
		g_strfreev(f);
		return;
	}
	table_add(o, TABLE_STATS, f);
}

void
larch_output_lists_flush(struct larch_output *o)
{
	if (o->table->len > 0)
		table_flush(o);
}

void
larch_output_stats_flush(struct larch_output *o)
{
	if (o->table->len > 0)
		table_flush(o);
}
