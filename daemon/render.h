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

#include "larch/json_out.h"
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

#endif
