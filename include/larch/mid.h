/* Message-ID normalisation and derived ids. */
#ifndef LARCH_MID_H
#define LARCH_MID_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Normalises one Message-ID as found in a header: takes the first
 * <...> token (or the bare token when there are no brackets), drops the
 * brackets, surrounding space, comments and internal whitespace, and
 * lowercases the domain part.  Returns a new string the caller frees with
 * g_free(), or NULL when nothing usable is there.
 */
char *larch_mid_normalise(const char *header);

/*
 * Parses a References or In-Reply-To value into normalised ids, in order,
 * dropping duplicates, junk between the brackets and ids without an '@'
 * ("<yes>").  Appends to out
 * (char * elements, owned by out's free function, which must be g_free).
 */
void larch_mid_parse_list(const char *header, GPtrArray *out);

/*
 * An id for a message that has none, derived from its content so that a
 * re-import finds the same id: "<hex>@larch.invalid".  Caller frees.
 */
char *larch_mid_from_content(const char *bytes, size_t len);

/*
 * The id given to a second, different message that reuses mid:
 * "<mid>.dup-<hash>" with the hash taken from its content fingerprint, so
 * the same clash always yields the same id.  Caller frees.
 */
char *larch_mid_derive_duplicate(const char *mid, const char *text_hash);

/*
 * Whether the normalised id mid is one Mailman's archiver made up for a
 * message that came without one: "mailman.<n>.<time>[.<pid>].<list>@host".
 * The subscribers' copies of that message carry no id.
 */
bool larch_mid_is_archive_assigned(const char *mid);

#ifdef __cplusplus
}
#endif
#endif
