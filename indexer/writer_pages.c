/*
 * The writer's part for pipermail HTML pages (see writer.c): which
 * message a page shows, by its Message-ID or, for a page without one, by
 * finding its twin among the indexed messages; a mail copy taking over a
 * message known so far only from its pages.  Separate from writer.c
 * because matching id-less pages and their mail copies is a topic of its
 * own, about a third of the writer.
 */
#include <string.h>

#include "larch/mid.h"
#include "threader.h"
#include "writer_private.h"

/* ---- pipermail HTML pages ------------------------------------------ */

/*
 * A page's source comes after every mail source, so that a message's
 * sources are in the same order whichever was read first, and RAW finds
 * a mail copy first.  Moves the source just added before the pages.
 */
void
writer_place_before_pages(struct larch_msg *msg)
{
	GPtrArray *s = msg->sources;
	guint last = s->len - 1;

	if (s->len < 2 || ((struct larch_source *)s->pdata[last])->format ==
	    LARCH_FORMAT_PIPERMAIL_HTML)
		return;
	for (guint i = 0; i < last; i++) {
		if (((struct larch_source *)s->pdata[i])->format ==
		    LARCH_FORMAT_PIPERMAIL_HTML) {
			g_ptr_array_insert(s, (gint)i,
			    g_ptr_array_steal_index(s, last));
			return;
		}
	}
}

/*
 * A page without a Message-ID and a mail copy of its message are matched
 * by author, subject, text (the fingerprints) and date.  The dates may
 * differ by a time zone (the page shows when Mailman got the message, in
 * the server's zone; a text archive's Date often has no zone) plus some
 * clock skew: of several candidates the one nearest a whole number of
 * quarter hours away wins.  Date and subject alone are not enough: one
 * author often answers one thread twice in a day.  An id-less page names
 * the In-Reply-To of its message (or none): the mail copy's must be the
 * same.
 */
#define TWIN_WINDOW (26 * 3600)

/* Which messages find_twin() may take for like's twin. */
enum twin_kind {
	TWIN_ANY,
	TWIN_PAGE_ONLY,		/* only messages known from id-less pages */
	TWIN_OTHER_ID,		/* like has no id and the twin one that
				 * Mailman's archiver made up, or none either
				 * (copies dated apart derive other ids), or
				 * the reverse */
};

struct twins {
	struct writer *w;
	const struct larch_msg *like;
	const char *file;	/* where like is being read from */
	enum twin_kind kind;
	struct larch_msg *best;
	int64_t best_score;
};

/* How far d seconds are from a whole number of quarter hours. */
static int64_t
zone_residual(int64_t d)
{
	int64_t r = (d < 0 ? -d : d) % 900;

	return MIN(r, 900 - r);
}

/* How far apart two id-less copies of one message may be dated: the
 * envelope and the Received header of one delivery are seconds apart;
 * an author who sends the same text again does so later. */
#define IDLESS_TWIN_SECONDS 600

bool
writer_shares_file(const struct larch_msg *m, const char *file)
{
	for (guint i = 0; i < m->sources->len; i++)
		if (strcmp(((const struct larch_source *)
		    m->sources->pdata[i])->file, file) == 0)
			return true;
	return false;
}

/* Whether m, dated d seconds from t->like, may be its twin. */
static bool
is_twin_kind(const struct twins *t, const struct larch_msg *m, int64_t d)
{
	switch (t->kind) {
	case TWIN_PAGE_ONLY:
		return m->header_mid == NULL && larch_msg_is_page_only(m);
	case TWIN_OTHER_ID:
		/* Two copies of one message are in two archives; a text
		 * that one archive holds twice was posted twice. */
		if (larch_msg_is_page_only(m) || writer_shares_file(m, t->file))
			return false;
		if (t->like->header_mid != NULL)
			return m->header_mid == NULL;
		if (m->header_mid != NULL)
			return larch_mid_is_archive_assigned(m->header_mid);
		/* Both without an id: one delivery read twice, not one
		 * text posted twice (twisted's divunal-author has a post
		 * sent again 96 minutes later). */
		return d <= IDLESS_TWIN_SECONDS && d >= -IDLESS_TWIN_SECONDS;
	case TWIN_ANY:
		break;
	}
	return true;
}

static enum larch_status
consider_twin(const struct larch_msg *link, void *data)
{
	struct twins *t = data;
	struct larch_msg *m = NULL;
	enum larch_status st;
	int64_t d = link->date - t->like->date, score;

	if (strcmp(link->mid, t->like->mid) == 0)
		return LARCH_OK;
	st = larch_store_get(t->w->store, link->mid, &m);
	if (st != LARCH_OK)
		return st == LARCH_ERR_NOT_FOUND ? LARCH_OK : st;
	score = zone_residual(d) * 1000000 + (d < 0 ? -d : d);
	if (!is_twin_kind(t, m, d) ||
	    g_strcmp0(m->in_reply_to, t->like->in_reply_to) != 0 ||
	    !larch_msg_is_same_content(m, t->like) ||
	    (t->best != NULL && score >= t->best_score)) {
		larch_msg_free(m);
		return LARCH_OK;
	}
	larch_msg_free(t->best);
	t->best = m;
	t->best_score = score;
	return LARCH_OK;
}

/* The indexed message that like (read from job's file: a page without an
 * id, or a mail copy of one, or see TWIN_OTHER_ID) shows, or *out NULL.
 * The caller frees *out. */
static enum larch_status
find_twin(struct writer *w, const struct job *job,
    const struct larch_msg *like, enum twin_kind kind,
    struct larch_msg **out)
{
	struct twins t = { w, like, job->run->state.file, kind, NULL, 0 };
	enum larch_status st;

	*out = NULL;
	if (like->from_addr == NULL || like->subject == NULL)
		return LARCH_OK;
	st = larch_store_author_subject_links(w->store, like->from_addr,
	    like->subject, like->date - TWIN_WINDOW, like->date + TWIN_WINDOW,
	    consider_twin, &t);
	if (st != LARCH_OK) {
		larch_msg_free(t.best);
		return st;
	}
	*out = t.best;
	return LARCH_OK;
}

/*
 * A mail copy not indexed under its id: a new message, unless a page
 * without a Message-ID showed it first, or unless it is a message that
 * came without an id and Mailman's archiver gave one to its archived copy
 * (or the reverse), or whose other copy, dated differently (a message
 * without a Date is dated by its envelope or its Received header), got
 * another derived id: author, subject, In-Reply-To, date and text tell.
 */
enum larch_status
writer_add_mail(struct writer *w, struct job *job, bool *seen)
{
	const struct larch_msg *msg = job->msg;
	struct larch_msg *twin = NULL;
	enum larch_status st = LARCH_OK;

	if (w->pages_without_id)
		st = find_twin(w, job, msg, TWIN_PAGE_ONLY, &twin);
	if (st == LARCH_OK && twin != NULL) {
		st = writer_replace(w, twin, job);
		goto done;
	}
	if (st == LARCH_OK && (msg->header_mid == NULL ||
	    larch_mid_is_archive_assigned(msg->header_mid)))
		st = find_twin(w, job, msg, TWIN_OTHER_ID, &twin);
	if (st == LARCH_OK && twin != NULL)
		st = writer_add_copy(w, twin, job, seen);
	else if (st == LARCH_OK)
		st = writer_add_new(w, job);
done:
	larch_msg_free(twin);
	return st;
}

/*
 * Other messages that claim this page lose it and its source: the
 * archive was rebuilt and renumbered, or the page shows another message
 * now.  One left with no source goes at the file's end.
 */
static enum larch_status
release_page(struct writer *w, struct job *job, const char *keep)
{
	const struct larch_article *a = job->msg->articles->pdata[0];
	const char *file = job->run->state.file;
	enum larch_status st;
	char **mids = NULL;

	st = larch_store_find_article(w->store, a->list, a->month, a->number,
	    &mids);
	if (st == LARCH_ERR_NOT_FOUND)
		return LARCH_OK;
	for (char **m = mids; st == LARCH_OK && *m != NULL; m++) {
		struct larch_msg *other = NULL;

		if (strcmp(*m, keep) == 0)
			continue;
		st = larch_store_get(w->store, *m, &other);
		if (st != LARCH_OK)
			break;
		larch_msg_remove_article(other, a->list, a->month, a->number);
		for (guint j = other->sources->len; j > 0; j--)
			if (strcmp(((struct larch_source *)
			    other->sources->pdata[j - 1])->file, file) == 0)
				g_ptr_array_remove_index(other->sources, j - 1);
		if (other->sources->len == 0)
			g_ptr_array_add(job->run->stale, g_strdup(*m));
		st = larch_store_put_record(w->store, other);
		larch_msg_free(other);
	}
	g_strfreev(mids);
	return st;
}

/* A page read again after Mailman rewrote it (new links) has a new
 * length: RAW reads the source by it. */
static bool
set_page_length(struct larch_msg *msg, const struct job *job)
{
	for (guint i = 0; i < msg->sources->len; i++) {
		struct larch_source *s = msg->sources->pdata[i];

		if (s->offset == job->offset && s->length != job->length &&
		    strcmp(s->file, job->run->state.file) == 0) {
			s->length = job->length;
			return true;
		}
	}
	return false;
}

/*
 * A pipermail HTML page: its source and article go to the message it
 * shows (by its Message-ID; without one, by author, subject and date),
 * or it becomes a message of its own until a mail copy turns up.
 */
enum larch_status
writer_write_page(struct writer *w, struct job *job)
{
	struct larch_msg *page = job->msg, *old = NULL, *same = NULL;
	const struct larch_article *a;
	enum larch_status st;
	bool changed = false;

	if (page->articles->len == 0)
		return LARCH_ERR_INTERNAL;
	a = page->articles->pdata[0];
	st = larch_store_get(w->store, page->mid, &old);
	/* An id reused by different messages: the one with this text. */
	if (st == LARCH_OK && page->header_mid != NULL &&
	    !larch_msg_is_same_content(old, page)) {
		st = writer_find_same(w, page, &same);
		if (st == LARCH_OK && same != NULL) {
			larch_msg_free(old);
			old = same;
		}
	}
	if (st == LARCH_ERR_NOT_FOUND && page->header_mid == NULL)
		st = find_twin(w, job, page, TWIN_ANY, &old);
	if (st == LARCH_ERR_NOT_FOUND)
		st = LARCH_OK;
	if (st == LARCH_OK)
		st = release_page(w, job, old != NULL ? old->mid : page->mid);
	if (st != LARCH_OK || old == NULL)
		goto new_page;
	if (!larch_msg_has_source(old, job->run->state.file, job->offset)) {
		larch_msg_add_source(old, job->run->state.file, job->offset,
		    job->length, job->format);
		w->totals->copies++;
		changed = true;
	}
	changed |= set_page_length(old, job);
	changed |= larch_msg_add_article(old, a->list, a->month, a->number);
	if (changed)
		st = larch_store_put_record(w->store, old);
	else
		w->totals->seen++;
	larch_msg_free(old);
	return st;

new_page:
	larch_msg_free(old);
	if (st != LARCH_OK)
		return st;
	if (page->header_mid == NULL && !w->pages_without_id) {
		w->pages_without_id = true;
		st = larch_store_meta_set(w->store, KEY_PAGES_WITHOUT_ID, "1");
		if (st != LARCH_OK)
			return st;
	}
	return writer_add_new(w, job);
}
