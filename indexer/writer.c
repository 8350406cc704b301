/* The writing end of the indexing pipeline; see writer.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "larch/log.h"
#include "larch/mid.h"
#include "larch/parse.h"
#include "larch/raw.h"
#include "threader.h"
#include "walk.h"
#include "writer.h"

struct writer {
	struct larch_store *store;
	const struct larch_config *config;	/* borrowed */
	unsigned batch;
	unsigned pending;		/* messages since the last commit */
	struct larch_index_totals *totals;
	GPtrArray *dirty;		/* struct file_run *, referenced */
	GPtrArray *vanished;		/* struct larch_source_state * */
	struct threader *threader;
	bool pages_without_id;		/* some message is known only from
					 * pipermail pages that name no id */
	GHashTable *lists_before;	/* mid -> char ** (its list, then its
					 * other lists) before a rewritten
					 * file's copy was taken off */
};

/* Index metadata: set once a page without a Message-ID is indexed alone. */
#define KEY_PAGES_WITHOUT_ID "larch:pages-without-id"


struct file_run *
file_run_new(struct larch_store *store, const char *file)
{
	struct file_run *run = g_new0(struct file_run, 1);

	run->refs = 1;
	run->stale = g_ptr_array_new_with_free_func(g_free);
	if (larch_source_state_load(store, file, &run->state) != LARCH_OK) {
		larch_source_state_release(&run->state);
		run->state.file = g_strdup(file);
	}
	return run;
}

struct file_run *
file_run_ref(struct file_run *run)
{
	run->refs++;
	return run;
}

void
file_run_unref(struct file_run *run)
{
	if (run == NULL || --run->refs > 0)
		return;
	larch_source_state_release(&run->state);
	g_free(run->list);
	g_ptr_array_unref(run->stale);
	g_free(run);
}

static void
vanished_free(gpointer p)
{
	larch_source_state_release(p);
	g_free(p);
}

struct writer *
writer_new(struct larch_store *store, const struct larch_config *config,
    struct larch_index_totals *totals)
{
	struct writer *w = g_new0(struct writer, 1);
	unsigned batch = config->batch;

	w->store = store;
	w->config = config;
	w->batch = batch > 0 ? batch : 1;
	w->totals = totals;
	w->dirty = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)file_run_unref);
	w->vanished = g_ptr_array_new_with_free_func(vanished_free);
	w->threader = threader_new(store, config);
	w->lists_before = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, (GDestroyNotify)g_strfreev);
	{
		char *v = NULL;

		if (larch_store_meta_get(store, KEY_PAGES_WITHOUT_ID, &v) ==
		    LARCH_OK && v != NULL)
			w->pages_without_id = true;
		g_free(v);
	}
	return w;
}

void
writer_free(struct writer *writer)
{
	if (writer == NULL)
		return;
	g_ptr_array_unref(writer->dirty);
	g_ptr_array_unref(writer->vanished);
	threader_free(writer->threader);
	g_hash_table_unref(writer->lists_before);
	g_free(writer);
}

static void
mark_dirty(struct writer *w, struct file_run *run)
{
	if (run->dirty)
		return;
	run->dirty = true;
	g_ptr_array_add(w->dirty, file_run_ref(run));
}

/*
 * Fault injection for the crash tests (tests/e2e-crash.sh), in the manner
 * of SQLite's: LARCH_FAULT_EXIT_AFTER_COMMIT=N ends the process as a
 * kill -9 would right after the Nth commit; LARCH_FAULT_FAIL_PUT=N makes
 * the Nth new message fail to be stored, as a full disk would.
 */
static long
fault_count(const char *name)
{
	const char *v = g_getenv(name);

	return v != NULL ? strtol(v, NULL, 10) : 0;
}

static void
fault_after_commit(void)
{
	static long commits;
	long at = fault_count("LARCH_FAULT_EXIT_AFTER_COMMIT");

	if (at > 0 && ++commits == at)
		_exit(137);
}

static bool
fault_fail_put(void)
{
	static long puts;
	long at = fault_count("LARCH_FAULT_FAIL_PUT");

	return at > 0 && ++puts == at;
}

/* Progress, messages and their threads go into one commit: never one
 * without the others. */
static enum larch_status
checkpoint(struct writer *w)
{
	enum larch_status st;

	st = threader_run(w->threader);
	if (st != LARCH_OK)
		return st;
	for (guint i = 0; i < w->dirty->len; i++) {
		struct file_run *run = w->dirty->pdata[i];

		st = larch_source_state_save(w->store, &run->state);
		if (st != LARCH_OK)
			return st;
		run->dirty = false;
	}
	for (guint i = 0; i < w->vanished->len; i++) {
		st = larch_source_state_save(w->store, w->vanished->pdata[i]);
		if (st != LARCH_OK)
			return st;
	}
	st = larch_store_commit(w->store);
	if (st != LARCH_OK)
		return st;
	fault_after_commit();
	g_ptr_array_set_size(w->dirty, 0);
	g_ptr_array_set_size(w->vanished, 0);
	w->pending = 0;
	return LARCH_OK;
}

static void place_before_pages(struct larch_msg *msg);

/*
 * Whether from and to name one message of one Maildir: a mail client
 * moves a message from new/ to cur/ and renames it whenever its flags
 * change, keeping the unique part of its name before the ':'
 * (maildir(5)).
 */
static bool
is_maildir_rename(const char *from, const char *to)
{
	size_t fm, tm, fu, tu;
	const char *fb, *tb;

	if (strcmp(from, to) == 0 || !larch_walk_in_maildir(from, &fm) ||
	    !larch_walk_in_maildir(to, &tm) || fm != tm ||
	    memcmp(from, to, fm) != 0)
		return false;
	fb = strrchr(from, '/') + 1;
	tb = strrchr(to, '/') + 1;
	fu = strcspn(fb, ":");
	tu = strcspn(tb, ":");
	return fu > 0 && fu == tu && memcmp(fb, tb, fu) == 0;
}

/* The source of old that file is, renamed in its Maildir since (the old
 * name is gone), or NULL. */
static struct larch_source *
renamed_source(const struct larch_msg *old, const char *file)
{
	for (guint i = 0; i < old->sources->len; i++) {
		struct larch_source *s = old->sources->pdata[i];

		if (s->format == LARCH_FORMAT_FILE &&
		    is_maildir_rename(s->file, file) &&
		    !g_file_test(s->file, G_FILE_TEST_EXISTS))
			return s;
	}
	return NULL;
}

/* Moves source s of old to the copy that job read under its new name,
 * and drops the old name's state: neither a second copy nor a vanished
 * file. */
static enum larch_status
move_source(struct writer *w, struct larch_msg *old, struct larch_source *s,
    const struct job *job)
{
	enum larch_status st;

	log_info("'%s' was renamed to '%s'", s->file, job->run->state.file);
	st = larch_source_state_forget(w->store, s->file);
	g_free(s->file);
	s->file = g_strdup(job->run->state.file);
	s->offset = job->offset;
	s->length = job->length;
	w->totals->seen++;
	return st == LARCH_OK ? larch_store_put_record(w->store, old) : st;
}

/* A further copy of a message already indexed under msg->mid (or a
 * derived id): records its source unless it is there already. */
static enum larch_status
add_copy(struct writer *w, struct larch_msg *old, const struct job *job,
    bool *seen)
{
	struct larch_source *renamed;

	*seen = larch_msg_has_source(old, job->run->state.file, job->offset);
	if (*seen) {
		w->totals->seen++;
		return LARCH_OK;
	}
	/* Counted in the new name's state (not seen there), but not as a
	 * new copy. */
	renamed = job->format == LARCH_FORMAT_FILE ?
	    renamed_source(old, job->run->state.file) : NULL;
	if (renamed != NULL)
		return move_source(w, old, renamed, job);
	larch_msg_add_source(old, job->run->state.file, job->offset,
	    job->length, job->format);
	place_before_pages(old);
	/* A copy from another list: the message was cross-posted. */
	larch_msg_add_list(old, job->msg->list);
	w->totals->copies++;
	return larch_store_put_record(w->store, old);
}

/* Writes a new document; the store takes the doc whatever happens. */
static enum larch_status
add_new(struct writer *w, struct job *job)
{
	struct larch_store_doc *doc = job->doc;
	enum larch_status st;

	job->doc = NULL;
	w->totals->added++;
	st = threader_place(w->threader, job->msg);
	if (st == LARCH_OK)
		st = larch_store_doc_place(doc, job->msg);
	if (st == LARCH_OK && fault_fail_put())
		st = LARCH_ERR_STORE;
	if (st != LARCH_OK) {
		larch_store_doc_free(doc);
		return st;
	}
	st = larch_store_put(w->store, doc);
	threader_remember(w->threader, job->msg);
	job->msg = NULL;
	return st;
}

/* Of the messages that carried msg's Message-ID, the one with msg's
 * content (its derived id may come from another copy's fingerprint). */
static enum larch_status
find_same(struct writer *w, const struct larch_msg *msg,
    struct larch_msg **out)
{
	GPtrArray *mids = g_ptr_array_new_with_free_func(g_free);
	enum larch_status st;

	*out = NULL;
	st = larch_store_header_links(w->store, msg->header_mid != NULL ?
	    msg->header_mid : msg->mid, larch_store_collect_mid, mids);
	for (guint i = 0; st == LARCH_OK && *out == NULL && i < mids->len;
	    i++) {
		struct larch_msg *m = NULL;

		st = larch_store_get(w->store, mids->pdata[i], &m);
		if (st == LARCH_OK && larch_msg_is_same_content(m, msg))
			*out = m;
		else
			larch_msg_free(m);
	}
	g_ptr_array_unref(mids);
	return st;
}

/*
 * A message whose id is taken by a different message gets a derived id
 * made from its own content, so the same clash in a later run leads to
 * the same document.
 */
static enum larch_status
add_clash(struct writer *w, struct job *job, bool *seen)
{
	struct larch_msg *msg = job->msg, *old = NULL;
	char *derived = larch_mid_derive_duplicate(msg->mid, msg->text_hash);
	enum larch_status st;

	st = find_same(w, msg, &old);
	if (st == LARCH_OK && old == NULL)
		st = larch_store_get(w->store, derived, &old);
	if (st == LARCH_OK && !larch_msg_is_same_content(old, msg)) {
		/* The derived id is taken too, by another post with the
		 * same text fingerprint: messages with no text (an empty or
		 * encrypted body) all hash alike.  Its own bytes tell this
		 * one apart, the same in every run. */
		char *more = g_strdup_printf("%s-%s", derived,
		    job->data_hash);

		larch_msg_free(old);
		old = NULL;
		g_free(derived);
		derived = more;
		st = larch_store_get(w->store, derived, &old);
	}
	if (st == LARCH_OK) {
		st = add_copy(w, old, job, seen);
		larch_msg_free(old);
		g_free(derived);
		return st;
	}
	if (st != LARCH_ERR_NOT_FOUND) {
		g_free(derived);
		return st;
	}
	log_warnx("message at '%s' offset %" G_GUINT64_FORMAT " reuses the "
	    "id <%s> of a different message: indexed as <%s>",
	    job->run->state.file, job->offset, msg->mid, derived);
	w->totals->clashes++;
	g_free(msg->mid);
	msg->mid = derived;
	st = larch_store_doc_update(job->doc, msg);
	if (st != LARCH_OK)
		return st;
	return add_new(w, job);
}

/* ---- pipermail HTML pages ------------------------------------------ */

/*
 * A page's source comes after every mail source, so that a message's
 * sources are in the same order whichever was read first, and RAW finds
 * a mail copy first.  Moves the source just added before the pages.
 */
static void
place_before_pages(struct larch_msg *msg)
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

static bool
shares_file(const struct larch_msg *m, const char *file)
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
		if (larch_msg_is_page_only(m) || shares_file(m, t->file))
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
 * A mail copy of a message known so far only from its pages (old): the
 * mail's document replaces the pages' and keeps their sources and
 * articles, and its thread is relinked with the mail's headers.  A page
 * without a Message-ID had a derived id: that document goes.
 */
static enum larch_status
take_over(struct writer *w, const struct larch_msg *old, struct job *job)
{
	struct larch_msg *msg = job->msg;
	char *mid = g_strdup(msg->mid);
	enum larch_status st = LARCH_OK;

	for (guint i = 0; i < old->sources->len; i++) {
		const struct larch_source *s = old->sources->pdata[i];

		if (!larch_msg_has_source(msg, s->file, s->offset))
			larch_msg_add_source(msg, s->file, s->offset,
			    s->length, s->format);
	}
	for (guint i = 0; i < old->articles->len; i++) {
		const struct larch_article *a = old->articles->pdata[i];

		larch_msg_add_article(msg, a->list, a->month, a->number);
	}
	if (strcmp(old->mid, msg->mid) != 0) {
		st = larch_store_delete(w->store, old->mid);
		threader_forget(w->threader, old->mid);
	}
	if (st == LARCH_OK)
		st = larch_store_doc_update(job->doc, msg);
	if (st == LARCH_OK)
		st = add_new(w, job);
	if (st == LARCH_OK) {
		threader_add(w->threader, mid);
		w->totals->added--;
		w->totals->copies++;
	}
	g_free(mid);
	return st;
}

/*
 * A mail copy not indexed under its id: a new message, unless a page
 * without a Message-ID showed it first, or unless it is a message that
 * came without an id and Mailman's archiver gave one to its archived copy
 * (or the reverse), or whose other copy, dated differently (a message
 * without a Date is dated by its envelope or its Received header), got
 * another derived id: author, subject, In-Reply-To, date and text tell.
 */
static enum larch_status
add_mail(struct writer *w, struct job *job, bool *seen)
{
	const struct larch_msg *msg = job->msg;
	struct larch_msg *twin = NULL;
	enum larch_status st = LARCH_OK;

	if (w->pages_without_id)
		st = find_twin(w, job, msg, TWIN_PAGE_ONLY, &twin);
	if (st == LARCH_OK && twin != NULL) {
		st = take_over(w, twin, job);
		goto done;
	}
	if (st == LARCH_OK && (msg->header_mid == NULL ||
	    larch_mid_is_archive_assigned(msg->header_mid)))
		st = find_twin(w, job, msg, TWIN_OTHER_ID, &twin);
	if (st == LARCH_OK && twin != NULL)
		st = add_copy(w, twin, job, seen);
	else if (st == LARCH_OK)
		st = add_new(w, job);
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
static enum larch_status
write_page(struct writer *w, struct job *job)
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
		st = find_same(w, page, &same);
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
	return add_new(w, job);
}

static enum larch_status
write_message(struct writer *w, struct job *job)
{
	struct file_run *run = job->run;
	struct larch_msg *old = NULL;
	enum larch_status st;
	bool seen = false;

	if (job->status != LARCH_OK) {
		log_warnx("skipping message at '%s' offset %" G_GUINT64_FORMAT
		    ": %s", run->state.file, job->offset,
		    job->why != NULL ? job->why :
		    larch_status_str(job->status));
		run->state.skipped++;
		w->totals->skipped++;
		goto advance;
	}
	if (job->format == LARCH_FORMAT_PIPERMAIL_HTML) {
		/* A page shows one message: counted whenever it is read. */
		st = write_page(w, job);
		goto written;
	}
	st = larch_store_get(w->store, job->msg->mid, &old);
	if (st == LARCH_ERR_NOT_FOUND)
		st = add_mail(w, job, &seen);
	else if (st == LARCH_OK && larch_msg_is_page_only(old))
		st = take_over(w, old, job);
	else if (st == LARCH_OK && larch_msg_is_same_content(old, job->msg))
		st = add_copy(w, old, job, &seen);
	else if (st == LARCH_OK && larch_msg_has_source(old, run->state.file,
	    job->offset))
		/* Same place, different fingerprint: only a parser change
		 * can do that; the indexed message stands. */
		seen = true, w->totals->seen++;
	else if (st == LARCH_OK && old->sources->len == 0)
		/* Its file was rewritten and this is its new version: no
		 * clash with what is gone. */
		st = add_new(w, job);
	else if (st == LARCH_OK)
		st = add_clash(w, job, &seen);
	larch_msg_free(old);
written:
	if (st != LARCH_OK)
		return st;
	if (!seen)
		run->state.messages++;
advance:
	run->state.tail_offset = job->offset;
	g_strlcpy(run->state.tail, job->data_hash, sizeof run->state.tail);
	run->state.offset = job->offset + job->length;
	mark_dirty(w, run);
	if (++w->pending >= w->batch)
		return checkpoint(w);
	return LARCH_OK;
}

static enum larch_status restore_lists(struct writer *w,
    const struct file_run *run, struct larch_msg *msg);

/* Messages of a rewritten file that did not come back are gone. */
static enum larch_status
drop_stale(struct writer *w, struct file_run *run)
{
	for (guint i = 0; i < run->stale->len; i++) {
		struct larch_msg *msg = NULL;
		const char *mid = run->stale->pdata[i];
		enum larch_status st = larch_store_get(w->store, mid, &msg);

		if (st == LARCH_OK && msg->sources->len == 0) {
			st = larch_store_delete(w->store, mid);
			w->totals->removed++;
			log_info("message <%s> is no longer in '%s': removed",
			    mid, run->state.file);
		} else if (st == LARCH_OK)
			st = restore_lists(w, run, msg);
		larch_msg_free(msg);
		if (st != LARCH_OK && st != LARCH_ERR_NOT_FOUND)
			return st;
	}
	g_ptr_array_set_size(run->stale, 0);
	return LARCH_OK;
}

enum larch_status
writer_write(struct writer *writer, struct job *job)
{
	struct larch_source_state *state;
	enum larch_status st;

	if (job->kind == JOB_MESSAGE)
		return write_message(writer, job);
	st = drop_stale(writer, job->run);
	if (st != LARCH_OK)
		return st;
	/*
	 * Only now, with every message of the file written, may the file
	 * count as read: size and mtime make the next run skip it.  A file
	 * that could not be read to its end keeps no size, so the next run
	 * tries again from where this one got.
	 */
	state = &job->run->state;
	state->offset = job->offset;
	g_free(state->kind);
	state->kind = g_strdup(job->kind_name);
	state->size = job->complete ? job->size : 0;
	state->mtime = job->complete ? job->mtime : 0;
	state->vanished = false;
	if (job->complete)
		state->rewriting = false;
	mark_dirty(writer, job->run);
	return LARCH_OK;
}

struct forget {
	const char *file;
	GPtrArray *mids;
};

static enum larch_status
collect_file_mids(const struct larch_msg *msg, void *data)
{
	struct forget *f = data;

	for (guint i = 0; i < msg->sources->len; i++) {
		const struct larch_source *s = msg->sources->pdata[i];

		if (strcmp(s->file, f->file) == 0) {
			g_ptr_array_add(f->mids, g_strdup(msg->mid));
			break;
		}
	}
	return LARCH_OK;
}

/* The kind of archive a source's format comes from. */
static enum larch_archive_kind
format_kind(enum larch_source_format format)
{
	switch (format) {
	case LARCH_FORMAT_FILE:
		return LARCH_ARCHIVE_MESSAGE;
	case LARCH_FORMAT_PIPERMAIL:
		return LARCH_ARCHIVE_PIPERMAIL;
	case LARCH_FORMAT_PIPERMAIL_HTML:
		return LARCH_ARCHIVE_PIPERMAIL_HTML;
	case LARCH_FORMAT_MBOXO:
	case LARCH_FORMAT_MBOXRD:
	case LARCH_FORMAT_MBOXCL:
		break;
	}
	return LARCH_ARCHIVE_MBOX;
}

/*
 * The list the copy s of a message gives it, by the rules pipeline.c's
 * choose_list() applied when it was read: its List-Id (through the
 * config), else the config's paths, else the archive's place.  A copy
 * is read again for its List-Id: the record keeps only the first one's.
 * NULL when the copy cannot be read any more.
 */
static char *
copy_list(struct writer *w, const struct larch_source *s)
{
	const struct larch_config_list *l;
	char *list = NULL;

	if (s->format != LARCH_FORMAT_PIPERMAIL_HTML) {
		struct larch_parse_opts po = {
			.pipermail = s->format == LARCH_FORMAT_PIPERMAIL,
			.max_text = 1,
		};
		GByteArray *bytes = g_byte_array_new();
		struct larch_msg *copy = NULL;
		const char *why = NULL;
		const char *dot;

		if (larch_raw_read(s, w->config->max_message, bytes, NULL) !=
		    LARCH_OK || larch_parse_message((const char *)bytes->data,
		    bytes->len, &po, &copy, &why) != LARCH_OK) {
			g_byte_array_unref(bytes);
			larch_msg_free(copy);
			return NULL;
		}
		g_byte_array_unref(bytes);
		if (copy->list_id != NULL) {
			l = larch_config_list_by_id(w->config, copy->list_id);
			dot = strchr(copy->list_id, '.');
			if (l != NULL)
				list = g_strdup(l->name);
			else if (dot != copy->list_id)
				list = g_ascii_strdown(copy->list_id,
				    dot != NULL ? dot - copy->list_id : -1);
		}
		larch_msg_free(copy);
		if (list != NULL)
			return list;
	}
	l = larch_config_list_by_path(w->config, s->file);
	return l != NULL ? g_strdup(l->name) :
	    larch_walk_list_name(s->file, format_kind(s->format));
}

/* Whether list is msg's list or one of its other lists. */
static bool
has_list(const struct larch_msg *msg, const char *list)
{
	if (g_strcmp0(msg->list, list) == 0)
		return true;
	for (guint i = 0; i < msg->also_lists->len; i++)
		if (strcmp(msg->also_lists->pdata[i], list) == 0)
			return true;
	return false;
}

/* Appends a copy of list to lists when yes and it is not there yet. */
static void
add_new_list(GPtrArray *lists, const char *list, bool yes)
{
	if (yes && !g_ptr_array_find_with_equal_func(lists, list, g_str_equal,
	    NULL))
		g_ptr_array_add(lists, g_strdup(list));
}

/*
 * After msg lost a file's copy, its lists are those of the copies left,
 * as a clean run would find them: the first copy's list first (sources
 * are kept in the order they were read), then the others'.  Each copy
 * gave its list when it was read, so a list worked out now that msg does
 * not have means the rules gave another answer then (--list, another
 * config): msg is then left as it was, as is one whose copy cannot be
 * read.
 */
static void
recompute_lists(struct writer *w, struct larch_msg *msg)
{
	GPtrArray *lists = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < msg->sources->len; i++) {
		char *list = copy_list(w, msg->sources->pdata[i]);

		if (list == NULL || !has_list(msg, list)) {
			g_free(list);
			goto free_lists;
		}
		add_new_list(lists, list, true);
		g_free(list);
	}
	if (lists->len == 0)
		goto free_lists;
	g_free(msg->list);
	msg->list = g_ptr_array_steal_index(lists, 0);
	g_ptr_array_set_size(msg->also_lists, 0);
	for (guint i = 0; i < lists->len; i++)
		larch_msg_add_list(msg, lists->pdata[i]);
free_lists:
	g_ptr_array_unref(lists);
}

/* msg's list, then its other lists, as a new string vector. */
static char **
lists_of(const struct larch_msg *msg)
{
	GStrvBuilder *b = g_strv_builder_new();
	char **v;

	if (msg->list != NULL)
		g_strv_builder_add(b, msg->list);
	for (guint i = 0; i < msg->also_lists->len; i++)
		g_strv_builder_add(b, msg->also_lists->pdata[i]);
	v = g_strv_builder_end(b);
	g_strv_builder_unref(b);
	return v;
}

/*
 * At a rewritten file's end: a message whose copy came back in it got
 * the file's list back after the others' (sources are appended), but a
 * clean run would have read that copy where it did before.  Its lists
 * take their order from before the file was taken off again, so a
 * cross-post does not change its first list whenever an mbox is
 * compacted; lists it has only now come after.
 */
static enum larch_status
restore_lists(struct writer *w, const struct file_run *run,
    struct larch_msg *msg)
{
	char **before = NULL, *mid = NULL;
	GPtrArray *order;
	enum larch_status st = LARCH_OK;
	bool same;

	if (!g_hash_table_steal_extended(w->lists_before, msg->mid,
	    (gpointer *)&mid, (gpointer *)&before) ||
	    !shares_file(msg, run->state.file))
		goto free_before;
	order = g_ptr_array_new_with_free_func(g_free);
	for (char **l = before; *l != NULL; l++)
		add_new_list(order, *l, has_list(msg, *l));
	add_new_list(order, msg->list, msg->list != NULL);
	for (guint i = 0; i < msg->also_lists->len; i++)
		add_new_list(order, msg->also_lists->pdata[i], true);
	same = order->len == 0 || (order->len == msg->also_lists->len + 1 &&
	    g_strcmp0(msg->list, order->pdata[0]) == 0);
	for (guint i = 1; same && i < order->len; i++)
		same = strcmp(msg->also_lists->pdata[i - 1],
		    order->pdata[i]) == 0;
	if (!same) {
		g_free(msg->list);
		msg->list = g_ptr_array_steal_index(order, 0);
		g_ptr_array_set_size(msg->also_lists, 0);
		for (guint i = 0; i < order->len; i++)
			larch_msg_add_list(msg, order->pdata[i]);
		st = larch_store_put_record(w->store, msg);
	}
	g_ptr_array_unref(order);
free_before:
	g_free(mid);
	g_strfreev(before);
	return st;
}

enum larch_status
writer_forget_file(struct writer *writer, struct file_run *run)
{
	struct forget f = { run->state.file, run->stale };
	enum larch_status st;

	/* Pending documents must be visible to the walk below. */
	st = larch_store_foreach(writer->store, collect_file_mids, &f);
	for (guint i = 0; st == LARCH_OK && i < run->stale->len; i++) {
		struct larch_msg *msg = NULL;

		st = larch_store_get(writer->store, run->stale->pdata[i],
		    &msg);
		if (st != LARCH_OK)
			break;
		for (guint j = msg->sources->len; j > 0; j--) {
			const struct larch_source *s =
			    msg->sources->pdata[j - 1];

			if (strcmp(s->file, run->state.file) == 0)
				g_ptr_array_remove_index(msg->sources, j - 1);
		}
		/* The file's copy, if it is still there, gives its list
		 * back when it is read again. */
		if (msg->sources->len > 0) {
			g_hash_table_replace(writer->lists_before,
			    g_strdup(msg->mid), lists_of(msg));
			recompute_lists(writer, msg);
		}
		st = larch_store_put_record(writer->store, msg);
		larch_msg_free(msg);
	}
	run->state.messages = 0;
	run->state.skipped = 0;
	run->state.offset = 0;
	/* Committed with the sources taken off: a crash before the file's
	 * end makes the next run read it again and sweep the index. */
	run->state.rewriting = true;
	/* Nothing of the old file may be taken for a place to resume. */
	run->state.tail_offset = 0;
	run->state.tail[0] = '\0';
	run->state.size = 0;
	run->state.mtime = 0;
	mark_dirty(writer, run);
	return st;
}

static enum larch_status
collect_sourceless(const struct larch_msg *msg, void *data)
{
	if (msg->sources->len == 0)
		g_ptr_array_add(data, g_strdup(msg->mid));
	return LARCH_OK;
}

enum larch_status
writer_sweep(struct writer *writer)
{
	GPtrArray *mids = g_ptr_array_new_with_free_func(g_free);
	enum larch_status st;

	st = larch_store_foreach(writer->store, collect_sourceless, mids);
	for (guint i = 0; st == LARCH_OK && i < mids->len; i++) {
		st = larch_store_delete(writer->store, mids->pdata[i]);
		writer->totals->removed++;
		log_info("message <%s> is in no source any more: removed",
		    (char *)mids->pdata[i]);
	}
	g_ptr_array_unref(mids);
	return st;
}

void
writer_note_vanished(struct writer *writer,
    const struct larch_source_state *state)
{
	struct larch_source_state *copy = g_new0(struct larch_source_state, 1);

	*copy = *state;
	copy->file = g_strdup(state->file);
	copy->kind = g_strdup(state->kind);
	g_ptr_array_add(writer->vanished, copy);
}

enum larch_status
writer_finish(struct writer *writer)
{
	return checkpoint(writer);
}
