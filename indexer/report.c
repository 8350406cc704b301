/* --stats and --export; see report.h. */
#include <string.h>
#include <json-glib/json-glib.h>

#include "larch/record.h"
#include "report.h"
#include "sources.h"

/*
 * Threads are counted as the groups of messages joined by their reference
 * headers (a missing parent still joins its replies), with union-find over
 * ids.  Ids are interned in a string chunk, so the parent table maps
 * canonical pointers and compares them directly.
 */
struct threads {
	GStringChunk *ids;
	GHashTable *parent;	/* id -> id, towards the group's root */
	GPtrArray *mids;	/* the ids of real messages */
	uint64_t copies;
};

static const char *
find_root(GHashTable *parent, const char *id)
{
	const char *up;

	while ((up = g_hash_table_lookup(parent, id)) != NULL && up != id) {
		const char *upper = g_hash_table_lookup(parent, up);

		/* Path halving keeps the chains short. */
		if (upper != NULL)
			g_hash_table_insert(parent, (char *)id, (char *)upper);
		id = up;
	}
	return id;
}

static const char *
intern(struct threads *t, const char *id)
{
	const char *key = g_string_chunk_insert_const(t->ids, id);

	if (!g_hash_table_contains(t->parent, key))
		g_hash_table_insert(t->parent, (char *)key, (char *)key);
	return key;
}

static void
join(struct threads *t, const char *a, const char *b)
{
	const char *ra = find_root(t->parent, intern(t, a));
	const char *rb = find_root(t->parent, intern(t, b));

	if (ra != rb)
		g_hash_table_insert(t->parent, (char *)ra, (char *)rb);
}

static enum larch_status
add_to_threads(const struct larch_msg *msg, void *data)
{
	struct threads *t = data;

	g_ptr_array_add(t->mids, (char *)intern(t, msg->mid));
	if (msg->in_reply_to != NULL)
		join(t, msg->mid, msg->in_reply_to);
	for (guint i = 0; i < msg->references->len; i++)
		join(t, msg->mid, msg->references->pdata[i]);
	t->copies += msg->sources->len;
	return LARCH_OK;
}

/* Roots that hold at least one real message. */
static uint64_t
count_threads(struct threads *t)
{
	GHashTable *roots = g_hash_table_new(g_direct_hash, g_direct_equal);
	uint64_t n;

	for (guint i = 0; i < t->mids->len; i++)
		g_hash_table_add(roots, (char *)find_root(t->parent,
		    t->mids->pdata[i]));
	n = g_hash_table_size(roots);
	g_hash_table_unref(roots);
	return n;
}

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
};

static enum larch_status
add_source(const char *key, const char *value, void *data)
{
	struct sources *s = data;
	struct larch_source_state *state = g_new0(struct larch_source_state, 1);

	if (larch_source_state_parse(key + strlen(LARCH_SOURCE_KEY), value,
	    state) != LARCH_OK) {
		g_free(state);
		return LARCH_OK;
	}
	s->skipped += state->skipped;
	g_ptr_array_add(s->states, state);
	return LARCH_OK;
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

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "file");
		json_builder_add_string_value(b, s->file);
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
	struct threads t = {
		g_string_chunk_new(64 * 1024),
		g_hash_table_new(g_direct_hash, g_direct_equal),
		g_ptr_array_new(), 0
	};
	struct sources src = { g_ptr_array_new_with_free_func(state_free), 0 };
	uint64_t messages = 0, threads, bytes = 0;
	enum larch_status st;

	st = larch_store_count(store, &messages);
	if (st == LARCH_OK)
		st = larch_store_foreach(store, add_to_threads, &t);
	if (st == LARCH_OK)
		st = larch_store_meta_foreach(store, LARCH_SOURCE_KEY,
		    add_source, &src);
	if (st == LARCH_OK)
		st = larch_store_disk_size(store, &bytes);
	if (st != LARCH_OK)
		goto release;
	threads = count_threads(&t);

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
		json_int(b, "copies", t.copies);
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
		    t.copies, src.states->len, vanished);
		fprintf(out, "skipped   %" G_GUINT64_FORMAT "\n", src.skipped);
		fprintf(out, "size      %s\n", size);
		fprintf(out, "lists\n");
		st = larch_store_lists(store, add_list, &l);
		g_free(size);
	}
release:
	g_ptr_array_unref(src.states);
	g_ptr_array_unref(t.mids);
	g_hash_table_unref(t.parent);
	g_string_chunk_free(t.ids);
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
