/*
 * A cap on how often one kind of warning is logged.  A client can make
 * larchd refuse a connection or reject an AUTH as fast as it can connect;
 * logging each one would let it fill the disk under the log.  The first
 * few of a window are logged as they come; the rest are counted, and the
 * count is logged with the first one after the window.
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_LOG_BURST_H
#define LARCHD_LOG_BURST_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

/* Lines of one kind logged in a window; the rest are counted. */
#define LOG_BURST_LINES 10
/* The window, in microseconds of the monotonic clock. */
#define LOG_BURST_WINDOW_US (60 * G_USEC_PER_SEC)

/* One kind of warning.  Zero-initialised is ready to use. */
struct log_burst {
	int64_t window_start;	/* monotonic microseconds */
	unsigned logged;	/* lines logged in this window */
	uint64_t unlogged;	/* events counted, not logged, since the
				 * last line */
};

/*
 * Whether the event at now (monotonic microseconds) is to be logged.
 * When it is, *unlogged gets how many events of the kind went unlogged
 * before it (for the line to say), else 0.
 */
bool log_burst_allow(struct log_burst *b, int64_t now, uint64_t *unlogged);

/* Room for log_burst_note()'s words. */
#define LOG_BURST_NOTE_MAX 64

/* What a line says of the events not logged before it: "" for none, else
 * " (N more not logged)", written into note. */
const char *log_burst_note(uint64_t unlogged, char note[LOG_BURST_NOTE_MAX]);

#endif
