/*
 * A cap on how often one kind of warning is logged; see log_burst.h.
 */
#include <glib.h>

#include "log_burst.h"

bool
log_burst_allow(struct log_burst *b, int64_t now, uint64_t *unlogged)
{
	*unlogged = 0;
	if (b->logged == 0 || now - b->window_start >= LOG_BURST_WINDOW_US) {
		b->window_start = now;
		b->logged = 0;
	}
	if (b->logged >= LOG_BURST_LINES) {
		b->unlogged++;
		return false;
	}
	b->logged++;
	*unlogged = b->unlogged;
	b->unlogged = 0;
	return true;
}

const char *
log_burst_note(uint64_t unlogged, char note[LOG_BURST_NOTE_MAX])
{
	if (unlogged == 0)
		return "";
	g_snprintf(note, LOG_BURST_NOTE_MAX, " (%" G_GUINT64_FORMAT
	    " more not logged)", unlogged);
	return note;
}
