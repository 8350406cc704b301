/*
 * larchd's configuration: a GLib key file (conf/larchd.conf).  Relative
 * paths (the index, unix: sockets) are taken from the file's folder.
 *
 *   [larchd]
 *   index = ../var/index
 *   listen = 127.0.0.1:4119;unix:/run/larch/larchd.sock
 *   workers = 0                 query threads; 0: max(2, cores)
 *   max_connections = 1024
 *   idle_timeout = 300          seconds
 *   query_timeout = 10          seconds; 0: none
 *   line_max = 8192             bytes per request line
 *   output_high_water = 1048576 bytes queued before reading pauses
 *   raw_max = 67108864          largest message RAW sends
 *   output_budget = 268435456   bytes of answers waiting on all
 *                               connections before big ones are refused
 *                               and slow readers served no more
 *   rows_memory = 268435456     bytes of result rows kept in memory
 *                               (about 420 a message); 0: none
 *   map_index = true            read the index's files through memory
 *                               maps (index_reads.h)
 *   unix_mode = 0600            permissions of unix sockets
 *   log = syslog                stderr or syslog
 *   log_level = info            quiet, warn, info or debug
 *
 *   [list NAME]                 a private list (issue 6): its messages
 *   private = true              are shown only to connections that sent
 *   tokens = HEX;HEX            AUTH with a token whose SHA-256 (hex) is
 *                               listed; the tokens themselves are never
 *                               stored
 *
 * Owner: the daemon engineer.
 */
#ifndef LARCHD_CONFIG_H
#define LARCHD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "larch/log.h"
#include "larch/status.h"

#define LARCHD_DEFAULT_LISTEN		"127.0.0.1:4119"
#define LARCHD_DEFAULT_MAX_CONNS	1024
#define LARCHD_DEFAULT_IDLE_MS		(300 * 1000)
#define LARCHD_DEFAULT_QUERY_MS		(10 * 1000)
#define LARCHD_DEFAULT_HIGH_WATER	((size_t)1 << 20)
#define LARCHD_DEFAULT_RAW_MAX		((uint64_t)64 << 20)
#define LARCHD_DEFAULT_OUTPUT_BUDGET	((uint64_t)256 << 20)
#define LARCHD_DEFAULT_ROWS_MEMORY	((uint64_t)256 << 20)
#define LARCHD_DEFAULT_UNIX_MODE	0600

/* A private list: readable only with one of its tokens (issue 6). */
struct larchd_private_list {
	char *name;
	GPtrArray *digests;	/* char *: SHA-256 of a token, lowercase hex */
};

struct larchd_config {
	char *path;		/* the file read (absolute), or NULL */
	char *index;		/* absolute, or NULL when nothing said */
	GPtrArray *listen;	/* char *: "unix:/abs/path" or "host:port" */
	unsigned workers;	/* 0: decided at start from the cores */
	unsigned max_connections;
	unsigned idle_timeout_ms;
	unsigned query_timeout_ms;	/* 0: no limit */
	size_t line_max;
	size_t output_high_water;
	uint64_t raw_max;
	uint64_t output_budget;	/* see conn.c, is_over_budget() and
				 * is_output_full() */
	uint64_t rows_memory;	/* larch_store_keep_rows() */
	bool map_index;		/* index_reads_enable() */
	unsigned unix_mode;
	int log_syslog;		/* -1 unset: syslog iff daemonised */
	enum larch_log_level log_level;
	GPtrArray *private_lists;	/* struct larchd_private_list * */
};

/* Defaults only (no file).  Never NULL; free with larchd_config_free(). */
struct larchd_config *larchd_config_new(void);

/*
 * Reads path over the defaults.  On failure returns LARCH_ERR_IO (cannot
 * read) or LARCH_ERR_INVALID (a bad or unknown key in [larchd], a bad
 * [list NAME] group), *error set to a message the caller g_free()s and
 * *out NULL.
 */
enum larch_status larchd_config_load(const char *path,
    struct larchd_config **out, char **error);

void larchd_config_free(struct larchd_config *config);

/* The private list named name, or NULL. */
const struct larchd_private_list *larchd_config_private_list(
    const struct larchd_config *config, const char *name);

/*
 * Checks one listen address: "unix:PATH" or "HOST:PORT" ("[v6]:PORT").
 * Returns whether it is well formed; *error (caller g_free()s) says why
 * not.
 */
bool larchd_config_check_listen(const char *addr, char **error);

#endif
