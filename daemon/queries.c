/*
 * The worker handlers for searching and figures: SEARCH, COUNT, THREAD,
 * LISTS, STATS.  Each writes the whole reply into job->out or returns a
 * status for workers.c to turn into an error reply.
 *
 * Owner: the daemon engineer.
 */
#include <inttypes.h>
#include <string.h>

#include "commands.h"
#include "larch/mid.h"
#include "larch/query.h"
#include "larch/record.h"
#include "larch/search.h"
#include "privacy.h"
#include "render.h"
#include "resolve.h"
#include "workers.h"

static void
search_opts(const struct job *job, struct larch_search_opts *opts)
{
	const struct larch_proto_search *s = &job->req->search;

	memset(opts, 0, sizeof(*opts));
	opts->offset = s->offset;
	opts->limit = s->limit;
	switch (s->sort) {
	case LARCH_PROTO_SORT_RELEVANCE:
		opts->sort = LARCH_SORT_RELEVANCE;
		break;
	case LARCH_PROTO_SORT_NEWEST:
		opts->sort = LARCH_SORT_NEWEST;
		break;
	case LARCH_PROTO_SORT_OLDEST:
		opts->sort = LARCH_SORT_OLDEST;
		break;
	}
	opts->threads = s->threads;
	opts->quotes = s->quotes;
	opts->exact = s->exact;
	opts->hidden_lists = (const char *const *)job->hidden;
	opts->time_limit_ms = job->time_limit_ms;
	/* Only JSON rows carry snippets (docs/protocol.md, section 5). */
	opts->snippets = job->format == LARCH_PROTO_FORMAT_JSON;
	/* And their thread's size. */
	opts->skip_thread_sizes = job->format != LARCH_PROTO_FORMAT_JSON;
}

enum larch_status
query_search(struct job *job, struct larch_store *store)
{
	struct larch_search_result *res = NULL;
	struct larch_search_opts opts;
	enum larch_status st;

	search_opts(job, &opts);
	st = larch_store_search(store, job->req->query, &opts, &res);
	if (st != LARCH_OK)
		return st;
	larch_proto_append_statusf(job->out, 211, "%" PRIu64 " %u %u %s "
	    "results follow", res->total, res->n_rows, opts.offset,
	    res->total_exact ? "exact" : "estimated");
	for (unsigned i = 0; i < res->n_rows; i++)
		render_row(job->out, &res->rows[i], job->format,
		    RENDER_ROW_SEARCH);
	larch_proto_append_end(job->out);
	larch_search_result_free(res);
	return LARCH_OK;
}

enum larch_status
query_count(struct job *job, struct larch_store *store)
{
	struct larch_search_opts opts;
	enum larch_status st;
	uint64_t n = 0;

	search_opts(job, &opts);
	opts.limit = 0;
	opts.exact = true;
	st = larch_store_search_count(store, job->req->query, &opts, &n);
	if (st != LARCH_OK)
		return st;
	larch_proto_append_statusf(job->out, 210, "%" PRIu64 " matches", n);
	return LARCH_OK;
}

enum larch_status
query_thread(struct job *job, struct larch_store *store)
{
	struct larch_search_result *res = NULL;
	enum larch_status st = resolve_thread_rows(job, store, &res);

	if (st != LARCH_OK)
		return st;
	privacy_fix_rows(job, store, res);
	larch_proto_append_statusf(job->out, 230, "%u messages follow",
	    res->n_rows);
	for (unsigned i = 0; i < res->n_rows; i++)
		render_row(job->out, &res->rows[i], job->format,
		    RENDER_ROW_THREAD);
	larch_proto_append_end(job->out);
	larch_search_result_free(res);
	return LARCH_OK;
}

static void
list_info_free(struct larch_list_info *info)
{
	g_free(info->name);
	g_free(info);
}

static enum larch_status
collect_info(const struct larch_list_info *info, void *data)
{
	struct larch_list_info *copy = g_memdup2(info, sizeof(*info));

	copy->name = g_strdup(info->name);
	g_ptr_array_add(data, copy);
	return LARCH_OK;
}

/* Every visible list's figures, by name. */
static enum larch_status
list_infos(struct job *job, struct larch_store *store, GPtrArray **out)
{
	GPtrArray *infos = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)list_info_free);
	enum larch_status st;

	st = larch_store_list_infos(store, (const char *const *)job->hidden,
	    collect_info, infos);
	if (st != LARCH_OK) {
		g_ptr_array_unref(infos);
		return st;
	}
	*out = infos;
	return LARCH_OK;
}

static void
list_row(GString *out, const struct larch_list_info *info,
    enum larch_proto_format format)
{
	GString *line = g_string_sized_new(128);

	if (format == LARCH_PROTO_FORMAT_JSON) {
		larch_json_open(line);
		larch_json_int(line, "v", LARCH_PROTO_SCHEMA);
		larch_json_str(line, "name", info->name);
		larch_json_int(line, "messages", (int64_t)info->messages);
		larch_json_int(line, "threads", (int64_t)info->threads);
		larch_json_date(line, "first", info->first);
		larch_json_date(line, "last", info->last);
		larch_json_close(line);
	} else {
		char *first = larch_iso8601(info->first);
		char *last = larch_iso8601(info->last);

		render_field(line, info->name);
		g_string_append_printf(line, "\t%" PRIu64 "\t%" PRIu64
		    "\t%s\t%s", info->messages, info->threads, first, last);
		g_free(first);
		g_free(last);
	}
	larch_proto_append_line(out, line->str, (gssize)line->len);
	g_string_free(line, TRUE);
}

enum larch_status
query_lists(struct job *job, struct larch_store *store)
{
	GPtrArray *infos = NULL;
	enum larch_status st = list_infos(job, store, &infos);

	if (st != LARCH_OK)
		return st;
	larch_proto_append_statusf(job->out, 215, "%u lists follow",
	    infos->len);
	for (guint i = 0; i < infos->len; i++)
		list_row(job->out, infos->pdata[i], job->format);
	larch_proto_append_end(job->out);
	g_ptr_array_unref(infos);
	return LARCH_OK;
}

/*
 * STATS figures, gathered as (key, value) pairs in order, then written
 * as "key value" lines or one JSON object.  Values are numbers unless
 * is_str.
 */
struct stat_item {
	const char *key;
	char *value;
	bool is_str;
};

static void
add_num(GArray *items, const char *key, uint64_t v)
{
	struct stat_item it = { key, g_strdup_printf("%" PRIu64, v), false };

	g_array_append_val(items, it);
}

static void
add_str(GArray *items, const char *key, const char *v)
{
	struct stat_item it = { key, g_strdup(v != NULL ? v : ""), true };

	g_array_append_val(items, it);
}

static void
add_date(GArray *items, const char *key, int64_t t)
{
	/* No date known: null in JSON, as LISTS has it; empty in text. */
	struct stat_item it = { key, t != 0 ? larch_iso8601(t) : NULL, true };

	g_array_append_val(items, it);
}

static void
write_stats(GString *out, GArray *items, enum larch_proto_format format)
{
	GString *line = g_string_sized_new(256);

	larch_proto_append_status(out, 216, "statistics follow");
	if (format == LARCH_PROTO_FORMAT_JSON) {
		larch_json_open(line);
		larch_json_int(line, "v", LARCH_PROTO_SCHEMA);
		for (guint i = 0; i < items->len; i++) {
			struct stat_item *it = &g_array_index(items,
			    struct stat_item, i);

			if (it->is_str)
				larch_json_str(line, it->key, it->value);
			else
				larch_json_raw(line, it->key, it->value);
		}
		larch_json_close(line);
		larch_proto_append_line(out, line->str, (gssize)line->len);
	} else {
		for (guint i = 0; i < items->len; i++) {
			struct stat_item *it = &g_array_index(items,
			    struct stat_item, i);

			g_string_printf(line, "%s ", it->key);
			render_field(line, it->value);
			larch_proto_append_line(out, line->str,
			    (gssize)line->len);
		}
	}
	larch_proto_append_end(out);
	g_string_free(line, TRUE);
}

static void
stat_item_clear(struct stat_item *it)
{
	g_free(it->value);
}

/*
 * With private lists hidden, the index's totals would count what the
 * client may not see: count instead the messages of the visible lists
 * through the query layer, which drops every message also posted to a
 * hidden list before counting.  Should the query not do (list names the
 * query language cannot spell, or too many of them), the per-list
 * figures are summed, which counts a cross-posted message once per list.
 */
static enum larch_status
visible_counts(struct job *job, struct larch_store *store,
    const GPtrArray *infos, uint64_t *messages, uint64_t *threads)
{
	struct larch_search_opts opts = { 0 };
	GString *q = g_string_new(NULL);
	enum larch_status st = LARCH_ERR_PARSE;
	bool spelt = true;

	*messages = *threads = 0;
	for (guint i = 0; spelt && i < infos->len; i++) {
		const struct larch_list_info *info = infos->pdata[i];

		g_string_append_printf(q, "%slist:%s", i > 0 ? " OR " : "",
		    info->name);
		spelt = strpbrk(info->name, " \t\"()") == NULL &&
		    q->len <= LARCH_QUERY_MAX;
	}
	opts.hidden_lists = (const char *const *)job->hidden;
	opts.exact = true;
	if (infos->len == 0) {
		st = LARCH_OK;
	} else if (spelt) {
		st = larch_store_search_count(store, q->str, &opts, messages);
		opts.threads = true;
		if (st == LARCH_OK)
			st = larch_store_search_count(store, q->str, &opts,
			    threads);
	}
	if (st == LARCH_ERR_PARSE) {
		for (guint i = 0; i < infos->len; i++) {
			const struct larch_list_info *info = infos->pdata[i];

			*messages += info->messages;
			*threads += info->threads;
		}
		st = LARCH_OK;
	}
	g_string_free(q, TRUE);
	return st;
}

/* The figures of the whole index, as far as this client may see it. */
static enum larch_status
index_stats(struct job *job, struct larch_store *store, GArray *items)
{
	uint64_t messages = 0, threads = 0, bytes = 0;
	GPtrArray *infos = NULL;
	enum larch_status st;

	st = list_infos(job, store, &infos);
	if (st == LARCH_OK && job->hidden == NULL) {
		st = larch_store_count(store, &messages);
		if (st == LARCH_OK)
			st = larch_store_count_threads(store, &threads);
	} else if (st == LARCH_OK) {
		st = visible_counts(job, store, infos, &messages, &threads);
	}
	if (st == LARCH_OK)
		st = larch_store_disk_size(store, &bytes);
	if (st != LARCH_OK) {
		if (infos != NULL)
			g_ptr_array_unref(infos);
		return st;
	}
	add_num(items, "messages", messages);
	add_num(items, "threads", threads);
	add_num(items, "lists", infos->len);
	add_num(items, "index_bytes", bytes);
	add_num(items, "connections", job->figures.connections);
	add_num(items, "queries", job->figures.served);
	add_num(items, "uptime", (uint64_t)job->figures.uptime);
	add_num(items, "workers", job->figures.workers);
	add_str(items, "version", LARCH_VERSION);
	g_ptr_array_unref(infos);
	return LARCH_OK;
}

/* One list's figures; LARCH_ERR_NOT_FOUND for a list not there (or not
 * visible to this client). */
static enum larch_status
list_stats(struct job *job, struct larch_store *store, const char *name,
    GArray *items)
{
	GPtrArray *infos = NULL;
	enum larch_status st = list_infos(job, store, &infos);

	if (st != LARCH_OK)
		return st;
	st = LARCH_ERR_NOT_FOUND;
	for (guint i = 0; i < infos->len; i++) {
		const struct larch_list_info *info = infos->pdata[i];

		if (strcmp(info->name, name) != 0)
			continue;
		add_str(items, "list", info->name);
		add_num(items, "messages", info->messages);
		add_num(items, "threads", info->threads);
		add_date(items, "first", info->first);
		add_date(items, "last", info->last);
		st = LARCH_OK;
	}
	g_ptr_array_unref(infos);
	if (st == LARCH_ERR_NOT_FOUND)
		job->error = g_strdup_printf("no list '%.64s'", name);
	return st;
}

enum larch_status
query_stats(struct job *job, struct larch_store *store)
{
	GArray *items = g_array_new(FALSE, FALSE, sizeof(struct stat_item));
	enum larch_status st;

	g_array_set_clear_func(items, (GDestroyNotify)stat_item_clear);
	if (job->req->argc == 1)
		st = list_stats(job, store, job->req->argv[0], items);
	else
		st = index_stats(job, store, items);
	if (st == LARCH_OK)
		write_stats(job->out, items, job->format);
	g_array_unref(items);
	return st;
}
