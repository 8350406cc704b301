/*
 * larch-index: reads mailing-list archives into a larch index, and reports
 * on it.
 *
 *   larch-index --index DIR [--list NAME] [--config FILE] PATH...
 *   larch-index --index DIR --stats [--json]
 *   larch-index --index DIR --export
 *   larch-index --index DIR --thread MID [--json]
 *
 * Exit status: 0 done (skipped messages are logged and counted), 1 fatal
 * error, 2 bad usage.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "larch/fingerprint.h"
#include "larch/log.h"
#include "larch/parse.h"
#include "larch/quote.h"
#include "larch/store.h"
#include "pipeline.h"
#include "report.h"

#define EXIT_USAGE 2

static char *opt_index;
static char *opt_list;
static char *opt_config;
static gboolean opt_stats;
static gboolean opt_json;
static gboolean opt_export;
static gboolean opt_quiet;
static gboolean opt_verbose;
static gboolean opt_version;
/* Not given: G_MININT, which no one types (-1 is a bad value like any
 * other negative one). */
static int opt_jobs = G_MININT;
static char *opt_thread;
static char **opt_paths;

static const GOptionEntry entries[] = {
	{ "index", 'i', 0, G_OPTION_ARG_FILENAME, &opt_index,
	  "the index folder (created when missing)", "DIR" },
	{ "list", 'l', 0, G_OPTION_ARG_STRING, &opt_list,
	  "list name for every message read in this run", "NAME" },
	{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
	  "configuration file (GLib key file)", "FILE" },
	{ "stats", 0, 0, G_OPTION_ARG_NONE, &opt_stats,
	  "print the index's statistics", NULL },
	{ "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
	  "with --stats or --thread: one JSON object", NULL },
	{ "export", 0, 0, G_OPTION_ARG_NONE, &opt_export,
	  "print every message's record as JSON Lines", NULL },
	{ "thread", 't', 0, G_OPTION_ARG_STRING, &opt_thread,
	  "print the summary of the thread holding message MID", "MID" },
	{ "jobs", 'j', 0, G_OPTION_ARG_INT, &opt_jobs,
	  "parser threads (default: the number of cores)", "N" },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet,
	  "print errors only", NULL },
	{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
	  "say what happens to each file", NULL },
	{ "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
	  "print the version and exit", NULL },
	{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_paths,
	  NULL, "PATH..." },
	G_OPTION_ENTRY_NULL
};

static const char description[] =
	"Reads mbox (mboxo, mboxrd, mboxcl, mboxcl2), pipermail archive\n"
	"volumes (.txt, .txt.gz), Maildir folders and single messages, plain\n"
	"or gzip'd, into a larch index.  Pipermail HTML article pages\n"
	"(LIST/YYYY-Month/NNNNNN.html) are recorded with the message they\n"
	"show, or indexed from the page.  Folders are read recursively; each\n"
	"file's kind is recognised from its content.  Running again reads only\n"
	"what is new.  Without PATH, the config's sources are read.\n"
	"\n"
	"The list of a message is --list if given, else its List-Id header,\n"
	"else the config's [list NAME] whose paths hold the file, else the\n"
	"pipermail or Maildir folder name (for an HTML page, the folder\n"
	"before its month) or the mbox file name.\n"
	"\n"
	"Exit status: 0 done (skipped messages are logged and counted),\n"
	"1 fatal error, 2 bad usage.  See larch-index(1).";

/* The mistake and where to read more, as git and larch do: the whole
 * help would push the one line that matters off the screen. */
static void
usage_error(GOptionContext *ctx, const char *msg)
{
	fprintf(stderr, "larch-index: %s\nTry 'larch-index --help'.\n", msg);
	g_option_context_free(ctx);
	exit(EXIT_USAGE);
}

static struct larch_store *
open_store(const char *dir, enum larch_store_mode mode)
{
	struct larch_store *store = NULL;
	enum larch_status st = larch_store_open(dir, mode, &store);

	if (st != LARCH_OK) {
		char *msg = g_strdup(store != NULL ?
		    larch_store_error(store) : larch_status_str(st));

		larch_store_close(store);
		fatal("cannot open index '%s': %s", dir, msg);
	}
	return store;
}

static void
print_summary(const struct larch_index_totals *t, double secs)
{
	double rate = secs > 0 ? (t->added + t->copies) / secs : 0;

	fprintf(stderr, "larch-index: %" G_GUINT64_FORMAT " new messages, %"
	    G_GUINT64_FORMAT " new copies of known ones, %" G_GUINT64_FORMAT
	    " skipped, from %" G_GUINT64_FORMAT " files (%" G_GUINT64_FORMAT
	    " unchanged) in %.1f s (%.0f msg/s, %.1f MB/s)\n",
	    t->added, t->copies, t->skipped, t->files, t->unchanged, secs,
	    rate, secs > 0 ? t->bytes / secs / 1e6 : 0.0);
	if (t->clashes || t->rewritten || t->removed || t->vanished ||
	    t->failed || t->not_mail)
		fprintf(stderr, "larch-index: %" G_GUINT64_FORMAT " id clashes, %"
		    G_GUINT64_FORMAT " rewritten files, %" G_GUINT64_FORMAT
		    " removed messages, %" G_GUINT64_FORMAT " vanished files, %"
		    G_GUINT64_FORMAT " unreadable files, %" G_GUINT64_FORMAT
		    " files not mail\n", t->clashes, t->rewritten,
		    t->removed, t->vanished, t->failed, t->not_mail);
}

static int
run_index(struct larch_config *config, GPtrArray *paths,
    const struct larch_quote_rules *rules)
{
	struct larch_store *store = open_store(opt_index, LARCH_STORE_WRITE);
	struct larch_index_totals totals;
	struct larch_index_opts opts = {
		.config = config,
		.quote_rules = rules,
		.list = opt_list,
		.progress = !opt_quiet && isatty(STDERR_FILENO),
		.jobs = opt_jobs > 0 ? (unsigned)opt_jobs : config->jobs > 0 ?
		    config->jobs : g_get_num_processors(),
	};
	char *abs_index = g_canonicalize_filename(opt_index, NULL);
	char *err = NULL;
	int64_t start = g_get_monotonic_time();
	enum larch_status st;

	opts.index_dir = abs_index;
	st = larch_index_paths(store, paths, &opts, &totals, &err);
	larch_store_close(store);
	g_free(abs_index);
	if (st != LARCH_OK) {
		log_error("%s", err);
		g_free(err);
		return 1;
	}
	if (!opt_quiet)
		print_summary(&totals, (g_get_monotonic_time() - start) /
		    (double)G_USEC_PER_SEC);
	return 0;
}

/* Whether UTF-8 text s holds a control character (a newline, a tab). */
static bool
has_control(const char *s)
{
	for (; *s != '\0'; s = g_utf8_next_char(s))
		if (g_unichar_iscntrl(g_utf8_get_char(s)))
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx;
	GError *gerr = NULL;
	struct larch_config *config = NULL;
	struct larch_quote_rules *rules = NULL;
	GPtrArray *paths;
	char *err = NULL;
	int rc;

	larch_open_std_fds();
	/* The user's locale for messages and the help's characters ("…"
	 * not "?"), but C numbers: figures printed and logged keep their
	 * '.' whatever the locale. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	/* The G_OPTION_REMAINING entry names PATH... in the usage line. */
	ctx = g_option_context_new(NULL);
	g_option_context_set_summary(ctx,
	    "Index mailing-list archives for larch.");
	g_option_context_set_description(ctx, description);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &gerr))
		usage_error(ctx, gerr->message);
	if (opt_jobs != G_MININT && (opt_jobs < 0 || opt_jobs > 64))
		usage_error(ctx, "--jobs must be 0 (one per core) to 64");
	if (opt_version) {
		printf("larch-index %s (index schema %d)\n", LARCH_VERSION,
		    LARCH_SCHEMA_VERSION);
		return 0;
	}
	larch_log_init("larch-index", opt_quiet ? LARCH_LOG_QUIET :
	    opt_verbose ? LARCH_LOG_INFO : LARCH_LOG_WARN, false);

	if (opt_config != NULL) {
		if (larch_config_load(opt_config, &config, &err) != LARCH_OK)
			fatal("%s", err);
	} else {
		config = larch_config_new();
	}
	if (opt_index == NULL && config->index != NULL)
		opt_index = g_strdup(config->index);
	if (opt_index == NULL || opt_index[0] == '\0')
		usage_error(ctx, "--index DIR is required (or 'index' in the "
		    "config)");
	if ((opt_stats || opt_export || opt_thread) && opt_paths != NULL)
		usage_error(ctx, "--stats, --export and --thread take no PATH");
	if (opt_stats + opt_export + (opt_thread != NULL) > 1)
		usage_error(ctx, "--stats, --export and --thread cannot be "
		    "combined");
	if (opt_list != NULL && g_strstrip(opt_list)[0] == '\0')
		usage_error(ctx, "--list needs a name");
	if (opt_list != NULL && has_control(opt_list))
		usage_error(ctx, "--list cannot hold control characters (a "
		    "list's name is one line)");
	if (opt_json && !opt_stats && opt_thread == NULL)
		usage_error(ctx, "--json goes with --stats or --thread");

	if (opt_stats || opt_export || opt_thread) {
		struct larch_store *store = open_store(opt_index,
		    LARCH_STORE_READ);
		enum larch_status st = opt_stats ?
		    larch_report_stats(store, opt_index, opt_json, stdout) :
		    opt_export ? larch_report_export(store, stdout) :
		    larch_report_thread(store, opt_thread, opt_json, stdout);

		/* A full disk under a redirection must not pass for a
		 * whole report. */
		bool written = fflush(stdout) == 0 && !ferror(stdout);
		int why = errno != 0 ? errno : EIO;

		if (!written && why != EPIPE)
			log_error("cannot write the output: %s",
			    g_strerror(why));
		else if (st == LARCH_ERR_NOT_FOUND)
			log_error("no message <%s> in index '%s'", opt_thread,
			    opt_index);
		else if (st != LARCH_OK && written)
			log_error("cannot read index '%s': %s", opt_index,
			    larch_store_error(store));
		if (!written)
			st = LARCH_ERR_IO;
		larch_store_close(store);
		larch_config_free(config);
		g_option_context_free(ctx);
		return st == LARCH_OK ? 0 : 1;
	}

	paths = g_ptr_array_new();
	for (char **p = opt_paths; p != NULL && *p != NULL; p++)
		g_ptr_array_add(paths, *p);
	if (paths->len == 0)
		for (guint i = 0; i < config->sources->len; i++)
			g_ptr_array_add(paths, config->sources->pdata[i]);
	if (paths->len == 0)
		usage_error(ctx, "nothing to index: give PATH or 'sources' in "
		    "the config");

	if (config->quote_rules != NULL) {
		if (larch_quote_rules_load(config->quote_rules, &rules,
		    &err) != LARCH_OK)
			fatal("cannot load the quote rules ('quote_rules' in "
			    "'%s'): %s", opt_config, err);
	}
	larch_parse_init();
	larch_fingerprint_init();
	rc = run_index(config, paths, rules != NULL ? rules :
	    larch_quote_rules_default());
	larch_parse_shutdown();
	larch_quote_rules_free(rules);

	g_ptr_array_unref(paths);
	larch_config_free(config);
	g_option_context_free(ctx);
	g_strfreev(opt_paths);
	g_free(opt_index);
	return rc;
}
