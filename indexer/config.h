/*
 * larch-index's configuration: a GLib key file (conf/larch.conf).
 *
 *   [larch]
 *   index = ../var/index            relative paths are taken from the
 *   sources = a.mbox;pipermail/     config file's folder
 *   fallback_charset = windows-1252
 *   max_message_size = 67108864
 *   jobs = 0                        parser threads; 0 = number of cores
 *   batch = 1000                    messages per commit
 *   subject_fallback = true         thread reply-looking subjects that
 *   subject_window_days = 60        have no reference headers
 *   quote_rules = quotes.conf       patterns of quotes, signatures,
 *                                   footers (default: built in)
 *   language = english              stemmer of the words (Xapian's)
 *
 *   [list policy-forum]
 *   list_id = policy-forum.lists.example.org
 *   paths = ../sample/pipermail/policy-forum
 *   fallback_charset = iso-8859-1
 *   subject_fallback = false
 *   language = french
 */
#ifndef LARCH_INDEXER_CONFIG_H
#define LARCH_INDEXER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "larch/status.h"
#include "split.h"

struct larch_config_list {
	char *name;
	char *list_id;			/* NULL when not set */
	GPtrArray *paths;		/* char *, absolute */
	char *fallback_charset;		/* NULL: the global one */
	int subject_fallback;		/* -1: the global setting */
	char *language;			/* stemmer; NULL: the global one */
};

struct larch_config {
	char *index;			/* absolute, or NULL */
	GPtrArray *sources;		/* char *, absolute */
	char *fallback_charset;
	size_t max_message;
	unsigned jobs;
	unsigned batch;
	bool subject_fallback;
	int64_t subject_window;		/* seconds */
	char *quote_rules;		/* absolute path, or NULL */
	char *language;			/* stemmer of lists without one */
	bool language_set;		/* language came from the file */
	GPtrArray *lists;		/* struct larch_config_list * */
};

/* Defaults only (no file).  Never NULL. */
struct larch_config *larch_config_new(void);

/*
 * Reads path over the defaults.  On failure returns LARCH_ERR_IO (cannot
 * read) or LARCH_ERR_INVALID (bad value) with *error set to a message the
 * caller g_free()s, and *out NULL.
 */
enum larch_status larch_config_load(const char *path,
    struct larch_config **out, char **error);
void larch_config_free(struct larch_config *config);

/* The list called name, or NULL. */
const struct larch_config_list *larch_config_list_by_name(
    const struct larch_config *config, const char *name);

/* The stemming language of list name: its own, else the global one. */
const char *larch_config_language(const struct larch_config *config,
    const char *name);

/* The configured list whose list_id is list_id, or NULL. */
const struct larch_config_list *larch_config_list_by_id(
    const struct larch_config *config, const char *list_id);

/* The configured list whose paths contain file (absolute), or NULL. */
const struct larch_config_list *larch_config_list_by_path(
    const struct larch_config *config, const char *file);

/* The list a List-Id names: the configured list with that list_id, else
 * its first label in lower case (policy-forum.lists.example.org is
 * policy-forum); a new string, NULL when it names none. */
char *larch_config_list_of_id(const struct larch_config *config,
    const char *list_id);

/* The list of an archive file of kind by its place: the configured list whose paths hold it, else its folder's or
 * file's name (larch_walk_list_name()); a new string. */
char *larch_config_list_of_place(const struct larch_config *config,
    const char *file, enum larch_archive_kind kind);

#endif
