/*
 * larchd: serves a larch index over the line protocol of
 * docs/protocol.md.
 *
 *   larchd [--config FILE] [--index DIR] [--listen unix:PATH|HOST:PORT]...
 *          [--foreground] [--pidfile FILE]
 *
 * Everything that can fail at start (the config, the index, the sockets)
 * is checked before daemonising, so the error reaches the terminal and
 * the exit status.  Exit status: 0 stopped by SIGTERM or SIGINT, 1 start-up
 * failure, 2 bad usage.  See larchd(8).
 *
 * Owner: the daemon engineer.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "larch/log.h"
#include "larch/store.h"
#include "listen.h"
#include "server.h"

#define EXIT_USAGE 2

static char *opt_config;
static char *opt_index;
static char **opt_listen;
static char *opt_pidfile;
static gboolean opt_foreground;
static gboolean opt_verbose;
static gboolean opt_version;

static const GOptionEntry entries[] = {
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	  "configuration file (default " LARCHD_CONFIG " if present)",
	  "FILE" },
	{ "index", 'i', 0, G_OPTION_ARG_FILENAME, &opt_index,
	  "the index folder to serve", "DIR" },
	{ "listen", 'l', 0, G_OPTION_ARG_STRING_ARRAY, &opt_listen,
	  "where to listen, repeatable (default " LARCHD_DEFAULT_LISTEN ")",
	  "unix:PATH|HOST:PORT" },
	{ "foreground", 'f', 0, G_OPTION_ARG_NONE, &opt_foreground,
	  "stay in the foreground and log to stderr", NULL },
	{ "pidfile", 'p', 0, G_OPTION_ARG_FILENAME, &opt_pidfile,
	  "write the process id to FILE", "FILE" },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
	  "log every connection (debug level)", NULL },
	{ "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
	  "print the version and exit", NULL },
	G_OPTION_ENTRY_NULL
};

static const char description[] =
	"Serves searches, threads, messages and summaries of a larch index\n"
	"over a line protocol (docs/protocol.md) on unix and TCP sockets.\n"
	"Command-line options override the configuration file.  Without\n"
	"--foreground larchd detaches and logs to syslog.\n"
	"\n"
	"Signals: SIGHUP reloads the configuration and reopens the index;\n"
	"SIGTERM and SIGINT stop accepting, finish the answers in flight and\n"
	"exit 0.\n"
	"\n"
	"Exit status: 0 stopped by a signal, 1 start-up failure, 2 bad usage.\n"
	"See larchd(8).";

/* Relative paths on the command line are taken from the folder larchd
 * was started in, also when SIGHUP re-reads them after detach() moved to
 * "/". */
static void
absolute_options(void)
{
	char *abs;

	if (opt_config != NULL) {
		abs = g_canonicalize_filename(opt_config, NULL);
		g_free(opt_config);
		opt_config = abs;
	}
	if (opt_index != NULL) {
		abs = g_canonicalize_filename(opt_index, NULL);
		g_free(opt_index);
		opt_index = abs;
	}
	if (opt_pidfile != NULL) {
		abs = g_canonicalize_filename(opt_pidfile, NULL);
		g_free(opt_pidfile);
		opt_pidfile = abs;
	}
	for (char **l = opt_listen; l != NULL && *l != NULL; l++) {
		if (!g_str_has_prefix(*l, "unix:") || (*l)[5] == '\0')
			continue;
		abs = g_canonicalize_filename(*l + 5, NULL);
		g_free(*l);
		*l = g_strconcat("unix:", abs, NULL);
		g_free(abs);
	}
}

/*
 * Reads the configuration file (if any) and lays the command-line options
 * over it.  At start and on SIGHUP.
 */
static struct larchd_config *
load_config(char **error)
{
	struct larchd_config *c = NULL;
	const char *path = opt_config;

	*error = NULL;
	if (path == NULL && g_file_test(LARCHD_CONFIG, G_FILE_TEST_EXISTS))
		path = LARCHD_CONFIG;
	if (path == NULL)
		c = larchd_config_new();
	else if (larchd_config_load(path, &c, error) != LARCH_OK)
		return NULL;
	if (opt_index != NULL) {
		g_free(c->index);
		c->index = g_strdup(opt_index);
	}
	if (opt_listen != NULL) {
		g_ptr_array_set_size(c->listen, 0);
		for (char **l = opt_listen; *l != NULL; l++) {
			if (!larchd_config_check_listen(*l, error)) {
				larchd_config_free(c);
				return NULL;
			}
			g_ptr_array_add(c->listen, g_strdup(*l));
		}
	}
	if (c->listen->len == 0)
		g_ptr_array_add(c->listen, g_strdup(LARCHD_DEFAULT_LISTEN));
	if (c->index == NULL) {
		*error = g_strdup("no index given: use --index DIR or 'index' "
		    "in the configuration");
		larchd_config_free(c);
		return NULL;
	}
	if (opt_verbose)
		c->log_level = LARCH_LOG_DEBUG;
	return c;
}

static enum larch_status
collect_list(const char *name, uint64_t count, void *data)
{
	(void)count;
	g_ptr_array_add(data, g_strdup(name));
	return LARCH_OK;
}

/* Warns of a private list the index does not hold: a name that differs
 * from the indexed one (lists are named exactly) hides nothing. */
static void
check_private_lists(struct larch_store *store, const struct larchd_config *c)
{
	GPtrArray *lists = g_ptr_array_new_with_free_func(g_free);

	if (c->private_lists->len > 0 &&
	    larch_store_lists(store, collect_list, lists) == LARCH_OK) {
		for (guint i = 0; i < c->private_lists->len; i++) {
			const struct larchd_private_list *l =
			    c->private_lists->pdata[i];
			const char *like = NULL;
			bool found = false;

			for (guint j = 0; j < lists->len && !found; j++) {
				found = strcmp(lists->pdata[j], l->name) == 0;
				if (g_ascii_strcasecmp(lists->pdata[j],
				    l->name) == 0)
					like = lists->pdata[j];
			}
			if (!found && like != NULL)
				log_warnx("private list '%s' is not in the "
				    "index (it holds '%s'): nothing is hidden "
				    "under that name", l->name, like);
			else if (!found)
				log_warnx("private list '%s' is not in the "
				    "index: nothing is hidden under that name",
				    l->name);
		}
	}
	g_ptr_array_unref(lists);
}

/* Fails the start, clearly, when the index cannot be served. */
static void
check_index(const char *dir, const struct larchd_config *c)
{
	struct larch_store *store = NULL;
	char *shard = g_build_filename(dir, "shard-0", NULL);
	enum larch_status st;

	if (!g_file_test(shard, G_FILE_TEST_IS_DIR))
		fatal("no index at '%s': run larch-index first", dir);
	g_free(shard);
	st = larch_store_open(dir, LARCH_STORE_READ, &store);
	if (st != LARCH_OK) {
		char *msg = g_strdup(store != NULL ? larch_store_error(store) :
		    larch_status_str(st));

		larch_store_close(store);
		fatal("cannot open index '%s': %s", dir, msg);
	}
	check_private_lists(store, c);
	larch_store_close(store);
}

/* Every connection is a descriptor: take all the system allows. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("cannot raise the open-files limit");
}

static void
detach(void)
{
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0)
		fatal("cannot fork: %s", g_strerror(errno));
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		fatal("cannot start a session: %s", g_strerror(errno));
	/* Not a session leader: can never take a controlling terminal. */
	pid = fork();
	if (pid < 0)
		fatal("cannot fork: %s", g_strerror(errno));
	if (pid > 0)
		_exit(0);
	if (chdir("/") != 0)
		fatal("cannot change to '/': %s", g_strerror(errno));
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

/* Opens the pid file before the daemon detaches, so that a path it
 * cannot write stops the start with an exit status; the sockets made
 * go then, their files included. */
static int
open_pidfile(const char *path, GPtrArray *sockets)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		int err = errno;

		g_ptr_array_unref(sockets);
		fatal("cannot write pid file '%s': %s", path,
		    g_strerror(err));
	}
	return fd;
}

/* Writes the daemon's pid (known after detaching) into the open file. */
static void
write_pidfile(int fd, const char *path)
{
	char *text = g_strdup_printf("%ld\n", (long)getpid());
	size_t len = strlen(text);

	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, text, len, 0) != (ssize_t)len || close(fd) != 0)
		fatal("cannot write pid file '%s': %s", path,
		    g_strerror(errno));
	g_free(text);
}

static GPtrArray *
open_sockets(const struct larchd_config *c)
{
	GPtrArray *sockets = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)listen_socket_free);

	for (guint i = 0; i < c->listen->len; i++) {
		char *error = NULL;

		if (!listen_open(c->listen->pdata[i], c->unix_mode, sockets,
		    &error)) {
			/* Sockets already made go, files included. */
			g_ptr_array_unref(sockets);
			fatal("%s", error);
		}
	}
	return sockets;
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx;
	GError *err = NULL;
	struct larchd_config *config;
	GPtrArray *sockets;
	char *error = NULL;
	const char *pidfile;
	int pidfd = -1;
	bool to_syslog;
	int status;

	larch_open_std_fds();
	signal(SIGPIPE, SIG_IGN);
	/* The user's locale for messages and the help's characters ("…"
	 * not "?"), but C numbers: figures printed and logged keep their
	 * '.' whatever the locale. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	ctx = g_option_context_new("- serve a larch index");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, description);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "larchd: %s\n", err->message);
		g_error_free(err);
		g_option_context_free(ctx);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		fprintf(stderr, "larchd: unexpected argument '%s'\n", argv[1]);
		g_option_context_free(ctx);
		return EXIT_USAGE;
	}
	g_option_context_free(ctx);
	if (opt_version) {
		printf("larchd %s\n", LARCH_VERSION);
		return 0;
	}
	/* A malformed --listen is a wrong option like any other; a
	 * configuration file's is a start-up failure. */
	for (char **l = opt_listen; l != NULL && *l != NULL; l++) {
		if (!larchd_config_check_listen(*l, &error)) {
			fprintf(stderr, "larchd: %s\n", error);
			g_free(error);
			return EXIT_USAGE;
		}
	}

	absolute_options();
	larch_log_init("larchd", LARCH_LOG_INFO, false);
	config = load_config(&error);
	if (config == NULL)
		fatal("%s", error);
	larch_log_set_level(config->log_level);
	check_index(config->index, config);
	raise_fd_limit();
	sockets = open_sockets(config);
	pidfile = opt_pidfile;
	if (pidfile != NULL)
		pidfd = open_pidfile(pidfile, sockets);

	to_syslog = config->log_syslog == 1 ||
	    (config->log_syslog == -1 && !opt_foreground);
	if (!opt_foreground)
		detach();
	larch_log_init("larchd", config->log_level, to_syslog);
	if (pidfile != NULL)
		write_pidfile(pidfd, pidfile);
	log_info("larchd %s starting, pid %ld", LARCH_VERSION, (long)getpid());

	status = server_run(config, sockets, load_config);

	if (pidfile != NULL)
		unlink(pidfile);
	g_free(opt_config);
	g_free(opt_index);
	g_strfreev(opt_listen);
	g_free(opt_pidfile);
	return status;
}
