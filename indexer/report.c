/* --stats and --export; see report.h. */
#include <string.h>
#include <json-glib/json-glib.h>

#include "larch/mid.h"
#include "larch/record.h"
#include "larch/thread.h"
#include "report.h"
#include "sources.h"

struct lists {
	JsonBuilder *b;
	FILE *text;
};

static enum larch_status
add_list(const char *list, uint64_t count, void *data)
{
	struct lists *l = data;

	if (l->text != NULL) {
		fprintf(l->text, "  %-30s %" G_GUINT64_FORMAT "\n", list,
		    count);
		return LARCH_OK;
	}
	json_builder_begin_object(l->b);
	json_builder_set_member_name(l->b, "name");
	json_builder_add_string_value(l->b, list);
	json_builder_set_member_name(l->b, "messages");
	json_builder_add_int_value(l->b, (gint64)count);
	json_builder_end_object(l->b);
	return LARCH_OK;
}

struct sources {
	GPtrArray *states;	/* struct larch_source_state * */
	uint64_t skipped;
	uint64_t copies;	/* message copies read, all files */
};

static enum larch_status
add_source(const char *key, const char *value, void *data)
{
	struct sources *s = data;
	struct larch_source_state *state = g_new0(struct larch_source_state, 1);

	if (larch_source_state_parse(value, state) != LARCH_OK) {
		larch_source_state_release(state);
		g_free(state);
		return LARCH_OK;
	}
	s->skipped += state->skipped;
	/* Every copy read is counted with the file it came from, in the
	 * commit that stored it: no need to read every record. */
	s->copies += state->messages;
	g_ptr_array_add(s->states, state);
	return LARCH_OK;
}

static gint
by_file(gconstpointer a, gconstpointer b)
{
	const struct larch_source_state *x = *(const void *const *)a;
	const struct larch_source_state *y = *(const void *const *)b;

	return strcmp(x->file, y->file);
}

static void
state_free(gpointer p)
{
	larch_source_state_release(p);
	g_free(p);
}

static void
json_sources(JsonBuilder *b, GPtrArray *states)
{
	json_builder_begin_array(b);
	for (guint i = 0; i < states->len; i++) {
		const struct larch_source_state *s = states->pdata[i];
		char *file;

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "file");
		file = larch_path_to_utf8(s->file);
		json_builder_add_string_value(b, file);
		g_free(file);
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, s->kind);
		json_builder_set_member_name(b, "messages");
		json_builder_add_int_value(b, (gint64)s->messages);
		json_builder_set_member_name(b, "skipped");
		json_builder_add_int_value(b, (gint64)s->skipped);
		json_builder_set_member_name(b, "bytes");
		json_builder_add_int_value(b, (gint64)s->offset);
		json_builder_set_member_name(b, "vanished");
		json_builder_add_boolean_value(b, s->vanished);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void
json_int(JsonBuilder *b, const char *name, uint64_t v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, (gint64)v);
}

enum larch_status
larch_report_stats(struct larch_store *store, const char *dir, bool json,
    FILE *out)
{
	struct sources src = { g_ptr_array_new_with_free_func(state_free), 0,
	    0 };
	uint64_t messages = 0, threads = 0, bytes = 0;
	enum larch_status st;

	st = larch_store_count(store, &messages);
	if (st == LARCH_OK)
		st = larch_store_count_threads(store, &threads);
	if (st == LARCH_OK)
		st = larch_store_meta_foreach(store, LARCH_SOURCE_KEY,
		    add_source, &src);
	if (st == LARCH_OK)
		st = larch_store_disk_size(store, &bytes);
	/* Keys are hashes: list the files by name. */
	g_ptr_array_sort(src.states, by_file);
	if (st != LARCH_OK)
		goto release;

	if (json) {
		JsonBuilder *b = json_builder_new_immutable();
		struct lists l = { b, NULL };
		JsonNode *root;
		char *s;

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "index");
		json_builder_add_string_value(b, dir);
		json_int(b, "schema", LARCH_SCHEMA_VERSION);
		json_int(b, "messages", messages);
		json_int(b, "threads", threads);
		json_int(b, "copies", src.copies);
		json_int(b, "skipped", src.skipped);
		json_int(b, "index_bytes", bytes);
		json_builder_set_member_name(b, "lists");
		json_builder_begin_array(b);
		st = larch_store_lists(store, add_list, &l);
		json_builder_end_array(b);
		json_builder_set_member_name(b, "sources");
		json_sources(b, src.states);
		json_builder_end_object(b);
		root = json_builder_get_root(b);
		s = json_to_string(root, FALSE);
		fprintf(out, "%s\n", s);
		g_free(s);
		json_node_unref(root);
		g_object_unref(b);
	} else {
		struct lists l = { NULL, out };
		uint64_t vanished = 0;
		char *size = g_format_size(bytes);

		for (guint i = 0; i < src.states->len; i++)
			vanished += ((struct larch_source_state *)
			    src.states->pdata[i])->vanished;
		fprintf(out, "index     %s\n", dir);
		fprintf(out, "messages  %" G_GUINT64_FORMAT "\n", messages);
		fprintf(out, "threads   %" G_GUINT64_FORMAT "\n", threads);
		fprintf(out, "copies    %" G_GUINT64_FORMAT " (from %u "
		    "source files, %" G_GUINT64_FORMAT " vanished)\n",
		    src.copies, src.states->len, vanished);
		fprintf(out, "skipped   %" G_GUINT64_FORMAT "\n", src.skipped);
		fprintf(out, "size      %s\n", size);
		fprintf(out, "lists\n");
		st = larch_store_lists(store, add_list, &l);
		g_free(size);
	}
release:
	g_ptr_array_unref(src.states);
	return st;
}

static enum larch_status
print_record(const struct larch_msg *msg, void *data)
{
	char *json = larch_record_to_json(msg);

	fputs(json, data);
	fputc('\n', data);
	g_free(json);
	return ferror((FILE *)data) ? LARCH_ERR_IO : LARCH_OK;
}

enum larch_status
larch_report_export(struct larch_store *store, FILE *out)
{
	return larch_store_foreach(store, print_record, out);
}

enum larch_status
larch_report_thread(struct larch_store *store, const char *mid, bool json,
    FILE *out)
{
	char *norm = larch_mid_normalise(mid);
	struct larch_msg *links = NULL;
	GPtrArray *mids = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *msgs = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)larch_msg_free);
	enum larch_status st = LARCH_ERR_NOT_FOUND;
	char *text;

	if (norm != NULL)
		st = larch_store_get_links(store, norm, &links);
	if (st == LARCH_OK && links->thread == NULL) {
		/* Indexed before threading ran: a thread of its own. */
		g_ptr_array_add(mids, g_strdup(links->mid));
	} else if (st == LARCH_OK) {
		st = larch_store_thread_links(store, links->thread,
		    larch_store_collect_mid, mids);
	}
	for (guint i = 0; st == LARCH_OK && i < mids->len; i++) {
		struct larch_msg *m = NULL;

		st = larch_store_get(store, mids->pdata[i], &m);
		if (st == LARCH_OK)
			g_ptr_array_add(msgs, m);
	}
	if (st == LARCH_OK) {
		larch_thread_sort(msgs);
		text = larch_thread_summary(msgs, json);
		fputs(text, out);
		if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
			fputc('\n', out);
		g_free(text);
	}
	g_ptr_array_unref(msgs);
	g_ptr_array_unref(mids);
	larch_msg_free(links);
	g_free(norm);
	return st;
}
