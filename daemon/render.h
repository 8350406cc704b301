/*
 * Rendering rows and records as the data lines of docs/protocol.md
 * section 5: TAB-separated text, or JSON Lines (schema 1).  Pure string
 * building; the handlers decide what to render.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_RENDER_H
#define LARCHD_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "larch/proto.h"
#include "larch/search.h"

/* How a search or thread row is rendered. */
enum render_row_kind {
	RENDER_ROW_SEARCH,	/* SEARCH, with or without THREADS */
	RENDER_ROW_THREAD,	/* THREAD: depth first, parent */
};

/* Appends row as one data line (dot-stuffed, CRLF). */
void render_row(GString *out, const struct larch_search_row *row,
    enum larch_proto_format format, enum render_row_kind kind);

/* Appends a text field: TAB, CR and LF become spaces; NULL is "". */
void render_field(GString *line, const char *s);

/* json (valid JSON text) with U+2028 and U+2029 escaped, which JSON
 * allows raw but line splitters take for line ends; a new string. */
char *json_escape_separators(const char *json);

/*
 * A JSON object under construction in a GString: json_open() appends
 * "{", each json_* member appends ",key:value" (the comma only when
 * needed), json_close() appends "}".  Strings are escaped for JSON;
 * invalid UTF-8 is replaced, never passed on.
 */
void json_open(GString *s);
void json_close(GString *s);
void json_str(GString *s, const char *key, const char *value);	/* NULL: null */
void json_int(GString *s, const char *key, int64_t value);
void json_bool(GString *s, const char *key, bool value);
/* A date as an ISO 8601 string, or null for 0. */
void json_date(GString *s, const char *key, int64_t date);
/* A member whose value is already JSON text. */
void json_raw(GString *s, const char *key, const char *json);
/* Starts an array member ("key":[); json_array_close() ends it. */
void json_array_open(GString *s, const char *key);
void json_array_close(GString *s);
/* An array element: a string (NULL: null). */
void json_elem_str(GString *s, const char *value);
/* Appends value as a JSON string literal. */
void json_quote(GString *s, const char *value);

#endif
