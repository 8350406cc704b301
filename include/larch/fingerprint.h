/*
 * Content fingerprints: what stays the same between copies of one message
 * delivered with a list footer, archived by pipermail without it, re-encoded
 * or re-wrapped.  See struct larch_msg.
 */
#ifndef LARCH_FINGERPRINT_H
#define LARCH_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "larch/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Call once before use (compiles patterns); thread-safe afterwards. */
void larch_fingerprint_init(void);

/*
 * Sets msg's text_hash, ascii_hash, shape_hash and byte_shape_hash (16
 * lowercase hex digits each, NUL terminated), ascii_len and shape_len from
 * the UTF-8 body (len
 * bytes; NULL is empty): list footers, pipermail scrubber notes, address
 * obfuscation ("user at host"), quoting of "From " lines and all
 * whitespace and punctuation are ignored.  Nothing else of msg changes.
 */
void larch_fingerprint(const char *body, size_t len, struct larch_msg *msg);

#ifdef __cplusplus
}
#endif
#endif
