/*
 * Content fingerprints: what stays the same between copies of one message
 * delivered with a list footer, archived by pipermail without it, re-encoded
 * or re-wrapped.  See struct larch_msg.
 */
#ifndef LARCH_FINGERPRINT_H
#define LARCH_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Call once before use (compiles patterns); thread-safe afterwards. */
void larch_fingerprint_init(void);

/*
 * Computes text_hash and ascii_hash (16 lowercase hex digits each, NUL
 * terminated) and ascii_len for the UTF-8 body: list footers, pipermail
 * scrubber notes, address obfuscation ("user at host"), quoting of "From "
 * lines and all whitespace and punctuation are ignored.
 */
void larch_fingerprint(const char *body, size_t len, char text_hash[17],
    char ascii_hash[17], uint32_t *ascii_len);

#ifdef __cplusplus
}
#endif
#endif
