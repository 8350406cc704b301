/*
 * Declarations shared by the files of the message parser: parse.c (the
 * message), parse_head.c (the header block before GMime reads it),
 * parse_mime.c (the MIME walk, flowed text), parse_text.c
 * (charsets, header words), parse_date.c (dates), charset_guess.c
 * (undeclared charsets),
 * charset_jis.c (ISO-2022-JP), parse_addr.c (addresses, authors, header
 * access) and html.c.
 * Not a public interface: nothing outside lib/parse*.c and lib/html.c
 * includes this, since it brings in GMime.
 *
 * Every function here accepts arbitrary bytes (not necessarily UTF-8, maybe
 * huge, maybe malformed) and returns valid UTF-8 without NUL bytes.
 */
#ifndef LARCH_PARSE_PRIVATE_H
#define LARCH_PARSE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include <gmime/gmime.h>

/* The charset for undeclared 8-bit text when the caller names none:
 * guessed (charset_guess.c). */
#define LARCH_DEFAULT_FALLBACK LARCH_FALLBACK_AUTO
#define LARCH_FALLBACK_AUTO "auto"

/* charset_guess.c */

/* What the guess looks at of a text: enough to judge, and a bound on the
 * work for a huge part. */
#define LARCH_GUESS_BYTES (64u * 1024)

/*
 * The iconv name of the charset that undeclared 8-bit text (not UTF-8)
 * most plausibly is in: "WINDOWS-1252", unless KOI8-R, WINDOWS-1251,
 * GB18030, BIG5, SHIFT_JIS, EUC-KR or EUC-JP reads its words clearly
 * better (one script per word, sane letter case, no stray symbols); among
 * East Asian readings about as clean, the one that is plainly Korean or
 * Japanese text, else GB18030.  Looks at the first LARCH_GUESS_BYTES.
 * Returns a static string.
 */
const char *larch_charset_guess(const char *bytes, size_t len);

/*
 * The charset to read declared 8-bit text with: declared (an iconv name),
 * unless it is a single-byte charset known to be mislabelled often
 * (windows-1252, ISO-8859-1/15, KOI8-R/U, windows-1251, ISO-8859-5,
 * CP866), its reading looks broken the way mojibake does, and one of
 * the single-byte candidates of larch_charset_guess() (windows-1252,
 * KOI8-R, windows-1251) reads the text at least twice as cleanly.
 * Returns declared or a static string.
 */
const char *larch_charset_recheck(const char *bytes, size_t len,
    const char *declared);

/* charset_jis.c */

/* Whether a charset name (lowercase or not) is ISO-2022-JP's or one of
 * its Windows forms' (CP50220, CP50221), read by larch_jis_decode(). */
bool larch_charset_is_jis(const char *name);

/*
 * Appends ISO-2022-JP bytes[0, len) to out as UTF-8, Windows' characters
 * (NEC row 13, the IBM rows, half-width katakana after "ESC ( I") and
 * JIS X 0212 included.  Returns how many characters became U+FFFD: a
 * code no table has, a byte out of place, an unknown escape.
 */
size_t larch_jis_decode(GString *out, const char *bytes, size_t len);

/* mojibake.c */

/*
 * Repairs, in place, UTF-8 text that was read as windows-1252 on its way
 * and written out as UTF-8 again ("RaÃºl" for "Raúl", "â€™" for "’"),
 * and windows-1252 read as Latin-1 (U+0093 for "“"); lib/mojibake.c says
 * which runs count.  s must be valid UTF-8.  Returns whether anything
 * changed.
 */
bool larch_mojibake_repair(GString *s);

/* parse_text.c */

/* The character windows-1252 byte b stands for, as WHATWG maps them: the
 * five bytes it has no character for (0x81, 0x8D, 0x8F, 0x90, 0x9D) are
 * the C1 controls of the same value, as Latin-1 reads every byte. */
gunichar larch_cp1252_char(unsigned char b);

/*
 * Converts len bytes in charset (a MIME charset name, maybe bogus, or NULL
 * when undeclared) to UTF-8: known charsets (and their aliases) through
 * iconv; unknown, lying or failing ones as UTF-8 when the bytes are valid
 * UTF-8, else through fallback.  NUL bytes are dropped, and text that
 * was UTF-8 read as windows-1252 on its way is repaired
 * (larch_mojibake_repair()).  Returns a new string (caller g_free()s);
 * *out_len gets its length when not NULL.
 *
 * fallback is a charset name, "auto" (a guess at the bytes) or several of
 * them separated by commas, tried in order: the first that decodes the
 * bytes without error is taken, windows-1252 when none does.
 */
char *larch_text_decode(const char *bytes, size_t len, const char *charset,
    const char *fallback, size_t *out_len);

/* Whether text in a MIME charset can be read as such: it is declared
 * (not missing or bogus: "us-ascii" on 8-bit text, "x-unknown", "true")
 * and iconv knows it. */
bool larch_charset_is_known(const char *charset);

/* Whether a MIME charset name is one of UTF-8's. */
bool larch_charset_is_utf8(const char *charset);

/*
 * Decodes a raw header value: unfolds it, decodes RFC 2047 encoded words
 * (loosely: inside quotes and words too) and raw 8-bit bytes, turns control
 * characters into spaces and, when collapse is true, squeezes runs of
 * whitespace into one space.  Trimmed.  Returns a new string, never NULL.
 */
char *larch_header_decode(const char *raw, const char *fallback,
    bool collapse);

/* The raw value without line breaks, trimmed.  New string, never NULL. */
char *larch_header_unfold(const char *raw);

/*
 * Turns CRLF and lone CR into LF, in place; returns the new length.
 */
size_t larch_text_normalise_eol(char *text, size_t len);

/* Whether s holds nothing but ASCII blanks (or nothing). */
bool larch_text_all_space(const GString *s);

/* Cuts text (UTF-8) to at most max bytes at a character boundary, in
 * place; max 0 means no limit.  Returns the new length. */
size_t larch_text_truncate(char *text, size_t len, size_t max);

/* parse_date.c */

/* A Date-style value as seconds since the epoch, or 0 when unreadable;
 * a 12-hour time's "PM" counts. */
int64_t larch_header_date(const char *raw);

/* Whether t is plausible for a mail: after 1975, at most 2 days ahead. */
bool larch_date_is_sane(int64_t t);

/* The date of the last Received header (the first relay), or 0. */
int64_t larch_received_date(GMimeObject *obj);

/* html.c */

/*
 * Renders UTF-8 HTML as plain text: script, style and head dropped, block
 * elements and <br> as line breaks, entities decoded, whitespace
 * collapsed, blockquote content as lines prefixed with "> " per level.
 * Returns a new string (caller g_free()s), never NULL.
 */
char *larch_html_to_text(const char *html, size_t len);

/*
 * The charset a <meta> tag in the head of HTML declares ("<meta
 * charset=x>", or the http-equiv Content-Type form), or NULL.  Looks at
 * the first 16 KiB at most.  Caller g_free()s.
 */
char *larch_html_meta_charset(const char *html, size_t len);

/* parse_addr.c */

struct larch_addr {
	char *name;	/* decoded display name or comment, or NULL */
	char *addr;	/* the address as written (not lowercased), or NULL */
};

/*
 * Parses a raw address-list header value tolerantly: mailboxes, groups,
 * bare addresses, "addr (Name)", unterminated brackets.  Returns an array
 * of struct larch_addr * (freed with the array), possibly empty.
 */
GPtrArray *larch_addr_parse(const char *raw, const char *fallback);

/*
 * When name is a list's rewriting of an author's name ("Jane Doe via
 * list", "'Jane Doe' via list"), returns the author's name as a new string;
 * otherwise NULL.
 */
char *larch_addr_strip_via(const char *name);

/* The address of a "<mailto:list@host>" (List-Post) value, or NULL. */
char *larch_addr_from_mailto(const char *raw);

/* Case-insensitive equality of two addresses; false when one is NULL. */
bool larch_addr_equal(const char *a, const char *b);

/* How header values of one message are decoded. */
struct larch_hdr_ctx {
	const char *fallback;	/* charset for raw 8-bit bytes */
	bool pipermail;		/* un-obfuscate address headers */
};

/* The raw value of the first header called name (any case) with a
 * non-blank value, or NULL; owned by obj. */
const char *larch_header_raw(GMimeObject *obj, const char *name);

/* The decoded, whitespace-collapsed header, or NULL when absent or blank.
 * Caller frees. */
char *larch_header_text(const struct larch_hdr_ctx *c, GMimeObject *obj,
    const char *name);

/* Every header called name (To, Cc), decoded and joined with ", ", or
 * NULL.  Caller frees. */
char *larch_header_addresses(const struct larch_hdr_ctx *c,
    GMimeObject *obj, const char *name);

/* The list's own address, from List-Post or X-BeenThere, or NULL.  Caller
 * frees. */
char *larch_list_address(const struct larch_hdr_ctx *c, GMimeObject *obj);

struct larch_author {
	char *name;	/* display name, or NULL */
	char *addr;	/* address as written, or NULL */
	bool via;	/* From was a list's "Name via list" rewriting */
	bool addr_is_list;	/* via, and no header named the author's
				 * own address: addr is the list's */
};

/*
 * The author of obj's headers: From (else Sender), with "Name via list"
 * rewriting undone through Reply-To, X-Original-From or a Cc naming the
 * same person.  Release *out with larch_author_release().
 */
void larch_author_find(const struct larch_hdr_ctx *c, GMimeObject *obj,
    const char *list_addr, struct larch_author *out);
void larch_author_release(struct larch_author *a);

/* parse_param.c */

/*
 * The raw bytes of parameter param (any case; not its RFC 2231 "param*"
 * forms) of the first header called header of obj, quotes and quoting
 * backslashes taken off, or NULL when there is none.  Caller g_free()s.
 */
char *larch_header_raw_param(GMimeObject *obj, const char *header,
    const char *param);

/* parse.c and parse_mime.c */

struct larch_parse_opts;

/* What parsing one message knows and collects, on the parser's stack. */
struct larch_parse_ctx {
	const struct larch_parse_opts *opts;
	/* How headers are decoded; its fallback (the message's charset
	 * first) reads the message's own undeclared text too. */
	struct larch_hdr_ctx hdr;
	const char *fallback;	/* the list's: for attachments */
	GString *body;
	GPtrArray *attachments;	/* struct larch_attachment * */
	guint parts;
	/* The first text/plain part shown inline under a file name: the
	 * body when no other part is (parse_mime.c). */
	GMimeObject *inline_named;
	/* Parts nested past the walk's limit were left unread. */
	bool mime_cut;
};

/* parse_mime.c */

/*
 * Walks the MIME tree under obj (the message's top part): the text a
 * reader sees goes to c->body, attachments (owned by c->attachments) are
 * added, and c->parts counts the parts looked at.
 */
void larch_mime_walk(struct larch_parse_ctx *c, GMimeObject *obj);

/*
 * The charset of the part under top (the message's top part) that the
 * walk reads as its text first: the one its Content-Type declares, or
 * its HTML's <meta> tag, as a new string; NULL when it declares none (or
 * there is no such part), and then its bytes are appended to undeclared
 * when they are not UTF-8 (after a line break when undeclared is not
 * empty), for a guess.
 */
char *larch_mime_text_charset(GMimeObject *top, GString *undeclared);

/*
 * Appends text[0, n) to c->body without its leading blank lines and
 * trailing whitespace, a blank line apart from what is there already.
 */
void larch_body_append(struct larch_parse_ctx *c, const char *text,
    size_t n);

/* parse_head.c */

/* Where the header of bytes[0, len) starts: after an mbox "From " line
 * and blank lines; -1 when no header field follows. */
gssize larch_parse_header_start(const char *bytes, size_t len);

/* Where a message's body starts in bytes[0, len): after the first empty
 * line, or len. */
size_t larch_parse_body_start(const char *bytes, size_t len);

/* Removes the NUL bytes of the header block of p[0, len), in place;
 * returns the new length.  GMime keeps header values as C strings, so a
 * NUL cut a field there (a Subject "mes\0sage" read as "mes"); text parts
 * drop them as they are decoded (larch_text_decode), headers now do
 * too. */
size_t larch_parse_drop_header_nuls(char *p, size_t len);

/*
 * A copy of bytes[0, len), a header block that the end of the input cut
 * inside its last line, which is no field (yet): "To: x\nSubje".  GMime
 * gives up on such a header, and every field before the cut would be
 * lost with it; damaged lines before the last it skips itself.  The last
 * line is dropped when it can only be the start of a field's name (a
 * cut field, not text), else it becomes the body.  NULL when the input
 * is not so cut.  The caller g_free()s the copy.
 */
char *larch_parse_end_header_early(const char *bytes, size_t len,
    size_t *out_len);

/*
 * A copy of bytes[0, len) with the empty line put where its header block
 * runs into text with none between (Python's test msg_35: "Subject: x\n
 * counter to RFC 2822, there's no separating newline here"): before the
 * first line that is neither a field nor a fold when no field follows
 * it.  GMime skips such lines as damaged fields, and the start of the
 * text was lost; Python's email package reads them as the body too.
 * NULL when the header block ends well.  The caller g_free()s the copy.
 */
char *larch_parse_end_header_at_text(const char *bytes, size_t len,
    size_t *out_len);

/*
 * Pipermail before about 2004 archived a multipart message's body whole
 * but dropped its Content-Type header, so the text holds MIME boundary
 * lines and part headers ("----Security_Multipart(...)--", "Content-Type:
 * Text/Plain"), maybe after a preamble ("This is an OpenPGP/MIME signed
 * message"), and every part, signature and base64 attachment included,
 * read as the author's text.  Given its header back, GMime reads the parts
 * (lib/parse_multipart.c).  A boundary is a "--" line within the first 30
 * lines of the body, with part headers right below it, that starts a line
 * again further down.  Returns the message bytes[0, len) with that header
 * (*out_len bytes, the caller g_free()s it), or NULL when it is not such a
 * message or has a Content-Type.
 */
char *larch_parse_mend_multipart(const char *bytes, size_t len,
    size_t *out_len);

#endif
