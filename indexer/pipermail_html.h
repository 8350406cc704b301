/*
 * Pipermail HTML article pages: the .../<list>/<YYYY-Month>/NNNNNN.html
 * files of a Mailman 2 web archive, read as messages.
 *
 * A page shows one message: its subject (<H1>), author (<B>) and
 * obfuscated address (the mailto link's text), date (<I>) and body (the
 * <PRE> between <!--beginarticle--> and <!--endarticle-->).  The mailto
 * link also carries an In-Reply-To value, which means two things:
 *
 *   Mailman 2.1.6 and later  the page's own Message-ID in angle brackets,
 *                            with "Re: " put before the Subject value;
 *   earlier versions         the In-Reply-To of the message (its parent),
 *                            without brackets; the page does not name its
 *                            own id at all.
 *
 * The index pages of a month (date.html, thread.html, author.html,
 * subject.html, index.html) are not articles.
 */
#ifndef LARCH_INDEXER_PIPERMAIL_HTML_H
#define LARCH_INDEXER_PIPERMAIL_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "larch/msg.h"
#include "larch/status.h"

/* Whether path's name is an article page's: digits and ".html", in a
 * YYYY-Month folder. */
bool larch_pipermail_html_is_article_name(const char *path);

/* Whether the len bytes at buf (a file's start, 64 KiB are plenty) hold
 * a pipermail article: Mailman's <!--beginarticle--> marker. */
bool larch_pipermail_html_is_article(const char *buf, size_t len);

struct larch_pipermail_html_opts {
	/* For pages whose bytes are not in the charset they declare;
	 * NULL means "windows-1252". */
	const char *fallback_charset;
	/* The page's volume folder ("2016-May", larch_article_volume()),
	 * or NULL: gives the month when the date is written in another
	 * language and the folder names one. */
	const char *month;
	/* Bytes of body text kept (0: no limit), cut at a character. */
	size_t max_text;
};

/*
 * Parses the len bytes of a page into *out: mid and header_mid (the
 * page's own Message-ID when it names it; else header_mid is NULL and mid
 * is derived from author, date, subject and body, so the same page gives
 * the same id), in_reply_to (only an older page names it), from_addr,
 * from_name, date, subject, body and the fingerprints.  No list, sources
 * or articles: the caller knows them.  Needs larch_fingerprint_init().
 * Returns LARCH_ERR_PARSE with a static reason in *why when the bytes are
 * not an article page.  The caller frees *out.
 */
enum larch_status larch_pipermail_html_parse(const char *page, size_t len,
    const struct larch_pipermail_html_opts *opts, struct larch_msg **out,
    const char **why);

#endif
