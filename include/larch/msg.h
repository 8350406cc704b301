/*
 * The message model: one mail as larch understands it, independent of the
 * archive it came from and of the index that stores it.
 *
 * A struct larch_msg owns every string and array it points to; free it with
 * larch_msg_free().  Strings are UTF-8 and NUL-terminated.  Fields that a
 * message may lack are NULL (strings) or empty (arrays), never "".
 */
#ifndef LARCH_MSG_H
#define LARCH_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the bytes of a source were framed, so they can be read back. */
enum larch_source_format {
	LARCH_FORMAT_FILE = 0,	/* the whole file is one message (.eml, Maildir) */
	LARCH_FORMAT_MBOXO,	/* mbox, ">From " unescaped by one level only */
	LARCH_FORMAT_MBOXRD,	/* mbox, ">>*From " unescaped by one level */
	LARCH_FORMAT_MBOXCL,	/* mbox framed by Content-Length, no
				 * escaping (also a message of such a
				 * file whose length was wrong) */
	LARCH_FORMAT_PIPERMAIL,	/* Mailman 2 monthly text archive */
	LARCH_FORMAT_PIPERMAIL_HTML, /* one pipermail HTML article page: the
				 * source's bytes are the page, not a mail */
};

/* Where one copy of a message lives: a byte range of the uncompressed
 * stream of a file, from the first byte of its "From " line (mbox) or of
 * its headers (single file) up to, not including, the next separator. */
struct larch_source {
	char *file;		/* absolute path */
	uint64_t offset;
	uint64_t length;
	enum larch_source_format format;
};

/* Where a pipermail HTML archive shows a message: the article page
 * .../<list>/<month>/<number>.html, e.g. igf-mag, "2016-May", 3251 for
 * 2016-May/003251.html.  See larch/article.h. */
struct larch_article {
	char *list;		/* the list's name; NULL only in a parsed URL
				 * tail that names none */
	char *month;		/* "YYYY-Month", English month name */
	uint32_t number;	/* the page's number */
};

struct larch_attachment {
	char *filename;		/* NULL when the part names none */
	char *content_type;	/* "type/subtype", lowercase */
	uint64_t size;		/* decoded size in bytes */
	char *text;		/* UTF-8 text for text-like parts, else NULL */
};

/* A quoted block of a message and, once the threader found it, the message
 * it quotes. */
struct larch_quote {
	char *text;		/* quote markers removed */
	int depth;		/* 1 for "> ", 2 for "> > " ... */
	char *source;		/* mid of the quoted message, or NULL */
	char *attribution;	/* the line that introduced it ("On ...,
				 * Ann wrote:"), or NULL; lines joined by
				 * '\n' when it was wrapped or is a header
				 * block ("-----Original Message-----\n
				 * From: ...\nSent: ...") */
};

/* Bytes of a header's decoded text kept (subject, names, To, Cc, file
 * names): one absurd header must not make every answer showing it too
 * long to send. */
#define LARCH_MAX_HEADER_TEXT 65536

/* Quote linking's normalised texts (include/larch/thread.h). */
struct larch_quote_text;

struct larch_msg {
	char *mid;		/* normalised Message-ID, no angle brackets */
	char *header_mid;	/* what the header said, normalised; NULL if none */
	char *list;		/* short list name */
	GPtrArray *also_lists;	/* char *: other lists it was posted to */
	char *list_id;		/* List-Id value without brackets, or NULL */
	int64_t date;		/* seconds since the epoch, UTC */
	char *from_addr;	/* lowercase address of the real author */
	char *from_name;	/* display name, or NULL */
	bool from_is_list;	/* from_addr is the list's own: it rewrote
				 * From ("Name via list") and no header, nor a
				 * pipermail archive, kept the author's; or
				 * the archive shows the list's address with
				 * the author's name on every post */
	bool headers_cut;	/* set by the parser, not stored: a header's
				 * text was cut to LARCH_MAX_HEADER_TEXT */
	bool mime_cut;		/* set by the parser, not stored: parts
				 * nested past its limit were not read */
	char *subject;		/* decoded, list tag kept */
	char *to;		/* decoded address list as one string, or NULL */
	char *cc;
	char *in_reply_to;	/* normalised Message-ID, or NULL */
	GPtrArray *references;	/* char *: normalised Message-IDs in order */
	char *body;		/* the text the author sent, UTF-8 */
	GPtrArray *attachments;	/* struct larch_attachment * */
	GPtrArray *sources;	/* struct larch_source * */
	GPtrArray *articles;	/* struct larch_article *: its pipermail
				 * HTML pages, in the order found */

	/*
	 * Fingerprints of the body with list footers, scrubber notes,
	 * address obfuscation and whitespace removed: copies of one message
	 * delivered or archived differently share them.  text_hash covers
	 * every letter and digit; ascii_hash only ASCII ones, which survive
	 * a wrong guess of the archive's charset; ascii_len counts those.
	 * shape_hash reads every character outside ASCII, and every '?', as
	 * one and the same, and keeps where words break: pipermail writes
	 * each character its list's charset lacks as '?', so a Russian post
	 * in an English list's archive keeps only its shape.  shape_len
	 * counts its characters.  byte_shape_hash counts each character
	 * outside ASCII once for every byte of its UTF-8: pipermail writes one
	 * '?' a byte when it could not decode the part.
	 */
	char text_hash[17];
	char ascii_hash[17];
	uint32_t ascii_len;
	char shape_hash[17];
	char byte_shape_hash[17];
	uint32_t shape_len;

	/* What the author wrote, from the quote splitter. */
	char *new_text;		/* NULL when the message adds nothing */
	char *summary;
	GPtrArray *quotes;	/* struct larch_quote * */
	char *signature;
	char *footer;
	/* Those texts as quote linking compares them, when made ahead
	 * (larch_thread_prepare_quotes()); shared by copies, not stored. */
	struct larch_quote_text *quote_text;

	/* The conversation, from the threader. */
	char *thread;		/* thread id, or NULL before threading */
	char *parent;		/* the parent's mid (maybe a missing message) */
	int depth;		/* 0 for a thread's root */
	bool inferred_parent;	/* linked by subject, not by headers */
};

/* A new empty message with empty arrays.  Never NULL. */
struct larch_msg *larch_msg_new(void);
void larch_msg_free(struct larch_msg *msg);

/* Frees an attachment and its strings; accepts NULL. */
void larch_attachment_free(struct larch_attachment *attachment);

/* Appends a copy of the source; the message owns the copy. */
void larch_msg_add_source(struct larch_msg *msg, const char *file,
    uint64_t offset, uint64_t length, enum larch_source_format format);

/* Records that the message is shown at the pipermail article list, month,
 * number (copied); does nothing when it is recorded already.  Returns
 * whether it added it. */
bool larch_msg_add_article(struct larch_msg *msg, const char *list,
    const char *month, uint32_t number);

/* Forgets the article list, month, number; returns whether it was
 * there. */
bool larch_msg_remove_article(struct larch_msg *msg, const char *list,
    const char *month, uint32_t number);

/* Frees an article and its strings; accepts NULL. */
void larch_article_free(struct larch_article *article);

/* Whether every source of msg is a pipermail HTML page (and there is at
 * least one): the message is known only from its web archive. */
bool larch_msg_is_page_only(const struct larch_msg *msg);

/* Records that the message was also posted to list (a cross-post); does
 * nothing when it is msg->list or already recorded.  Returns whether it
 * added it. */
bool larch_msg_add_list(struct larch_msg *msg, const char *list);

/* Appends a quote and returns it (its attribution NULL); the message owns
 * the copies of text and source. */
struct larch_quote *larch_msg_add_quote(struct larch_msg *msg,
    const char *text, int depth, const char *source);

/* True when msg already lists this file and offset. */
bool larch_msg_has_source(const struct larch_msg *msg, const char *file,
    uint64_t offset);
/* Takes every source at this file and offset off msg; whether there was
 * one. */
bool larch_msg_remove_source(struct larch_msg *msg, const char *file,
    uint64_t offset);

/* Whether two parsed copies that share a Message-ID are the same message:
 * the same text, the same ASCII text (enough of it to tell), or one of
 * them is a pipermail copy that lost all its text in archiving and the
 * two have one subject (list tags and "Re:" aside) and dates at most two
 * days apart.  Needs larch_fingerprint_init(). */
bool larch_msg_is_same_content(const struct larch_msg *a,
    const struct larch_msg *b);

const char *larch_source_format_name(enum larch_source_format format);

/*
 * A file name as UTF-8 text for JSON (records, source states), and back.
 * A name that is valid UTF-8 is itself.  In one that is not (an old
 * archive's Latin-1 name), each byte of an invalid sequence, 0x80..0xFF,
 * becomes the private-use character U+F700 + byte, so the name survives
 * the round trip and can be opened again; U+FFFD in its place could not.
 * The one name that does not survive is a valid UTF-8 one that already
 * holds U+F780..U+F7FF (private-use characters, not seen in file names):
 * the way back turns them into bytes.  Both return a new string the
 * caller g_free()s.
 */
char *larch_path_to_utf8(const char *path);
char *larch_path_from_utf8(const char *text);

#ifdef __cplusplus
}
#endif
#endif
