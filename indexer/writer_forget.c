/*
 * The writer's part that forgets (see writer.c): before a rewritten file
 * is read again its copies are taken off every message, and the lists of
 * a message that lost a copy are worked out again from the copies left
 * (and put back in their old order when the copy comes back); after an
 * interrupted run, messages left with no copy are swept away.  Separate
 * from writer.c because it walks the whole index and reads copies again,
 * which writing one job at a time never does.
 */
#include <string.h>

#include "larch/log.h"
#include "larch/parse.h"
#include "larch/raw.h"
#include "writer_private.h"

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
	char *list = NULL;

	if (s->format != LARCH_FORMAT_PIPERMAIL_HTML) {
		struct larch_parse_opts po = {
			.pipermail = s->format == LARCH_FORMAT_PIPERMAIL,
			.max_text = 1,
		};
		GByteArray *bytes = g_byte_array_new();
		struct larch_msg *copy = NULL;
		const char *why = NULL;

		if (larch_raw_read(s, w->config->max_message, bytes, NULL) !=
		    LARCH_OK || larch_parse_message((const char *)bytes->data,
		    bytes->len, &po, &copy, &why) != LARCH_OK) {
			g_byte_array_unref(bytes);
			larch_msg_free(copy);
			return NULL;
		}
		g_byte_array_unref(bytes);
		if (copy->list_id != NULL)
			list = larch_config_list_of_id(w->config,
			    copy->list_id);
		larch_msg_free(copy);
		if (list != NULL)
			return list;
	}
	return larch_config_list_of_place(w->config, s->file,
	    format_kind(s->format));
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
enum larch_status
writer_restore_lists(struct writer *w, const struct file_run *run,
    struct larch_msg *msg)
{
	char **before = NULL, *mid = NULL;
	GPtrArray *order;
	enum larch_status st = LARCH_OK;
	bool same;

	if (!g_hash_table_steal_extended(w->lists_before, msg->mid,
	    (gpointer *)&mid, (gpointer *)&before) ||
	    !writer_shares_file(msg, run->state.file))
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
	run->state.tail_len = 0;
	run->state.tail[0] = '\0';
	g_clear_pointer(&run->state.tail_mid, g_free);
	run->state.size = 0;
	run->state.mtime = 0;
	writer_mark_dirty(writer, run);
	return st;
}

enum larch_status
writer_forget_cut_tail(struct writer *w, const struct job *job,
    bool *forgot)
{
	const struct larch_source_state *state = &job->run->state;
	struct larch_msg *msg = NULL;
	enum larch_status st;

	*forgot = false;
	if (state->tail_mid == NULL ||
	    strcmp(state->tail_mid, job->msg->mid) == 0)
		return LARCH_OK;
	st = larch_store_get(w->store, state->tail_mid, &msg);
	if (st != LARCH_OK)
		return st == LARCH_ERR_NOT_FOUND ? LARCH_OK : st;
	*forgot = larch_msg_remove_source(msg, state->file, job->offset);
	if (!*forgot) {
		larch_msg_free(msg);
		return LARCH_OK;
	}
	log_info("message <%s> was <%s> cut short in '%s': replaced",
	    msg->mid, job->msg->mid, state->file);
	if (msg->sources->len > 0) {
		recompute_lists(w, msg);
		st = larch_store_put_record(w->store, msg);
	} else {
		GHashTable *gone = writer_gone_new();

		g_hash_table_insert(gone, g_strdup(msg->mid),
		    g_strdup(msg->thread));
		st = larch_store_delete(w->store, msg->mid);
		threader_forget(w->threader, msg->mid);
		if (st == LARCH_OK)
			st = writer_unquote(w, gone);
		g_hash_table_unref(gone);
	}
	larch_msg_free(msg);
	return st;
}

void
writer_forget_cut_copy(struct writer *w, struct larch_msg *old,
    const char *file, uint64_t offset)
{
	larch_msg_remove_source(old, file, offset);
	if (old->sources->len > 0) {
		recompute_lists(w, old);
		return;
	}
	g_clear_pointer(&old->list, g_free);
	g_ptr_array_set_size(old->also_lists, 0);
}

/* Notes each message without a source in the table: mid -> thread. */
static enum larch_status
collect_sourceless(const struct larch_msg *msg, void *data)
{
	if (msg->sources->len == 0)
		g_hash_table_insert(data, g_strdup(msg->mid),
		    g_strdup(msg->thread));
	return LARCH_OK;
}

enum larch_status
writer_sweep(struct writer *writer)
{
	GHashTable *gone = writer_gone_new();
	GHashTableIter it;
	gpointer mid;
	enum larch_status st;

	st = larch_store_foreach(writer->store, collect_sourceless, gone);
	g_hash_table_iter_init(&it, gone);
	while (st == LARCH_OK && g_hash_table_iter_next(&it, &mid, NULL)) {
		st = larch_store_delete(writer->store, mid);
		writer->totals->removed++;
		log_info("message <%s> is in no source any more: removed",
		    (char *)mid);
	}
	if (st == LARCH_OK)
		st = writer_unquote(writer, gone);
	g_hash_table_unref(gone);
	return st;
}

GHashTable *
writer_gone_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static enum larch_status
collect_mid(const struct larch_msg *msg, void *data)
{
	g_ptr_array_add(data, g_strdup(msg->mid));
	return LARCH_OK;
}

enum larch_status
writer_unquote(struct writer *w, GHashTable *gone)
{
	GHashTable *threads = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *mids = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer thread;
	enum larch_status st = LARCH_OK;

	/* Each thread once, however many of its messages went. */
	g_hash_table_iter_init(&it, gone);
	while (g_hash_table_iter_next(&it, NULL, &thread)) {
		if (thread != NULL)
			g_hash_table_add(threads, thread);
	}
	g_hash_table_iter_init(&it, threads);
	while (st == LARCH_OK && g_hash_table_iter_next(&it, &thread, NULL))
		st = larch_store_thread_links(w->store, thread, collect_mid,
		    mids);
	for (guint i = 0; st == LARCH_OK && i < mids->len; i++) {
		struct larch_msg *m = NULL;
		bool changed = false;

		st = larch_store_get(w->store, mids->pdata[i], &m);
		for (guint k = 0; st == LARCH_OK && k < m->quotes->len; k++) {
			struct larch_quote *q = m->quotes->pdata[k];

			if (q->source != NULL &&
			    g_hash_table_contains(gone, q->source)) {
				g_clear_pointer(&q->source, g_free);
				changed = true;
			}
		}
		if (changed)
			st = larch_store_put_record(w->store, m);
		larch_msg_free(m);
	}
	g_ptr_array_unref(mids);
	g_hash_table_unref(threads);
	return st;
}
