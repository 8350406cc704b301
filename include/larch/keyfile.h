/*
 * Reading larch's configuration files (GLib key files): the pieces
 * larch-index's and larchd's configurations share.
 */
#ifndef LARCH_KEYFILE_H
#define LARCH_KEYFILE_H

#include <stdbool.h>
#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* value as an absolute, canonical path: relative ones are taken from
 * base (the config file's folder), so a checkout can move without
 * editing its configuration.  Caller g_free()s. */
char *larch_keyfile_path(const char *base, const char *value);

/*
 * Reads [group] key as a decimal integer in [min, max] into *out when the
 * key is there (*out untouched otherwise).  false, with *error a new
 * string "bad value for 'key' in [group]: why", when it is not one.
 */
bool larch_keyfile_get_uint(GKeyFile *kf, const char *group, const char *key,
    guint64 min, guint64 max, guint64 *out, char **error);

/*
 * Reads [group] key as a boolean (true/false, 1/0, as GLib takes them)
 * into *out when the key is there (*out untouched otherwise).  false,
 * with *error a new string "bad value for 'key' in [group]: use true or
 * false", when it is not one.
 */
bool larch_keyfile_get_bool(GKeyFile *kf, const char *group, const char *key,
    bool *out, char **error);

/*
 * Whether every key of [group] is one of known (NULL-terminated): a
 * misspelt key would otherwise be silently not taken.  false, with
 * *error a new string "unknown key 'key' in [group]", when one is not.
 */
bool larch_keyfile_check_keys(GKeyFile *kf, const char *group,
    const char *const *known, char **error);

/*
 * Whether every key of each [list NAME] group is one that larch-index
 * (list_id, paths, fallback_charset, subject_fallback, language) or larchd
 * (private, tokens) takes: one file serves both programs, each reading
 * its own keys, and a misspelt key (a "privte = true" that would leave a
 * private list public) is refused by both.  false, with *error as for
 * larch_keyfile_check_keys(), when one is not.
 */
bool larch_keyfile_check_list_groups(GKeyFile *kf, char **error);

#ifdef __cplusplus
}
#endif
#endif
