/*
 * larchd's configuration file; see config.h.  Every key of [larchd] is
 * checked: a typo in a daemon's config should stop it at start (or keep
 * the old config on SIGHUP), not be ignored silently.
 *
 * Owner: the daemon engineer.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "larch/proto.h"
#include "larch/keyfile.h"

#define GROUP "larchd"

static const char *const known_keys[] = {
	"index", "listen", "workers", "max_connections", "idle_timeout",
	"query_timeout", "line_max", "output_high_water", "raw_max",
	"output_budget", "rows_memory", "map_index", "unix_mode", "log",
	"log_level", NULL,
};

static void
private_list_free(struct larchd_private_list *l)
{
	if (l == NULL)
		return;
	g_free(l->name);
	g_ptr_array_unref(l->digests);
	g_free(l);
}

struct larchd_config *
larchd_config_new(void)
{
	struct larchd_config *c = g_new0(struct larchd_config, 1);

	c->listen = g_ptr_array_new_with_free_func(g_free);
	c->max_connections = LARCHD_DEFAULT_MAX_CONNS;
	c->idle_timeout_ms = LARCHD_DEFAULT_IDLE_MS;
	c->query_timeout_ms = LARCHD_DEFAULT_QUERY_MS;
	c->line_max = LARCH_PROTO_LINE_MAX;
	c->output_high_water = LARCHD_DEFAULT_HIGH_WATER;
	c->raw_max = LARCHD_DEFAULT_RAW_MAX;
	c->output_budget = LARCHD_DEFAULT_OUTPUT_BUDGET;
	c->rows_memory = LARCHD_DEFAULT_ROWS_MEMORY;
	c->map_index = true;
	c->unix_mode = LARCHD_DEFAULT_UNIX_MODE;
	c->log_syslog = -1;
	c->log_level = LARCH_LOG_INFO;
	c->private_lists = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)private_list_free);
	return c;
}

void
larchd_config_free(struct larchd_config *c)
{
	if (c == NULL)
		return;
	g_free(c->path);
	g_free(c->index);
	g_ptr_array_unref(c->listen);
	g_ptr_array_unref(c->private_lists);
	g_free(c);
}

const struct larchd_private_list *
larchd_config_private_list(const struct larchd_config *c, const char *name)
{
	for (guint i = 0; i < c->private_lists->len; i++) {
		const struct larchd_private_list *l =
		    c->private_lists->pdata[i];

		if (strcmp(l->name, name) == 0)
			return l;
	}
	return NULL;
}

bool
larchd_config_check_listen(const char *addr, char **error)
{
	const char *colon, *port;
	guint64 n;

	if (g_str_has_prefix(addr, "unix:")) {
		if (addr[5] == '\0') {
			*error = g_strdup_printf("bad listen address '%s': "
			    "no socket path", addr);
			return false;
		}
		return true;
	}
	colon = strrchr(addr, ':');
	if (colon == NULL || colon == addr) {
		*error = g_strdup_printf("bad listen address '%s': use "
		    "unix:PATH or HOST:PORT", addr);
		return false;
	}
	port = colon + 1;
	if (!g_ascii_string_to_unsigned(port, 10, 0, 65535, &n, NULL)) {
		*error = g_strdup_printf("bad listen address '%s': port "
		    "must be 0..65535", addr);
		return false;
	}
	if (addr[0] == '[' && colon[-1] != ']') {
		*error = g_strdup_printf("bad listen address '%s': write "
		    "IPv6 hosts as [ADDR]:PORT", addr);
		return false;
	}
	return true;
}

/* Seconds, fractions allowed, as milliseconds within [min_ms, max_ms]. */
static bool
get_seconds(GKeyFile *kf, const char *key, unsigned min_ms, unsigned max_ms,
    unsigned *out, char **error)
{
	char *s = g_key_file_get_string(kf, GROUP, key, NULL);
	char *end;
	double v;
	bool ok = true;

	if (s == NULL)
		return true;
	g_strstrip(s);
	v = g_ascii_strtod(s, &end);
	if (end == s || *end != '\0' || !(v * 1000 >= min_ms) ||
	    !(v * 1000 <= max_ms)) {
		*error = g_strdup_printf("bad value for '%s' in [%s]: '%s' "
		    "is not a number of seconds in %g..%g", key, GROUP, s,
		    min_ms / 1000.0, max_ms / 1000.0);
		ok = false;
	} else {
		*out = (unsigned)(v * 1000 + 0.5);
	}
	g_free(s);
	return ok;
}

/* The keys that hold words rather than numbers. */
static bool
get_words(GKeyFile *kf, struct larchd_config *c, char **error)
{
	char *s;
	bool ok = true;

	if ((s = g_key_file_get_string(kf, GROUP, "log", NULL)) != NULL) {
		g_strstrip(s);
		if (strcmp(s, "syslog") == 0)
			c->log_syslog = 1;
		else if (strcmp(s, "stderr") == 0)
			c->log_syslog = 0;
		else
			ok = false;
		if (!ok)
			*error = g_strdup_printf("bad value for 'log' in "
			    "[%s]: '%s', use stderr or syslog", GROUP, s);
		g_free(s);
	}
	if (ok && (s = g_key_file_get_string(kf, GROUP, "log_level",
	    NULL)) != NULL) {
		static const char *const names[] = {
			"quiet", "warn", "info", "debug",
		};

		g_strstrip(s);
		ok = false;
		for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
			if (strcmp(s, names[i]) == 0) {
				c->log_level = (enum larch_log_level)i;
				ok = true;
			}
		}
		if (!ok)
			*error = g_strdup_printf("bad value for 'log_level' "
			    "in [%s]: '%s', use quiet, warn, info or debug",
			    GROUP, s);
		g_free(s);
	}
	if (ok && (s = g_key_file_get_string(kf, GROUP, "unix_mode",
	    NULL)) != NULL) {
		guint64 mode;

		g_strstrip(s);
		if (!g_ascii_string_to_unsigned(s, 8, 0, 0777, &mode, NULL)) {
			*error = g_strdup_printf("bad value for 'unix_mode' "
			    "in [%s]: '%s', use octal like 0600", GROUP, s);
			ok = false;
		}
		c->unix_mode = (unsigned)mode;
		g_free(s);
	}
	return ok && larch_keyfile_get_bool(kf, GROUP, "map_index",
	    &c->map_index, error);
}

static bool
get_listen(GKeyFile *kf, const char *base, struct larchd_config *c,
    char **error)
{
	char **items = g_key_file_get_string_list(kf, GROUP, "listen", NULL,
	    NULL);
	bool ok = true;

	for (char **p = items; ok && p != NULL && *p != NULL; p++) {
		g_strstrip(*p);
		if (**p == '\0')
			continue;
		ok = larchd_config_check_listen(*p, error);
		if (ok && g_str_has_prefix(*p, "unix:")) {
			char *abs = larch_keyfile_path(base, *p + 5);

			g_ptr_array_add(c->listen, g_strconcat("unix:", abs,
			    NULL));
			g_free(abs);
		} else if (ok) {
			g_ptr_array_add(c->listen, g_strdup(*p));
		}
	}
	g_strfreev(items);
	return ok;
}

/* Every numeric key of [larchd]. */
static bool
get_numbers(GKeyFile *kf, struct larchd_config *c, char **error)
{
	guint64 v;

	v = c->workers;
	if (!larch_keyfile_get_uint(kf, GROUP, "workers", 0, 256, &v, error))
		return false;
	c->workers = (unsigned)v;
	v = c->max_connections;
	if (!larch_keyfile_get_uint(kf, GROUP, "max_connections",
	    1, 1000000, &v, error))
		return false;
	c->max_connections = (unsigned)v;
	v = c->line_max;
	if (!larch_keyfile_get_uint(kf, GROUP, "line_max",
	    64, 1 << 20, &v, error))
		return false;
	c->line_max = (size_t)v;
	v = c->output_high_water;
	if (!larch_keyfile_get_uint(kf, GROUP, "output_high_water",
	    4096, (guint64)1 << 30, &v, error))
		return false;
	c->output_high_water = (size_t)v;
	v = c->raw_max;
	if (!larch_keyfile_get_uint(kf, GROUP, "raw_max",
	    1, (guint64)1 << 31, &v, error))
		return false;
	c->raw_max = v;
	v = c->output_budget;
	if (!larch_keyfile_get_uint(kf, GROUP, "output_budget",
	    (guint64)1 << 20, (guint64)1 << 40, &v, error))
		return false;
	c->output_budget = v;
	v = c->rows_memory;
	if (!larch_keyfile_get_uint(kf, GROUP, "rows_memory",
	    0, (guint64)1 << 40, &v, error))
		return false;
	c->rows_memory = v;
	return get_seconds(kf, "idle_timeout", 100, 86400 * 1000,
	    &c->idle_timeout_ms, error) &&
	    get_seconds(kf, "query_timeout", 0, 3600 * 1000,
	    &c->query_timeout_ms, error);
}

/* A SHA-256 digest written as 64 hex digits; lowercased in place. */
static bool
is_digest(char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		if (!g_ascii_isxdigit(s[n]))
			return false;
		s[n] = g_ascii_tolower(s[n]);
	}
	return n == 64;
}

/*
 * The [list NAME] groups with private = true.  Other keys of those groups
 * (larch-index's list_id, paths...) are not larchd's business and left
 * alone, so one file may serve both programs; a key neither program takes
 * was refused before (larch_keyfile_check_list_groups()).
 */
static bool
get_private_lists(GKeyFile *kf, struct larchd_config *c, char **error)
{
	char **groups = g_key_file_get_groups(kf, NULL);
	bool ok = true;

	for (char **g = groups; ok && *g != NULL; g++) {
		struct larchd_private_list *l;
		char **tokens, *name;
		bool priv = false;

		if (!g_str_has_prefix(*g, "list ") ||
		    !g_key_file_has_key(kf, *g, "private", NULL))
			continue;
		if (!larch_keyfile_get_bool(kf, *g, "private", &priv,
		    error)) {
			ok = false;
			break;
		}
		name = g_strstrip(g_strdup(*g + 5));
		if (!priv || *name == '\0' ||
		    larchd_config_private_list(c, name) != NULL) {
			if (priv)
				*error = g_strdup_printf("[%s]: %s", *g,
				    *name == '\0' ? "no list name" :
				    "the list is named twice");
			ok = !priv;
			g_free(name);
			continue;
		}
		l = g_new0(struct larchd_private_list, 1);
		l->name = name;
		l->digests = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(c->private_lists, l);
		tokens = g_key_file_get_string_list(kf, *g, "tokens", NULL,
		    NULL);
		for (char **t = tokens; ok && t != NULL && *t != NULL; t++) {
			g_strstrip(*t);
			if (**t == '\0')
				continue;
			if (!is_digest(*t)) {
				*error = g_strdup_printf("bad token digest in "
				    "[%s]: '%.16s...' is not 64 hex digits "
				    "(a SHA-256 of the token: sha256sum)", *g,
				    *t);
				ok = false;
				break;
			}
			g_ptr_array_add(l->digests, g_strdup(*t));
		}
		g_strfreev(tokens);
	}
	g_strfreev(groups);
	return ok;
}

enum larch_status
larchd_config_load(const char *path, struct larchd_config **out,
    char **error)
{
	GKeyFile *kf = g_key_file_new();
	GError *err = NULL;
	struct larchd_config *c = larchd_config_new();
	char *base = NULL;
	enum larch_status st = LARCH_ERR_INVALID;

	*out = NULL;
	*error = NULL;
	c->path = g_canonicalize_filename(path, NULL);
	if (!g_key_file_load_from_file(kf, c->path, G_KEY_FILE_NONE, &err)) {
		st = err->domain == G_KEY_FILE_ERROR ? LARCH_ERR_INVALID :
		    LARCH_ERR_IO;
		*error = g_strdup(err->message);
		g_error_free(err);
		goto free_all;
	}
	base = g_path_get_dirname(c->path);
	if (!larch_keyfile_check_keys(kf, GROUP, known_keys, error) ||
	    !larch_keyfile_check_list_groups(kf, error) ||
	    !get_numbers(kf, c, error) || !get_words(kf, c, error) ||
	    !get_listen(kf, base, c, error) ||
	    !get_private_lists(kf, c, error))
		goto free_all;
	if (g_key_file_has_key(kf, GROUP, "index", NULL)) {
		char *s = g_key_file_get_string(kf, GROUP, "index", NULL);

		g_strstrip(s);
		if (*s != '\0')
			c->index = larch_keyfile_path(base, s);
		g_free(s);
	}
	*out = c;
	c = NULL;
	st = LARCH_OK;
free_all:
	if (st != LARCH_OK && *error != NULL) {
		char *full = g_strdup_printf("config '%s': %s", path,
		    *error);

		g_free(*error);
		*error = full;
	}
	larchd_config_free(c);
	g_free(base);
	g_key_file_free(kf);
	return st;
}
