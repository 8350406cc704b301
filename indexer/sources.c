/* Per-file indexing progress kept in index metadata; see sources.h. */
#include <string.h>
#include <json-glib/json-glib.h>
#include <zlib.h>

#include "larch/json_out.h"
#include "larch/msg.h"
#include "larch/stream.h"
#include "sources.h"

void
larch_source_state_release(struct larch_source_state *state)
{
	if (state == NULL)
		return;
	g_free(state->file);
	g_free(state->kind);
	g_free(state->list);
	g_free(state->tail_mid);
	memset(state, 0, sizeof *state);
}

void
larch_source_state_copy(struct larch_source_state *to,
    const struct larch_source_state *from)
{
	*to = *from;
	to->file = g_strdup(from->file);
	to->kind = g_strdup(from->kind);
	to->list = g_strdup(from->list);
	to->tail_mid = g_strdup(from->tail_mid);
}

static void
copy_hash(char out[17], const char *in)
{
	g_strlcpy(out, in != NULL ? in : "", 17);
}

/* Metadata keys have a length limit (Xapian: 255 bytes) that paths do
 * not: the key holds a hash of the path, the value the path itself. */
char *
larch_source_state_key(const char *file)
{
	char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, file, -1);
	char *key = g_strdup_printf("%s%.32s", LARCH_SOURCE_KEY, hex);

	g_free(hex);
	return key;
}

enum larch_status
larch_source_state_parse(const char *value, struct larch_source_state *state)
{
	JsonParser *parser = json_parser_new_immutable();
	JsonObject *o;
	enum larch_status st = LARCH_ERR_PARSE;

	memset(state, 0, sizeof *state);
	if (!json_parser_load_from_data(parser, value, -1, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
		goto free_parser;
	o = json_node_get_object(json_parser_get_root(parser));
	if (json_object_get_string_member_with_default(o, "file", NULL) ==
	    NULL)
		goto free_parser;
	state->file = larch_path_from_utf8(json_object_get_string_member(o,
	    "file"));
	state->size = json_object_get_int_member_with_default(o, "size", 0);
	state->mtime = json_object_get_int_member_with_default(o, "mtime", 0);
	state->offset = json_object_get_int_member_with_default(o, "offset",
	    0);
	state->tail_offset = json_object_get_int_member_with_default(o,
	    "tail_offset", 0);
	copy_hash(state->head, json_object_get_string_member_with_default(o,
	    "head", ""));
	state->head_len = json_object_get_int_member_with_default(o,
	    "head_len", 0);
	copy_hash(state->tail, json_object_get_string_member_with_default(o,
	    "tail", ""));
	state->tail_len = json_object_get_int_member_with_default(o,
	    "tail_len", 0);
	state->tail_mid = g_strdup(json_object_get_string_member_with_default(
	    o, "tail_mid", NULL));
	state->kind = g_strdup(json_object_get_string_member_with_default(o,
	    "kind", "unknown"));
	state->list_known = json_object_has_member(o, "list");
	state->list = g_strdup(json_object_get_string_member_with_default(o,
	    "list", NULL));
	state->messages = json_object_get_int_member_with_default(o,
	    "messages", 0);
	state->skipped = json_object_get_int_member_with_default(o,
	    "skipped", 0);
	state->vanished = json_object_get_boolean_member_with_default(o,
	    "vanished", FALSE);
	state->rewriting = json_object_get_boolean_member_with_default(o,
	    "rewriting", FALSE);
	st = LARCH_OK;
free_parser:
	g_object_unref(parser);
	return st;
}

void
larch_source_sum(const char *data, size_t len, char out[17])
{
	uLong crc = crc32_z(0L, (const Bytef *)data, len);
	uLong adler = adler32_z(1L, (const Bytef *)data, len);

	g_snprintf(out, 17, "%08lx%08lx", crc & 0xffffffffUL,
	    adler & 0xffffffffUL);
}

bool
larch_source_sum_matches(const char *data, size_t len, const char *sum)
{
	char now[17];
	char *legacy;
	bool same;

	larch_source_sum(data, len, now);
	if (strcmp(now, sum) == 0)
		return true;
	legacy = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
	    (const guchar *)data, len);
	same = strlen(sum) == 16 && strncmp(legacy, sum, 16) == 0;
	g_free(legacy);
	return same;
}

bool
larch_source_state_known(struct larch_store *store, const char *file)
{
	char *key = larch_source_state_key(file), *value = NULL;
	bool known = larch_store_meta_get(store, key, &value) != LARCH_OK ||
	    value != NULL;

	g_free(value);
	g_free(key);
	return known;
}

enum larch_status
larch_source_state_load(struct larch_store *store, const char *file,
    struct larch_source_state *state)
{
	char *key = larch_source_state_key(file);
	char *value = NULL;
	enum larch_status st;

	memset(state, 0, sizeof *state);
	st = larch_store_meta_get(store, key, &value);
	g_free(key);
	if (st != LARCH_OK)
		return st;
	if (value == NULL)
		return LARCH_ERR_NOT_FOUND;
	st = larch_source_state_parse(value, state);
	g_free(value);
	/* Two paths with one hash would be a SHA-256 collision. */
	if (st == LARCH_OK && strcmp(state->file, file) != 0)
		st = LARCH_ERR_CORRUPT;
	return st;
}

/* Saved for every file read, on the writer's thread: written without
 * json-glib's builder (include/larch/json_out.h says why). */
enum larch_status
larch_source_state_save(struct larch_store *store,
    const struct larch_source_state *state)
{
	GString *j = g_string_sized_new(512);
	char *json, *key, *file = larch_path_to_utf8(state->file);
	enum larch_status st;

	larch_json_open(j);
	larch_json_str(j, "file", file);
	g_free(file);
	larch_json_int(j, "size", (int64_t)state->size);
	larch_json_int(j, "mtime", state->mtime);
	larch_json_int(j, "offset", (int64_t)state->offset);
	larch_json_str(j, "head", state->head);
	larch_json_int(j, "head_len", (int64_t)state->head_len);
	larch_json_int(j, "tail_offset",
	    (int64_t)state->tail_offset);
	larch_json_str(j, "tail", state->tail);
	larch_json_int(j, "tail_len", (int64_t)state->tail_len);
	if (state->tail_mid != NULL)
		larch_json_str(j, "tail_mid", state->tail_mid);
	larch_json_str(j, "kind",
	    state->kind ? state->kind : "unknown");
	larch_json_str(j, "list", state->list);
	larch_json_int(j, "messages", (int64_t)state->messages);
	larch_json_int(j, "skipped", (int64_t)state->skipped);
	larch_json_bool(j, "vanished", state->vanished);
	larch_json_bool(j, "rewriting", state->rewriting);
	larch_json_close(j);
	json = g_string_free(j, FALSE);
	key = larch_source_state_key(state->file);
	st = larch_store_meta_set(store, key, json);
	g_free(key);
	g_free(json);
	return st;
}

enum larch_status
larch_source_state_forget(struct larch_store *store, const char *file)
{
	char *key = larch_source_state_key(file);
	/* An empty value is how Xapian removes a metadata key. */
	enum larch_status st = larch_store_meta_set(store, key, "");

	g_free(key);
	return st;
}

bool
larch_source_head_matches(const char *file, uint64_t len, const char *head)
{
	struct larch_stream *stream = NULL;
	guchar buf[LARCH_SOURCE_PROBE];
	size_t got = 0;
	bool same = false;

	g_return_val_if_fail(len <= sizeof buf, false);
	if (larch_stream_open(file, &stream, NULL) != LARCH_OK)
		goto close;
	/* Reads may come short: a gzip member boundary, a pipe. */
	while (got < len) {
		size_t n = 0;

		if (larch_stream_read(stream, buf + got, len - got, &n) !=
		    LARCH_OK || n == 0)
			goto close;
		got += n;
	}
	same = larch_source_sum_matches((const char *)buf, got, head);
close:
	larch_stream_close(stream);
	return same;
}
