/*
 * JSON text written straight into a string, for what larch-index writes
 * for every message and file (records, source states).  json-glib's
 * builder makes a tree of nodes and its generator then walks it, escaping
 * a character at a time: for a record that was 6.5% of the parser threads
 * (docs/PERFORMANCE.md, twenty-sixth session).  The text is what
 * json-glib's generator writes for the same values, without spaces;
 * json-glib reads it back.
 *
 * The caller writes values in order: open a container, give each member
 * its key and then its value, close the container.  Commas are placed
 * here.  Nothing checks that the calls nest properly: the callers are a
 * few fixed writers, and their tests parse what they write.
 */
#ifndef LARCH_JSON_OUT_H
#define LARCH_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

struct larch_json_out {
	GString *text;
	bool comma;	/* a value came before, at this level */
};

/* Starts an empty text, with room for size bytes. */
void larch_json_out_init(struct larch_json_out *j, size_t size);

/* The text written, owned by the caller (g_free); j is released. */
char *larch_json_out_finish(struct larch_json_out *j);

/* '{' or '[' opens an object or array; '}' or ']' closes it. */
void larch_json_out_open(struct larch_json_out *j, char bracket);
void larch_json_out_close(struct larch_json_out *j, char bracket);

/* An object member's key (escaped like a string); its value follows. */
void larch_json_out_key(struct larch_json_out *j, const char *key);

/*
 * A string value, or null for NULL.  Bytes that are not UTF-8 become
 * U+FFFD (as g_utf8_make_valid() repairs them), so the text is always
 * valid JSON; '"', '\\', every control character below U+0020 and DEL
 * are escaped, as json-glib escapes them.
 */
void larch_json_out_string(struct larch_json_out *j, const char *value);
void larch_json_out_int(struct larch_json_out *j, int64_t value);
void larch_json_out_bool(struct larch_json_out *j, bool value);
void larch_json_out_null(struct larch_json_out *j);

/* A member: its key, then the value as above. */
void larch_json_out_string_member(struct larch_json_out *j, const char *key,
    const char *value);
void larch_json_out_int_member(struct larch_json_out *j, const char *key,
    int64_t value);
void larch_json_out_bool_member(struct larch_json_out *j, const char *key,
    bool value);

#endif
