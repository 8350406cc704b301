/*
 * JSON text appended to a GString, without json-glib's builder: larchd's
 * answers (twenty small objects a search), and larch-index's record of
 * every message and state of every file, where json-glib's node tree and
 * its generator, escaping a character at a time, were 6.5% of the parser
 * threads (docs/PERFORMANCE.md, twenty-sixth session).  json-glib still
 * reads all of it back.
 *
 * An object under construction: larch_json_open() appends "{", each
 * member appends ",key:value" (the comma only when needed: it is decided
 * by the byte before, so there is no state to carry), larch_json_close()
 * appends "}".  A NULL key makes an array element.  Nothing checks that
 * calls nest properly: the callers are fixed writers whose tests parse
 * what they write.
 *
 * Strings are escaped as json-glib's generator escapes them ('"', '\\',
 * control characters and DEL; \b \f \n \r \t in their short forms), and
 * also U+2028 and U+2029, which JSON allows raw but line splitters
 * (JavaScript's, Python's splitlines()) take for line ends: a JSON line
 * stays one line.  Invalid UTF-8 becomes U+FFFD (g_utf8_make_valid()),
 * never passed on.
 */
#ifndef LARCH_JSON_OUT_H
#define LARCH_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

void larch_json_open(GString *s);
void larch_json_close(GString *s);
/* A member or element: a string (NULL: null), a number, a boolean. */
void larch_json_str(GString *s, const char *key, const char *value);
void larch_json_int(GString *s, const char *key, int64_t value);
void larch_json_bool(GString *s, const char *key, bool value);
/* A date as an ISO 8601 string, or null for 0. */
void larch_json_date(GString *s, const char *key, int64_t date);
/* A member whose value is already JSON text ("" to follow it with an
 * object: larch_json_open()). */
void larch_json_raw(GString *s, const char *key, const char *json);
/* Starts an array member ("key":[); larch_json_array_close() ends it. */
void larch_json_array_open(GString *s, const char *key);
void larch_json_array_close(GString *s);
/* Appends value as a JSON string literal. */
void larch_json_quote(GString *s, const char *value);
/* json (valid JSON text) with U+2028 and U+2029 escaped; a new string. */
char *larch_json_escape_separators(const char *json);

#endif
