/*
 * Rows as text or JSON Lines; see render.h and docs/protocol.md section 5.
 * JSON is written with larch/json_out.h, not json-glib: a search answer
 * is twenty small flat objects, and building a JsonNode tree for each
 * would cost more than the query.
 *
 * Owner: the daemon engineer.
 */
#include <string.h>

#include "larch/record.h"
#include "render.h"

void
render_field(GString *line, const char *s)
{
	if (s == NULL)
		return;
	/* Whole runs at a time: a page of rows is mostly these bytes. */
	for (;;) {
		size_t n = strcspn(s, "\t\r\n");

		g_string_append_len(line, s, (gssize)n);
		if (s[n] == '\0')
			return;
		g_string_append_c(line, ' ');
		s += n + 1;
	}
}

static void
row_json(GString *line, const struct larch_search_row *row,
    enum render_row_kind kind)
{
	larch_json_open(line);
	larch_json_int(line, "v", LARCH_PROTO_SCHEMA);
	larch_json_str(line, "mid", row->mid);
	larch_json_str(line, "thread", row->thread);
	larch_json_date(line, "date", row->date);
	larch_json_str(line, "from", row->from);
	larch_json_str(line, "from_name", row->from_name);
	larch_json_str(line, "subject", row->subject);
	larch_json_str(line, "list", row->list);
	larch_json_str(line, "summary", row->summary);
	if (kind != RENDER_ROW_THREAD && row->snippet != NULL &&
	    row->snippet[0] != '\0')
		larch_json_str(line, "snippet", row->snippet);
	if (row->score >= 0)
		larch_json_int(line, "score", row->score);
	if (kind != RENDER_ROW_THREAD)
		larch_json_int(line, "messages", row->messages);
	if (kind == RENDER_ROW_THREAD) {
		larch_json_int(line, "depth", row->depth);
		larch_json_str(line, "parent", row->parent != NULL &&
		    row->parent[0] != '\0' ? row->parent : NULL);
	}
	larch_json_close(line);
}

/*
 * A text row, written straight into out as one protocol line.  Its
 * fields hold no line break (render_field()), so the line needs only
 * its dot-stuffing, and only a mid can start with a dot.
 */
static void
row_text(GString *out, const struct larch_search_row *row,
    enum render_row_kind kind)
{
	char date[LARCH_ISO8601_MAX];

	larch_iso8601_format(row->date, date);
	if (kind == RENDER_ROW_THREAD)
		g_string_append_printf(out, "%d\t", row->depth);
	else if (row->mid != NULL && row->mid[0] == '.')
		g_string_append_c(out, '.');
	render_field(out, row->mid);
	g_string_append_c(out, '\t');
	render_field(out, row->thread);
	g_string_append_c(out, '\t');
	g_string_append(out, date);
	g_string_append_c(out, '\t');
	render_field(out, row->list);
	g_string_append_c(out, '\t');
	render_field(out, row->from);
	g_string_append_c(out, '\t');
	render_field(out, row->from_name);
	g_string_append_c(out, '\t');
	render_field(out, row->subject);
	g_string_append_c(out, '\t');
	render_field(out, row->summary);
	g_string_append(out, "\r\n");
}

void
render_row(GString *out, const struct larch_search_row *row,
    enum larch_proto_format format, enum render_row_kind kind)
{
	GString *line;

	if (format != LARCH_PROTO_FORMAT_JSON) {
		row_text(out, row, kind);
		return;
	}
	line = g_string_sized_new(512);
	row_json(line, row, kind);
	larch_proto_append_line(out, line->str, (gssize)line->len);
	g_string_free(line, TRUE);
}
