/*
 * Pipermail article references: how people cite a message of a Mailman 2
 * web archive, e.g.
 *
 *   https://lists.example.org/pipermail/igfmaglist_intgovforum.org/2016-May/003251.html
 *
 * names list "igfmaglist_intgovforum.org", month "2016-May" and article
 * number 3251.  A pure parser: no I/O, no index.  To find the message,
 * hand the result to larch_store_find_article() (larch/store.h), e.g. for
 * larchd's SHOW, whose argument may be a Message-ID or such a URL:
 *
 *	struct larch_article a;
 *	const char *why;
 *	char **mids = NULL;
 *
 *	if (larch_article_looks_like(arg)) {
 *		if (larch_article_parse(arg, &a, &why) != LARCH_OK)
 *			... answer "bad article URL: " + why ...
 *		st = larch_store_find_article(store, a.list, a.month,
 *		    a.number, &mids);
 *		// The index may know the list by another name (--list):
 *		if (st == LARCH_ERR_NOT_FOUND && a.list != NULL)
 *			st = larch_store_find_article(store, NULL, a.month,
 *			    a.number, &mids);
 *		larch_article_release(&a);
 *		... mids[0] is the message (more than one only after an
 *		... archive was renumbered); g_strfreev(mids) ...
 *	}
 *
 * struct larch_article itself is part of the message model (larch/msg.h):
 * the indexer records one per HTML page that shows a message.
 */
#ifndef LARCH_ARTICLE_H
#define LARCH_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "larch/msg.h"
#include "larch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parses a reference to a pipermail article page.  Accepted, with
 * surrounding white space or <angle brackets> ignored:
 *
 *   a URL    http(s)://HOST/pipermail/LIST/2016-May/003251.html
 *            (any path; a "?query" or "#fragment" is ignored)
 *   a path   /var/lib/mailman/archives/public/LIST/2016-May/003251.html,
 *            pipermail/LIST/2016-May/003251.html, LIST/2016-May/3251.html
 *   a tail   2016-May/003251.html   (names no list: out->list is NULL)
 *
 * The list is the path element before the month, percent-decoded; the
 * month is "YYYY-Month" with an English month name in any case, written
 * back capitalised ("2016-may" gives "2016-May"), or another volume's
 * folder (larch_article_volume()); the number is the page's
 * decimal number (leading zeros allowed, at most 4294967295).
 *
 * On success fills *out (release it with larch_article_release()) and
 * returns LARCH_OK.  Anything else is LARCH_ERR_PARSE with *out zeroed and
 * *why (if why is not NULL) set to a static, lowercase English reason
 * that says what is wrong, e.g. "'date.html' is an index page of a
 * pipermail month, not an article".  LARCH_ERR_INVALID when text or out
 * is NULL.
 */
enum larch_status larch_article_parse(const char *text,
    struct larch_article *out, const char **why);

/*
 * Whether text is meant as an article reference rather than a Message-ID:
 * it ends in ".html" (before any "?query" or "#fragment", white space and
 * angle brackets aside) or holds "://" or "/pipermail/".  Message-IDs do
 * neither in practice.  Says nothing about whether it parses: call
 * larch_article_parse() for that, and for the reason when it does not.
 */
bool larch_article_looks_like(const char *text);

/* Frees the strings of an article filled by larch_article_parse() and
 * zeroes it; accepts NULL. */
void larch_article_release(struct larch_article *article);

/*
 * The canonical name of the Mailman archive volume folder that the len
 * bytes at s name, else NULL: a month, "2016-May" (the default volume;
 * "2016-may", "2016-MAY" too), or, with another archive_volume_frequency,
 * a year "2016", a quarter "2016q2", a week "Week-of-Mon-20160502" or a
 * day "20160502".  An article's month field holds this name.  Caller
 * g_free()s.
 */
char *larch_article_volume(const char *s, size_t len);

/* The page's place in its month: "2016-May/003251.html" (six digits at
 * least, as Mailman writes them).  Caller g_free()s. */
char *larch_article_tail(const struct larch_article *article);

#ifdef __cplusplus
}
#endif
#endif
