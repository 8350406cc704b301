/*
 * The message parser: raw RFC 5322 bytes to a struct larch_msg.  The only
 * module that sees GMime.
 */
#ifndef LARCH_PARSE_H
#define LARCH_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "larch/msg.h"
#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct larch_parse_opts {
	/* Charset for undeclared 8-bit text that is not valid UTF-8;
	 * NULL means "windows-1252". */
	const char *fallback_charset;
	/* The bytes come from a pipermail .txt archive: un-obfuscate
	 * "user at host (Name)" addresses and expect no MIME headers. */
	bool pipermail;
	/* Date of the archive's separator line, or 0: used when the Date
	 * header is missing or absurd. */
	int64_t envelope_date;
	/* Address on the separator line (already un-obfuscated), or NULL:
	 * used when there is no From header. */
	const char *envelope_from;
	/* Bytes of the text of one part kept for indexing (body and each
	 * attachment); longer text is cut at a character boundary. */
	size_t max_text;
};

/* Call once per process before any other parse function; thread-safe
 * afterwards.  larch_parse_shutdown() releases GMime's globals. */
void larch_parse_init(void);
void larch_parse_shutdown(void);

/*
 * Parses len bytes (LF or CRLF line ends) into *out.  The message's mid is
 * set (derived from content when the header has none); list, sources and
 * the fingerprints are filled in too except list, which the caller decides.
 * Never fails on malformed mail: it returns what it could make of it.
 * Returns LARCH_ERR_PARSE only when the bytes hold no header at all, with a
 * reason in *why (static string).  The caller frees *out.
 */
enum larch_status larch_parse_message(const char *bytes, size_t len,
    const struct larch_parse_opts *opts, struct larch_msg **out,
    const char **why);

/*
 * Un-obfuscates pipermail addresses: "user at host (Name)" becomes
 * "Name <user@host>", "user at host" becomes "user@host".  Returns a new
 * string the caller frees.
 */
char *larch_pipermail_unobfuscate(const char *value);

#ifdef __cplusplus
}
#endif
#endif
