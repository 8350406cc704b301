/* Which message a request names; see resolve.h. */
#include <string.h>

#include "larch/article.h"
#include "larch/mid.h"
#include "privacy.h"
#include "resolve.h"

/* The first of mids (NULL-terminated or NULL) the client may see, as a
 * new string, or NULL. */
static char *
first_visible(struct job *job, struct larch_store *store, char **mids)
{
	for (size_t i = 0; mids != NULL && mids[i] != NULL; i++)
		if (!privacy_is_hidden_mid(job, store, mids[i]))
			return g_strdup(mids[i]);
	return NULL;
}

/*
 * The message shown on an article page; the page's list folder may not
 * be the list's name in the index (--list renamed it), so a miss under
 * the list is retried under any list.  Pages of hidden lists are not
 * there: a tail that a public and a private list share names the public
 * page, and one that only a private list has gets the answer of a page
 * that exists nowhere.
 */
static char *
article_mid(struct job *job, struct larch_store *store, const char *arg,
    enum larch_status *status)
{
	struct larch_article a;
	const char *why = NULL;
	char **mids = NULL, *mid = NULL;

	if (larch_article_parse(arg, &a, &why) != LARCH_OK) {
		job->error = g_strdup_printf("bad article address '%.64s': %s",
		    arg, why != NULL ? why : "not understood");
		*status = LARCH_ERR_INVALID;
		return NULL;
	}
	*status = larch_store_find_article(store, a.list, a.month, a.number,
	    &mids);
	/* Only a list that holds no such page: a hidden page of the list
	 * named must not lead to another list's page. */
	if (*status == LARCH_ERR_NOT_FOUND && a.list != NULL)
		*status = larch_store_find_article(store, NULL, a.month,
		    a.number, &mids);
	if (*status == LARCH_OK)
		mid = first_visible(job, store, mids);
	if (mid == NULL && (*status == LARCH_OK ||
	    *status == LARCH_ERR_NOT_FOUND)) {
		*status = LARCH_ERR_NOT_FOUND;
		job->error = g_strdup_printf("no message on article page "
		    "'%.64s': the index holds no page of that month and "
		    "number (larch-index reads the archive's LIST/YYYY-Month/"
		    "NNNNNN.html pages)", arg);
	}
	g_strfreev(mids);
	larch_article_release(&a);
	return mid;
}

char *
resolve_mid(struct job *job, struct larch_store *store,
    enum larch_status *status)
{
	const char *arg = job->req->argv[0];
	char *mid;

	if (larch_article_looks_like(arg))
		return article_mid(job, store, arg, status);
	mid = larch_mid_normalise(arg);
	if (mid == NULL) {
		job->error = g_strdup_printf("no message '%.64s'", arg);
		*status = LARCH_ERR_NOT_FOUND;
	}
	return mid;
}

/* A thread id as rows and SUMMARY give it: "t" and 12 hex digits; an
 * error naming one says there is no such message or thread. */
static bool
is_thread_id(const char *s)
{
	if (s[0] != 't' || strlen(s) != 13)
		return false;
	for (size_t i = 1; i < 13; i++)
		if (!g_ascii_isxdigit(s[i]))
			return false;
	return true;
}

enum larch_status
resolve_thread_rows(struct job *job, struct larch_store *store,
    struct larch_search_result **res)
{
	const char *arg = job->req->argv[0];
	enum larch_status st;
	char *mid = resolve_mid(job, store, &st);

	if (mid == NULL)
		return st;
	st = larch_store_thread_rows(store, mid,
	    (const char *const *)job->hidden, res);
	g_free(mid);
	/* The store takes a thread's id too (the second field of a row,
	 * SUMMARY's status line), so the words name both. */
	if (st == LARCH_ERR_NOT_FOUND && job->error == NULL)
		job->error = g_strdup_printf("no message%s '%.64s'",
		    is_thread_id(arg) ? " or thread" : "", arg);
	return st;
}
