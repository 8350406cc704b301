/*
 * Rendering larchd's text replies for the client.  Owned by the client.
 *
 * Two forms, chosen by whether stdout is a terminal:
 * - terminal: aligned columns cut to the terminal's width, counted in
 *   display cells (a CJK character takes two, a combining mark none), and
 *   every control character from the server replaced, so a hostile
 *   subject cannot send escape sequences to the terminal (nor a RAW
 *   message, whose other bytes are kept); under each
 *   SEARCH and THREAD row, its message-id whole on a line of its own,
 *   quoted for the shell where it must be, to paste after "larch show";
 * - otherwise: the same columns, TAB-separated, uncut, one row per line,
 *   with the message-id and thread id appended, for scripts.
 */
#ifndef LARCH_CLIENT_OUTPUT_H
#define LARCH_CLIENT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <glib.h>

/* An embedded value: larch_output_init() / larch_output_release(). */
struct larch_output {
	FILE *out;		/* not owned */
	bool tty;		/* terminal form */
	size_t width;		/* terminal columns */
	size_t author_w, subject_w, summary_w;	/* row layout, terminal */
	GPtrArray *table;	/* char ** rows kept to align (LISTS, STATS) */
	int table_kind;		/* which command's rows the table holds */
	bool table_header_done;	/* its header row is written */
	GString *scratch;
};

void larch_output_init(struct larch_output *o, FILE *out, bool tty,
    size_t width);
void larch_output_release(struct larch_output *o);

/*
 * The width of the terminal on fd (TIOCGWINSZ), else $COLUMNS, else 80;
 * kept within 20..1000.
 */
size_t larch_output_terminal_width(int fd);

/* Display cells of one character: 0, 1 or 2. */
int larch_output_char_width(gunichar c);

/* Display cells of UTF-8 text (invalid bytes count one cell each). */
size_t larch_output_width(const char *s, gssize len);

/*
 * Appends s (len bytes, or -1 for a C string) to dst as valid UTF-8 with
 * every control character (C0, DEL, C1) replaced by '?', TAB too unless
 * keep_tab, and the bidi embeddings, overrides and isolates left out.
 * Invalid UTF-8 becomes U+FFFD.
 */
void larch_output_append_clean(GString *dst, const char *s, gssize len,
    bool keep_tab);

/*
 * Writes len bytes of a RAW message to a terminal: every byte as it is
 * (whatever its charset) except those that would drive the terminal,
 * each shown as '?': C0 controls but TAB, DEL, and C1 controls as UTF-8
 * writes them (0xc2 0x80..0x9f).  *c2 carries a 0xc2 that ended the
 * previous piece, whose next byte decides; false at the start, and
 * flushed with len 0 at the end of the message.
 */
void larch_output_raw_clean(FILE *out, const char *data, size_t len,
    bool *c2);

/*
 * Appends s cleaned and cut to at most width display cells, ending a cut
 * text with "…"; with pad, spaces fill it up to exactly width cells.
 */
void larch_output_append_fit(GString *dst, const char *s, gssize len,
    size_t width, bool pad);

/*
 * A SEARCH or THREAD row (docs/protocol.md section 5), split.  The field
 * pointers belong to the row until larch_row_release().
 */
struct larch_row {
	int depth;		/* THREAD rows; -1 for SEARCH rows */
	const char *mid, *thread, *date, *list, *from, *from_name, *subject,
	    *summary;
	char **fields_;		/* private: the split line */
};

/*
 * Splits a text row of len bytes (THREAD rows when with_depth).  Fields
 * after the documented ones are ignored, as newer servers may add some.
 * Returns false, with nothing to release, when fields are missing or the
 * depth is not a number.
 */
bool larch_row_parse(const char *line, size_t len, bool with_depth,
    struct larch_row *row);
void larch_row_release(struct larch_row *row);

/* "YYYY-MM-DD" of an ISO 8601 date; anything else is returned whole. */
void larch_output_append_date(GString *dst, const char *date);

/* Terminal only: the line above SEARCH and THREAD rows. */
void larch_output_search_header(struct larch_output *o, guint64 total,
    bool total_exact, guint64 returned, guint64 offset, bool threads);
void larch_output_thread_header(struct larch_output *o, guint64 messages);

/*
 * One SEARCH or THREAD row (indented by its depth on a terminal, and
 * followed there by its message-id line).
 */
void larch_output_row(struct larch_output *o, const struct larch_row *row);

/*
 * One line of a text block (SHOW, SUMMARY): cleaned on a terminal,
 * written as is otherwise.
 */
void larch_output_text(struct larch_output *o, const char *line, size_t len);

/*
 * LISTS and STATS lines are kept and written aligned by the flush:
 * LISTS rows are TAB-separated fields (name, messages, threads, first
 * date, last date), STATS lines "key value".  Many rows are flushed in
 * batches so memory stays bounded.
 */
void larch_output_lists_row(struct larch_output *o, const char *line,
    size_t len);
void larch_output_stats_line(struct larch_output *o, const char *line,
    size_t len);
void larch_output_lists_flush(struct larch_output *o);
void larch_output_stats_flush(struct larch_output *o);

#endif
