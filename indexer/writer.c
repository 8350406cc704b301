/*
 * The writing end of the indexing pipeline; see writer.h.  This file
 * keeps the writer's life, its checkpoints (with the crash tests' fault
 * injection), copies and id clashes, and writing each job;
 * writer_pages.c places pipermail HTML pages and writer_forget.c takes
 * a rewritten file's copies off (see writer_private.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "larch/log.h"
#include "larch/mid.h"
#include "threader.h"
#include "walk.h"
#include "writer_private.h"

struct file_run *
file_run_new(struct larch_store *store, const char *file, bool look_up)
{
	struct file_run *run = g_new0(struct file_run, 1);

	run->refs = 1;
	run->stale = g_ptr_array_new_with_free_func(g_free);
	if (!look_up ||
	    larch_source_state_load(store, file, &run->state) != LARCH_OK) {
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

void
writer_mark_dirty(struct writer *w, struct file_run *run)
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
enum larch_status
writer_add_copy(struct writer *w, struct larch_msg *old, const struct job *job,
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
	writer_place_before_pages(old);
	/* A copy from another list: the message was cross-posted. */
	larch_msg_add_list(old, job->msg->list);
	w->totals->copies++;
	return larch_store_put_record(w->store, old);
}

/* Writes a new document; the store takes the doc whatever happens. */
enum larch_status
writer_add_new(struct writer *w, struct job *job)
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
	job->written_mid = g_strdup(job->msg->mid);
	threader_remember(w->threader, job->msg);
	job->msg = NULL;
	return st;
}

/* Adds the sources, pages' articles and lists of from, another record of
 * msg's message, that msg does not have yet. */
static void
join_copies(struct larch_msg *msg, const struct larch_msg *from)
{
	for (guint i = 0; i < from->sources->len; i++) {
		const struct larch_source *s = from->sources->pdata[i];

		if (!larch_msg_has_source(msg, s->file, s->offset))
			larch_msg_add_source(msg, s->file, s->offset,
			    s->length, s->format);
	}
	for (guint i = 0; i < from->articles->len; i++) {
		const struct larch_article *a = from->articles->pdata[i];

		larch_msg_add_article(msg, a->list, a->month, a->number);
	}
	if (from->list != NULL)
		larch_msg_add_list(msg, from->list);
	for (guint i = 0; i < from->also_lists->len; i++)
		larch_msg_add_list(msg, from->also_lists->pdata[i]);
}

/*
 * Job's copy becomes the record of old, a message already indexed: its
 * document replaces old's and keeps old's other sources, pages' articles
 * and lists, and its thread is relinked with the new copy's headers.  For
 * a message known so far only from its pipermail pages, from a pipermail
 * archive (which scrubs attachments and obfuscates addresses), or from a
 * copy that has since grown or been rewritten.  When old had a derived id
 * (a page without a Message-ID), that document goes.  Counted as a
 * further copy.
 */
enum larch_status
writer_replace(struct writer *w, const struct larch_msg *old, struct job *job)
{
	struct larch_msg *msg = job->msg;
	char *mid = g_strdup(msg->mid);
	enum larch_status st = LARCH_OK;

	join_copies(msg, old);
	if (strcmp(old->mid, msg->mid) != 0) {
		st = larch_store_delete(w->store, old->mid);
		threader_forget(w->threader, old->mid);
	}
	if (st == LARCH_OK)
		st = larch_store_doc_update(job->doc, msg);
	if (st == LARCH_OK)
		st = writer_add_new(w, job);
	if (st == LARCH_OK) {
		threader_add(w->threader, mid);
		w->totals->added--;
		w->totals->copies++;
	}
	g_free(mid);
	return st;
}

/* Of the messages that carried msg's Message-ID, the one with msg's
 * content (its derived id may come from another copy's fingerprint). */
enum larch_status
writer_find_same(struct writer *w, const struct larch_msg *msg,
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

	st = writer_find_same(w, msg, &old);
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
		st = writer_add_copy(w, old, job, seen);
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
	return writer_add_new(w, job);
}

/*
 * Before a grown copy replaces what was read of it: a whole copy of the
 * same message read elsewhere meanwhile was told apart from the cut one
 * and given a derived id (<mid>.dup-...).  Now that the texts agree it is
 * the same message: its sources and lists join job's, and it goes.
 */
static enum larch_status
absorb_twins(struct writer *w, struct job *job)
{
	struct larch_msg *msg = job->msg;
	GPtrArray *mids = g_ptr_array_new_with_free_func(g_free);
	enum larch_status st;

	st = larch_store_header_links(w->store, msg->header_mid != NULL ?
	    msg->header_mid : msg->mid, larch_store_collect_mid, mids);
	for (guint i = 0; st == LARCH_OK && i < mids->len; i++) {
		const char *mid = mids->pdata[i];
		struct larch_msg *twin = NULL;

		if (strcmp(mid, msg->mid) == 0)
			continue;
		st = larch_store_get(w->store, mid, &twin);
		if (st == LARCH_OK && larch_msg_is_same_content(twin, msg)) {
			join_copies(msg, twin);
			log_info("message <%s> is <%s> read whole: merged",
			    mid, msg->mid);
			st = larch_store_delete(w->store, mid);
			threader_forget(w->threader, mid);
		}
		if (st == LARCH_ERR_NOT_FOUND)
			st = LARCH_OK;
		larch_msg_free(twin);
	}
	g_ptr_array_unref(mids);
	return st;
}

/*
 * Whether job's copy should become the record of old, which so far comes
 * from pipermail alone: a mail copy keeps what pipermail loses (its
 * attachments, addresses, recipients and characters outside the list's
 * charset), so the record does not depend on which form was read first.
 */
static bool
is_better_copy(const struct larch_msg *old, const struct job *job)
{
	if (job->format == LARCH_FORMAT_PIPERMAIL ||
	    job->format == LARCH_FORMAT_PIPERMAIL_HTML ||
	    larch_msg_has_source(old, job->run->state.file, job->offset))
		return false;
	for (guint i = 0; i < old->sources->len; i++) {
		const struct larch_source *s = old->sources->pdata[i];

		if (s->format != LARCH_FORMAT_PIPERMAIL &&
		    s->format != LARCH_FORMAT_PIPERMAIL_HTML)
			return false;
	}
	return old->sources->len > 0;
}

static enum larch_status
write_message(struct writer *w, struct job *job)
{
	struct file_run *run = job->run;
	struct larch_msg *old = NULL;
	enum larch_status st;
	bool seen = false, cut_tail = false;

	if (job->status != LARCH_OK) {
		log_warnx("skipping message at '%s' offset %" G_GUINT64_FORMAT
		    ": %s", run->state.file, job->offset,
		    job->why != NULL ? job->why :
		    larch_status_str(job->status));
		run->state.skipped++;
		w->totals->skipped++;
		goto advance;
	}
	if (job->msg->headers_cut)
		log_warnx("message at '%s' offset %" G_GUINT64_FORMAT ": a "
		    "header longer than %d bytes was cut", run->state.file,
		    job->offset, LARCH_MAX_HEADER_TEXT);
	if (job->msg->mime_cut)
		log_warnx("message at '%s' offset %" G_GUINT64_FORMAT ": MIME "
		    "parts nested too deep were not read", run->state.file,
		    job->offset);
	if (job->format == LARCH_FORMAT_PIPERMAIL_HTML) {
		/* A page shows one message: counted whenever it is read. */
		st = writer_write_page(w, job);
		goto written;
	}
	if (job->grown) {
		st = writer_forget_cut_tail(w, job, &cut_tail);
		if (st != LARCH_OK)
			return st;
	}
	st = larch_store_get(w->store, job->msg->mid, &old);
	if (st == LARCH_ERR_NOT_FOUND)
		st = writer_add_mail(w, job, &seen);
	else if (st == LARCH_OK && larch_msg_is_page_only(old))
		st = writer_replace(w, old, job);
	else if (st == LARCH_OK && job->grown &&
	    larch_msg_has_source(old, run->state.file, job->offset)) {
		/* Read before it was complete: the whole copy replaces what
		 * was read of it, attachments and lists and all. */
		writer_forget_cut_copy(w, old, run->state.file, job->offset);
		st = absorb_twins(w, job);
		if (st == LARCH_OK)
			st = writer_replace(w, old, job);
		w->totals->copies--;
		seen = true, w->totals->seen++;
	} else if (st == LARCH_OK && old->sources->len == 0 &&
	    larch_msg_is_same_content(old, job->msg))
		/* Its file was rewritten and still holds it: read anew, as
		 * its headers or attachments may have been edited. */
		st = writer_replace(w, old, job);
	else if (st == LARCH_OK && larch_msg_is_same_content(old, job->msg))
		st = is_better_copy(old, job) ? writer_replace(w, old, job) :
		    writer_add_copy(w, old, job, &seen);
	else if (st == LARCH_OK && larch_msg_has_source(old, run->state.file,
	    job->offset))
		/* Same place, different fingerprint: only a parser change
		 * can do that; the indexed message stands. */
		seen = true, w->totals->seen++;
	else if (st == LARCH_OK && old->sources->len == 0)
		/* Its file was rewritten and this is its new version: no
		 * clash with what is gone. */
		st = writer_add_new(w, job);
	else if (st == LARCH_OK)
		st = add_clash(w, job, &seen);
	larch_msg_free(old);
written:
	if (st != LARCH_OK)
		return st;
	/* The file's count has the cut copy this one replaces. */
	if (!seen && !cut_tail)
		run->state.messages++;
advance:
	run->state.tail_offset = job->offset;
	run->state.tail_len = job->len;
	g_strlcpy(run->state.tail, job->data_hash, sizeof run->state.tail);
	g_free(run->state.tail_mid);
	run->state.tail_mid = job->status != LARCH_OK ||
	    job->format == LARCH_FORMAT_PIPERMAIL_HTML ? NULL :
	    job->msg != NULL ? g_strdup(job->msg->mid) :
	    g_strdup(job->written_mid);
	run->state.offset = job->offset + job->length;
	writer_mark_dirty(w, run);
	if (++w->pending >= w->batch)
		return checkpoint(w);
	return LARCH_OK;
}

/* Messages of a rewritten file that did not come back are gone. */
static enum larch_status
drop_stale(struct writer *w, struct file_run *run)
{
	GHashTable *gone = writer_gone_new();
	enum larch_status st = LARCH_OK;

	for (guint i = 0; i < run->stale->len; i++) {
		struct larch_msg *msg = NULL;
		const char *mid = run->stale->pdata[i];

		st = larch_store_get(w->store, mid, &msg);
		if (st == LARCH_OK && msg->sources->len == 0) {
			st = larch_store_delete(w->store, mid);
			w->totals->removed++;
			log_info("message <%s> is no longer in '%s': removed",
			    mid, run->state.file);
			g_hash_table_insert(gone, g_strdup(mid),
			    g_strdup(msg->thread));
		} else if (st == LARCH_OK)
			st = writer_restore_lists(w, run, msg);
		larch_msg_free(msg);
		if (st == LARCH_ERR_NOT_FOUND)
			st = LARCH_OK;
		if (st != LARCH_OK)
			break;
	}
	if (st == LARCH_OK)
		st = writer_unquote(w, gone);
	g_hash_table_unref(gone);
	if (st == LARCH_OK)
		g_ptr_array_set_size(run->stale, 0);
	return st;
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
	writer_mark_dirty(writer, job->run);
	return LARCH_OK;
}

void
writer_note_vanished(struct writer *writer,
    const struct larch_source_state *state)
{
	struct larch_source_state *copy = g_new0(struct larch_source_state, 1);

	larch_source_state_copy(copy, state);
	g_ptr_array_add(writer->vanished, copy);
}

enum larch_status
writer_finish(struct writer *writer)
{
	return checkpoint(writer);
}
