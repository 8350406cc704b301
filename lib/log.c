/*
 * Program logging; see include/larch/log.h.  Lives in lib/ only so the
 * three programs share it: no lib/ module calls it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "larch/log.h"

static const char *prog = "larch";
static enum larch_log_level level = LARCH_LOG_WARN;
static bool use_syslog;
static void (*hook)(void);
static GMutex lock;

void
larch_log_init(const char *progname, enum larch_log_level lvl, bool to_syslog)
{
	prog = progname;
	level = lvl;
	use_syslog = to_syslog;
	if (use_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
larch_log_set_level(enum larch_log_level lvl)
{
	level = lvl;
}

enum larch_log_level
larch_log_level(void)
{
	return level;
}

void
larch_log_set_hook(void (*before_line)(void))
{
	hook = before_line;
}

static void
emit(int priority, const char *tag, const char *fmt, va_list ap,
    const char *suffix)
{
	char *text = g_strdup_vprintf(fmt, ap);

	g_mutex_lock(&lock);
	if (use_syslog) {
		syslog(priority, "%s%s%s", text, suffix ? ": " : "",
		    suffix ? suffix : "");
	} else {
		if (hook != NULL)
			hook();
		fprintf(stderr, "%s: %s%s%s%s\n", prog, tag, text,
		    suffix ? ": " : "", suffix ? suffix : "");
	}
	g_mutex_unlock(&lock);
	g_free(text);
}

void
log_warn(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	if (level < LARCH_LOG_WARN)
		return;
	va_start(ap, fmt);
	emit(LOG_WARNING, "warning: ", fmt, ap, err);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	if (level < LARCH_LOG_WARN)
		return;
	va_start(ap, fmt);
	emit(LOG_WARNING, "warning: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (level < LARCH_LOG_INFO)
		return;
	va_start(ap, fmt);
	emit(LOG_INFO, "", fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (level < LARCH_LOG_DEBUG)
		return;
	va_start(ap, fmt);
	emit(LOG_DEBUG, "debug: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, "error: ", fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_CRIT, "fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void
larch_open_std_fds(void)
{
	int fd;

	do
		fd = open("/dev/null", O_RDWR);
	while (fd >= 0 && fd <= STDERR_FILENO);
	if (fd < 0)
		_exit(1);
	close(fd);
}
