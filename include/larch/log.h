/*
 * Logging for the programs (larch-index, larchd, larch).  lib/ modules
 * never log: they return a status and the program decides what to say.
 * Messages are lowercase and say what failed first:
 *   cannot open 'list.mbox': Permission denied
 */
#ifndef LARCH_LOG_H
#define LARCH_LOG_H

#include <stdbool.h>
#include <glib.h>

enum larch_log_level {
	LARCH_LOG_QUIET = 0,	/* errors only */
	LARCH_LOG_WARN,		/* warnings and errors (default) */
	LARCH_LOG_INFO,
	LARCH_LOG_DEBUG,
};

/* progname prefixes each line; to_syslog sends lines to syslog instead of
 * stderr. */
void larch_log_init(const char *progname, enum larch_log_level level,
    bool to_syslog);
void larch_log_set_level(enum larch_log_level level);
enum larch_log_level larch_log_level(void);

/* log_warn appends ": strerror(errno)". */
void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Errors that are not fatal: shown even with --quiet. */
void log_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Start-up failure in a program: logs and exits 1. */
G_NORETURN void fatal(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/*
 * Opens /dev/null on each standard descriptor that is closed; exits 1
 * when it cannot.  A program started with one closed (2>&-) would hand
 * its number to the next file or socket it opens (Xapian's lock file or
 * a table, a client's connection) and write its warnings into it, so
 * main() calls this first, as git's sanitize_stdfds() does.
 */
void larch_open_std_fds(void);

/* Called before each log line goes to stderr, e.g. to clear a progress
 * line; NULL for none. */
void larch_log_set_hook(void (*before_line)(void));

#endif
