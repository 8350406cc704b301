/*
 * Envelope lines: the "From " lines that separate messages in mbox and
 * pipermail archives, the address and date they carry, and the file names
 * that say what an archive holds.  Pure functions of their arguments but
 * for the look at a Maildir's folders; the splitter does the reading.
 */
#ifndef LARCH_ENVELOPE_H
#define LARCH_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

/*
 * Whether line[0, n), without its line end, has the strict envelope form
 * (an address, then an asctime or RFC 822 date).  Only that: the caller
 * still checks that a header field follows.  When from is not NULL and the
 * line matches, the envelope is taken apart: from (owned by the caller) is
 * replaced by the address, un-obfuscated and empty for "-"; *date gets
 * seconds since the epoch, 0 when the date makes no sense; *obfuscated says
 * whether the address was written "user at host", which only pipermail
 * does.  date and obfuscated may be NULL only when from is.
 */
bool larch_envelope_match(const char *line, size_t n, GString *from,
    int64_t *date, bool *obfuscated);

/* Whether the path names a file of one message: .eml(.gz), or a file in a
 * Maildir's cur/ or new/ (larch_walk_in_maildir(), which looks at the
 * folders: a folder merely named new is not a Maildir's). */
bool larch_envelope_is_message_name(const char *path);

/* Whether the path's last component is a Mailman 2 archive volume's
 * name: YYYY-Month (monthly), YYYY, YYYYqN, Week-of-Mon-YYYYMMDD or
 * YYYYMMDD, then .txt or .txt.gz. */
bool larch_envelope_is_pipermail_name(const char *path);

#endif
