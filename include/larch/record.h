/*
 * A message's record as JSON: what the index stores for each message and
 * what `larch-index --export` prints, one object per line.
 *
 * Keys: mid, header_mid, list, lists (every list it was posted to, list
 * first), list_id, date (ISO 8601 UTC), from,
 * from_name, subject, to, cc, in_reply_to, references (array), attachments
 * (array of {filename, content_type, size}), sources (array of {file,
 * offset, length, format}), articles (array of {list, month, number}: the
 * pipermail HTML pages that show it), thread, parent, depth,
 * inferred_parent (bool), from_is_list (bool: "from" is the list's own
 * address, see struct larch_msg),
 * new_text, summary, quotes (array of {text, source, depth}), signature,
 * footer, text_hash, ascii_hash, ascii_len, shape_hash, byte_shape_hash,
 * shape_len.
 * Missing values are null.  body and attachment text are not part of the
 * record.
 */
#ifndef LARCH_RECORD_H
#define LARCH_RECORD_H

#include <stddef.h>

#include "larch/msg.h"
#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One line of JSON, no newline.  Caller g_free()s. */
char *larch_record_to_json(const struct larch_msg *msg);

/* Parses what larch_record_to_json() wrote.  LARCH_ERR_PARSE on bad input.
 * Caller frees *out with larch_msg_free(). */
enum larch_status larch_record_from_json(const char *json, size_t len,
    struct larch_msg **out);

/*
 * The top-level string field key of a record written by
 * larch_record_to_json(), found by scanning rather than parsing
 * (lib/record_scan.c).  A new string (caller g_free()s), or NULL when the
 * key is absent, null or not a string, or the JSON is cut short.
 */
char *larch_record_get_string(const char *json, size_t len, const char *key);

/* "2016-05-26T19:05:00Z"; caller g_free()s. */
char *larch_iso8601(int64_t t);

/* Room for any larch_iso8601_format() result and its NUL: a sign, up to
 * 20 year digits, "-MM-DDTHH:MM:SSZ". */
#define LARCH_ISO8601_MAX 40

/* larch_iso8601() into buf, NUL-terminated; returns its length. */
size_t larch_iso8601_format(int64_t t, char buf[LARCH_ISO8601_MAX]);

#ifdef __cplusplus
}
#endif
#endif
