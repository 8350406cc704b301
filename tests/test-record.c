/* Tests for lib/record.c: JSON records and ISO 8601 dates. */
#include <string.h>

#include "larch/record.h"
#include "test-util.h"

static void
test_iso8601(void)
{
	static const struct {
		int64_t t;
		const char *want;
	} rows[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ 1464289500, "2016-05-26T19:05:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ -86400, "1969-12-31T00:00:00Z" },
		{ 951782400, "2000-02-29T00:00:00Z" },
		{ 4102444800, "2100-01-01T00:00:00Z" },
		{ 253402300799, "9999-12-31T23:59:59Z" },
		{ 253402300800, "10000-01-01T00:00:00Z" },
		{ -62135596800, "0001-01-01T00:00:00Z" },
		{ -62167219200, "0000-01-01T00:00:00Z" },
		{ -62167219201, "-0001-12-31T23:59:59Z" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char *s = larch_iso8601(rows[i].t);

		g_assert_cmpstr(s, ==, rows[i].want);
		g_free(s);
	}
}

static struct larch_msg *
full_msg(void)
{
	struct larch_msg *m = larch_msg_new();
	struct larch_attachment *a;

	m->mid = g_strdup("20160526.abc@example.org");
	m->header_mid = g_strdup("20160526.abc@example.org");
	m->list = g_strdup("dev");
	m->list_id = g_strdup("dev.lists.example.org");
	g_assert_true(larch_msg_add_list(m, "users"));
	g_assert_false(larch_msg_add_list(m, "dev"));
	g_assert_false(larch_msg_add_list(m, "users"));
	m->date = 1464289500;
	m->from_addr = g_strdup("jörg@example.org");
	m->from_name = g_strdup("Jörg \"the\" Ü\\ser 日本語 🎉");
	m->subject = g_strdup("Re: [dev] tabs\tand\nnewlines \x01 ✓");
	m->to = g_strdup("dev@lists.example.org, \"A, B\" <ab@example.org>");
	m->cc = g_strdup("cc@example.org");
	m->in_reply_to = g_strdup("parent@example.org");
	g_ptr_array_add(m->references, g_strdup("root@example.org"));
	g_ptr_array_add(m->references, g_strdup("parent@example.org"));
	m->body = g_strdup("not part of the record");
	a = g_new0(struct larch_attachment, 1);
	a->filename = g_strdup("patch ü.diff");
	a->content_type = g_strdup("text/x-diff");
	a->size = 12345;
	a->text = g_strdup("not part of the record either");
	g_ptr_array_add(m->attachments, a);
	a = g_new0(struct larch_attachment, 1);
	a->content_type = g_strdup("application/octet-stream");
	g_ptr_array_add(m->attachments, a);
	larch_msg_add_source(m, "/srv/a/2016-05.mbox.gz", 0, 4096,
	    LARCH_FORMAT_MBOXRD);
	larch_msg_add_source(m, "/srv/a/2016-May.txt", G_MAXINT64, 1,
	    LARCH_FORMAT_PIPERMAIL);
	larch_msg_add_source(m, "/srv/a/cur/1.eml", 7, 8, LARCH_FORMAT_FILE);
	larch_msg_add_source(m, "/srv/a/x.mbox", 9, 10, LARCH_FORMAT_MBOXO);
	larch_msg_add_source(m, "/srv/a/y.mbox", 11, 12, LARCH_FORMAT_MBOXCL);
	larch_msg_add_source(m, "/srv/a/dev/2016-May/003251.html", 0, 5000,
	    LARCH_FORMAT_PIPERMAIL_HTML);
	g_assert_true(larch_msg_add_article(m, "dev", "2016-May", 3251));
	g_assert_false(larch_msg_add_article(m, "dev", "2016-May", 3251));
	g_assert_true(larch_msg_add_article(m, "users", "2016-May", 0));
	g_assert_true(larch_msg_add_article(m, "dev", "2016-June",
	    G_MAXUINT32));
	strcpy(m->text_hash, "0123456789abcdef");
	strcpy(m->ascii_hash, "fedcba9876543210");
	m->ascii_len = G_MAXUINT32;
	strcpy(m->shape_hash, "00112233aabbccdd");
	strcpy(m->byte_shape_hash, "ddccbbaa33221100");
	m->shape_len = 77;
	m->thread = g_strdup("t0123abcd");
	m->parent = g_strdup("parent@example.org");
	m->depth = 7;
	m->inferred_parent = true;
	m->from_is_list = true;
	m->new_text = g_strdup("Agreed.\n\nThe MAG decided — 決定.");
	m->summary = g_strdup("Agreed. The MAG decided — 決定.");
	m->signature = g_strdup("Jörg");
	m->footer = g_strdup("___\nDev mailing list");
	larch_msg_add_quote(m, "> not stripped? \"q\"", 1,
	    "parent@example.org")->attribution =
	    g_strdup("On Mon, Ann <ann@example.org> wrote:");
	larch_msg_add_quote(m, "", 2, NULL);
	return m;
}

/* Compares everything the record holds (not body or attachment text). */
static void
assert_same_record(const struct larch_msg *a, const struct larch_msg *b)
{
	g_assert_cmpstr(a->mid, ==, b->mid);
	g_assert_cmpstr(a->header_mid, ==, b->header_mid);
	g_assert_cmpstr(a->list, ==, b->list);
	g_assert_cmpuint(a->also_lists->len, ==, b->also_lists->len);
	for (guint i = 0; i < a->also_lists->len; i++)
		g_assert_cmpstr(a->also_lists->pdata[i], ==,
		    b->also_lists->pdata[i]);
	g_assert_cmpstr(a->list_id, ==, b->list_id);
	g_assert_cmpint(a->date, ==, b->date);
	g_assert_cmpstr(a->from_addr, ==, b->from_addr);
	g_assert_cmpstr(a->from_name, ==, b->from_name);
	g_assert_cmpstr(a->subject, ==, b->subject);
	g_assert_cmpstr(a->to, ==, b->to);
	g_assert_cmpstr(a->cc, ==, b->cc);
	g_assert_cmpstr(a->in_reply_to, ==, b->in_reply_to);
	g_assert_cmpuint(a->references->len, ==, b->references->len);
	for (guint i = 0; i < a->references->len; i++)
		g_assert_cmpstr(a->references->pdata[i], ==,
		    b->references->pdata[i]);
	g_assert_cmpuint(a->attachments->len, ==, b->attachments->len);
	for (guint i = 0; i < a->attachments->len; i++) {
		const struct larch_attachment *x = a->attachments->pdata[i];
		const struct larch_attachment *y = b->attachments->pdata[i];

		g_assert_cmpstr(x->filename, ==, y->filename);
		g_assert_cmpstr(x->content_type, ==, y->content_type);
		g_assert_cmpuint(x->size, ==, y->size);
	}
	g_assert_cmpuint(a->sources->len, ==, b->sources->len);
	for (guint i = 0; i < a->sources->len; i++) {
		const struct larch_source *x = a->sources->pdata[i];
		const struct larch_source *y = b->sources->pdata[i];

		g_assert_cmpstr(x->file, ==, y->file);
		g_assert_cmpuint(x->offset, ==, y->offset);
		g_assert_cmpuint(x->length, ==, y->length);
		g_assert_cmpint(x->format, ==, y->format);
	}
	g_assert_cmpuint(a->articles->len, ==, b->articles->len);
	for (guint i = 0; i < a->articles->len; i++) {
		const struct larch_article *x = a->articles->pdata[i];
		const struct larch_article *y = b->articles->pdata[i];

		g_assert_cmpstr(x->list, ==, y->list);
		g_assert_cmpstr(x->month, ==, y->month);
		g_assert_cmpuint(x->number, ==, y->number);
	}
	g_assert_cmpstr(a->text_hash, ==, b->text_hash);
	g_assert_cmpstr(a->ascii_hash, ==, b->ascii_hash);
	g_assert_cmpuint(a->ascii_len, ==, b->ascii_len);
	g_assert_cmpstr(a->shape_hash, ==, b->shape_hash);
	g_assert_cmpstr(a->byte_shape_hash, ==, b->byte_shape_hash);
	g_assert_cmpuint(a->shape_len, ==, b->shape_len);
	g_assert_cmpstr(a->thread, ==, b->thread);
	g_assert_cmpstr(a->parent, ==, b->parent);
	g_assert_cmpint(a->depth, ==, b->depth);
	g_assert_cmpint(a->inferred_parent, ==, b->inferred_parent);
	g_assert_cmpint(a->from_is_list, ==, b->from_is_list);
	g_assert_cmpstr(a->new_text, ==, b->new_text);
	g_assert_cmpstr(a->summary, ==, b->summary);
	g_assert_cmpstr(a->signature, ==, b->signature);
	g_assert_cmpstr(a->footer, ==, b->footer);
	g_assert_cmpuint(a->quotes->len, ==, b->quotes->len);
	for (guint i = 0; i < a->quotes->len; i++) {
		const struct larch_quote *x = a->quotes->pdata[i];
		const struct larch_quote *y = b->quotes->pdata[i];

		g_assert_cmpstr(x->text, ==, y->text);
		g_assert_cmpstr(x->source, ==, y->source);
		g_assert_cmpint(x->depth, ==, y->depth);
		g_assert_cmpstr(x->attribution, ==, y->attribution);
	}
}

static struct larch_msg *
round_trip(const struct larch_msg *m)
{
	struct larch_msg *back = NULL;
	char *json = larch_record_to_json(m);

	g_assert_nonnull(json);
	g_assert_null(strchr(json, '\n'));
	g_assert_cmpint(larch_record_from_json(json, strlen(json), &back), ==,
	    LARCH_OK);
	g_assert_nonnull(back);
	g_free(json);
	return back;
}

static void
test_round_trip_full(void)
{
	struct larch_msg *m = full_msg(), *back = round_trip(m);
	const struct larch_attachment *a;

	assert_same_record(m, back);
	g_assert_null(back->body);
	a = back->attachments->pdata[0];
	g_assert_null(a->text);
	g_assert_true(larch_msg_remove_article(back, "users", "2016-May", 0));
	g_assert_false(larch_msg_remove_article(back, "users", "2016-May", 0));
	g_assert_false(larch_msg_remove_article(back, "dev", "2016-May", 1));
	g_assert_cmpuint(back->articles->len, ==, 2);
	larch_msg_free(back);
	larch_msg_free(m);
}

static void
test_round_trip_empty(void)
{
	struct larch_msg *m = larch_msg_new(), *back;
	char *json;

	m->mid = g_strdup("x@y");
	json = larch_record_to_json(m);
	g_assert_cmpstr(json, ==,
	    "{\"mid\":\"x@y\",\"header_mid\":null,\"list\":null,"
	    "\"lists\":[],\"list_id\":null,\"date\":null,"
	    "\"from\":null,\"from_name\":null,\"subject\":null,\"to\":null,"
	    "\"cc\":null,\"in_reply_to\":null,\"references\":[],"
	    "\"attachments\":[],\"sources\":[],\"articles\":[],"
	    "\"thread\":null,"
	    "\"parent\":null,\"depth\":0,\"inferred_parent\":false,"
	    "\"from_is_list\":false,"
	    "\"new_text\":null,\"summary\":null,\"quotes\":[],"
	    "\"signature\":null,\"footer\":null,\"text_hash\":null,"
	    "\"ascii_hash\":null,\"ascii_len\":0,\"shape_hash\":null,"
	    "\"byte_shape_hash\":null,\"shape_len\":0}");
	g_free(json);
	back = round_trip(m);
	assert_same_record(m, back);
	larch_msg_free(back);
	larch_msg_free(m);
}

/* Records written before quotes kept their attribution line read back
 * with none. */
static void
test_quote_without_attribution(void)
{
	const char *json = "{\"mid\":\"x@y\",\"quotes\":[{\"text\":\"Yes.\","
	    "\"source\":\"a@b\",\"depth\":1}]}";
	struct larch_msg *m = NULL;
	const struct larch_quote *q;

	g_assert_cmpint(larch_record_from_json(json, strlen(json), &m), ==,
	    LARCH_OK);
	g_assert_cmpuint(m->quotes->len, ==, 1);
	q = m->quotes->pdata[0];
	g_assert_cmpstr(q->text, ==, "Yes.");
	g_assert_cmpstr(q->source, ==, "a@b");
	g_assert_null(q->attribution);
	larch_msg_free(m);
}

/* Found by fuzz/fuzz-message: a message without new text had
 * "new_text":"" in its record, and null once read back and written again. */
static void
test_round_trip_empty_strings(void)
{
	struct larch_msg *m = larch_msg_new(), *back;
	char *json, *again;

	m->mid = g_strdup("x@y");
	m->new_text = g_strdup("");
	m->summary = g_strdup("");
	m->subject = g_strdup("");
	json = larch_record_to_json(m);
	g_assert_nonnull(strstr(json, "\"new_text\":null,\"summary\":null"));
	g_assert_nonnull(strstr(json, "\"subject\":null"));
	back = round_trip(m);
	g_assert_null(back->new_text);
	again = larch_record_to_json(back);
	g_assert_cmpstr(again, ==, json);
	g_free(again);
	g_free(json);
	larch_msg_free(back);
	larch_msg_free(m);
}

/* Found by fuzz/fuzz-message: json-glib writes U+001F raw, and such a
 * record did not read back. */
static void
test_round_trip_unit_separator(void)
{
	struct larch_msg *m = larch_msg_new(), *back;
	char *json;

	m->mid = g_strdup("x@y");
	m->subject = g_strdup("two hours per\x1fweek");
	m->new_text = g_strdup("a\x1f\x1f" "b \xff\x1f");
	json = larch_record_to_json(m);
	g_assert_null(strchr(json, '\x1f'));
	g_free(json);
	back = round_trip(m);
	g_assert_cmpstr(back->subject, ==, "two hours per week");
	g_assert_cmpstr(back->new_text, ==, "a  b \xef\xbf\xbd ");
	larch_msg_free(back);
	larch_msg_free(m);
}

static void
test_round_trip_huge_subject(void)
{
	struct larch_msg *m = larch_msg_new(), *back;
	GString *s = g_string_new(NULL);

	while (s->len < 1024 * 1024)
		g_string_append(s, "Ünïcödé \"quoted\" \\ tab\t日本 ");
	m->mid = g_strdup("big@example.org");
	m->subject = g_string_free(s, FALSE);
	back = round_trip(m);
	assert_same_record(m, back);
	larch_msg_free(back);
	larch_msg_free(m);
}

static void
test_invalid_utf8_repaired(void)
{
	struct larch_msg *m = larch_msg_new(), *back;

	m->mid = g_strdup("bad@example.org");
	m->subject = g_strdup("caf\xe9 \xff\xfe ok");
	g_ptr_array_add(m->references, g_strdup("r\xe9" "f@x"));
	back = round_trip(m);
	g_assert_true(g_utf8_validate(back->subject, -1, NULL));
	g_assert_cmpuint(back->references->len, ==, 1);
	g_assert_true(g_utf8_validate(back->references->pdata[0], -1, NULL));
	g_assert_true(g_str_has_prefix(back->subject, "caf"));
	g_assert_true(g_str_has_suffix(back->subject, " ok"));
	larch_msg_free(back);
	larch_msg_free(m);
}

/*
 * A file name that is not UTF-8 (an old archive's Latin-1 name) reads
 * back byte for byte: it was written with U+FFFD in place of its bad
 * bytes, so RAW could never open the file again.
 */
static void
test_non_utf8_path(void)
{
	static const char *const paths[] = {
		"/srv/caf\xe9.mbox", "/srv/\xff\xfe/x\xc3",
		"/srv/caf\xc3\xa9.mbox",
		"/srv/\xe6\x96\x87/\xe6\x96.gz", "/srv/plain.mbox",
	};
	struct larch_msg *m = larch_msg_new(), *back;

	m->mid = g_strdup("path@example.org");
	for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
		char *text = larch_path_to_utf8(paths[i]);
		char *raw = larch_path_from_utf8(text);

		g_assert_true(g_utf8_validate(text, -1, NULL));
		g_assert_cmpstr(raw, ==, paths[i]);
		if (g_utf8_validate(paths[i], -1, NULL))
			g_assert_cmpstr(text, ==, paths[i]);
		g_free(text);
		g_free(raw);
		larch_msg_add_source(m, paths[i], i, 1, LARCH_FORMAT_MBOXRD);
	}
	back = round_trip(m);
	g_assert_cmpuint(back->sources->len, ==, G_N_ELEMENTS(paths));
	for (size_t i = 0; i < G_N_ELEMENTS(paths); i++)
		g_assert_cmpstr(((struct larch_source *)
		    back->sources->pdata[i])->file, ==, paths[i]);
	larch_msg_free(back);
	larch_msg_free(m);
}

static void
test_dates_round_trip(void)
{
	static const int64_t fixed[] = {
		0, -1, 1, 951782399, 951782400, G_MAXINT64, G_MININT64 + 1,
		G_MININT64, G_MAXINT32, (int64_t)G_MAXINT32 + 1,
	};
	struct larch_msg *m = larch_msg_new();

	m->mid = g_strdup("d@x");
	for (size_t i = 0; i < G_N_ELEMENTS(fixed) + 2000; i++) {
		struct larch_msg *back;

		if (i < G_N_ELEMENTS(fixed))
			m->date = fixed[i];
		else
			m->date = (int64_t)g_test_rand_int_range(-1,
			    G_MAXINT32) * (g_test_rand_bit() ? 7919 : 1) *
			    (g_test_rand_bit() ? -1 : 1);
		back = round_trip(m);
		g_assert_cmpint(back->date, ==, m->date);
		larch_msg_free(back);
	}
	larch_msg_free(m);
}

static void
test_tolerant(void)
{
	static const char *rows[] = {
		/* Only mid is required; unknown keys are ignored. */
		"{\"mid\":\"a@b\"}",
		"{\"mid\":\"a@b\",\"future\":{\"x\":[1,2,{}]},\"n\":1.5}",
		"  {\"mid\":\"a@b\",\"date\":null,\"references\":null}\n",
		"{\"mid\":\"a@b\",\"subject\":\"\",\"sources\":[]}",
		"{\"mid\":\"a@b\",\"from_name\":\"\\ud83d\\ude00 \\u00fc\"}",
		"{\"mid\":\"a\\u0040b\",\"ascii_len\":-0}",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_msg *m = NULL;

		g_test_message("row %zu: %s", i, rows[i]);
		g_assert_cmpint(larch_record_from_json(rows[i],
		    strlen(rows[i]), &m), ==, LARCH_OK);
		g_assert_cmpstr(m->mid, ==, "a@b");
		/* "" is not a value in the model. */
		g_assert_null(m->subject);
		larch_msg_free(m);
	}
}

#define SRC(x) "{\"mid\":\"a@b\",\"sources\":[" x "]}"

static void
test_rejects(void)
{
	static const char *rows[] = {
		"",
		" ",
		"null",
		"[]",
		"\"mid\"",
		"42",
		"{}",
		"{\"mid\":null}",
		"{\"mid\":\"\"}",
		"{\"mid\":1}",
		"{\"mid\":[\"a\"]}",
		"{\"mid\":\"a@b\"",
		"{\"mid\":\"a@b\"}}",
		"{\"mid\":\"a@b\"} {}",
		"{\"mid\":\"a@b\",}",
		/* json-glib's leniencies must not get through. */
		"{'mid':'a@b'}",
		"{\"mid\":\"a@b\"/*c*/}",
		"{\"mid\":\"a@b\"}//x",
		"#x\n{\"mid\":\"a@b\"}",
		"{mid:\"a@b\"}",
		"{\"mid\":\"a@b\",\"ascii_len\":0x10}",
		"{\"mid\":\"a@b\",\"ascii_len\":010}",
		"{\"mid\":\"a@b\",\"ascii_len\":+1}",
		"{\"mid\":\"a@b\",\"ascii_len\":1e2}",
		"{\"mid\":\"a@b\",\"x\":NaN}",
		"{\"mid\":\"a@b\",\"x\":[1,]}",
		"{\"mid\":\"a@b\",\"x\":tru}",
		"{\"mid\":\"a\\u0000b\"}",
		"{\"mid\":\"a\\ud800b\"}",
		"{\"mid\":\"a\\udc00b\"}",
		"{\"mid\":\"a\\ud800\\u0041\"}",
		"{\"mid\":\"a\\u12\"}",
		"{\"mid\":\"a\\qb\"}",
		"{\"mid\":\"a\tb\"}",
		"{\"mid\":\"a\\",
		"{\"mid\":\"a@b\",\"subject\":5}",
		"{\"mid\":\"a@b\",\"subject\":true}",
		"{\"mid\":\"a@b\",\"subject\":{}}",
		"{\"mid\":\"a@b\",\"date\":\"2016-05-26\"}",
		"{\"mid\":\"a@b\",\"date\":\"2016-05-26T19:05:00\"}",
		"{\"mid\":\"a@b\",\"date\":\"2016-05-26T19:05:00+00:00\"}",
		"{\"mid\":\"a@b\",\"date\":\"2016-13-26T19:05:00Z\"}",
		"{\"mid\":\"a@b\",\"date\":\"2015-02-29T19:05:00Z\"}",
		"{\"mid\":\"a@b\",\"date\":\"2016-05-26T24:05:00Z\"}",
		"{\"mid\":\"a@b\",\"date\":\"2016-05-26T19:05:00Zjunk\"}",
		"{\"mid\":\"a@b\",\"date\":\"99999999999999-01-01T00:00:00Z\"}",
		"{\"mid\":\"a@b\",\"date\":\"999999999999-01-01T00:00:00Z\"}",
		"{\"mid\":\"a@b\",\"date\":1464289500}",
		"{\"mid\":\"a@b\",\"references\":\"x@y\"}",
		"{\"mid\":\"a@b\",\"references\":[1]}",
		"{\"mid\":\"a@b\",\"references\":[null]}",
		"{\"mid\":\"a@b\",\"attachments\":[1]}",
		"{\"mid\":\"a@b\",\"attachments\":[{\"size\":-1}]}",
		"{\"mid\":\"a@b\",\"attachments\":[{\"size\":1.5}]}",
		"{\"mid\":\"a@b\",\"attachments\":[{\"size\":\"1\"}]}",
		"{\"mid\":\"a@b\",\"attachments\":{}}",
		SRC("{\"file\":\"f\",\"offset\":0,\"length\":1}"),
		SRC("{\"file\":\"f\",\"offset\":0,\"length\":1,"
		    "\"format\":\"x\"}"),
		SRC("{\"file\":null,\"offset\":0,\"length\":1,"
		    "\"format\":\"file\"}"),
		SRC("{\"offset\":0,\"length\":1,\"format\":\"file\"}"),
		SRC("{\"file\":\"f\",\"offset\":-5,\"length\":1,"
		    "\"format\":\"file\"}"),
		SRC("{\"file\":\"f\",\"offset\":99999999999999999999,"
		    "\"length\":1,\"format\":\"file\"}"),
		SRC("\"f\""),
		"{\"mid\":\"a@b\",\"articles\":{}}",
		"{\"mid\":\"a@b\",\"articles\":[1]}",
		"{\"mid\":\"a@b\",\"articles\":[{\"list\":\"l\","
		    "\"number\":1}]}",
		"{\"mid\":\"a@b\",\"articles\":[{\"list\":\"l\","
		    "\"month\":\"2016-May\",\"number\":-1}]}",
		"{\"mid\":\"a@b\",\"articles\":[{\"list\":\"l\","
		    "\"month\":\"2016-May\",\"number\":4294967296}]}",
		"{\"mid\":\"a@b\",\"articles\":[{\"list\":\"l\","
		    "\"month\":\"2016-May\",\"number\":\"3\"}]}",
		"{\"mid\":\"a@b\",\"articles\":[{\"list\":7,"
		    "\"month\":\"2016-May\",\"number\":3}]}",
		"{\"mid\":\"a@b\",\"text_hash\":\"0123456789abcdef0\"}",
		"{\"mid\":\"a@b\",\"ascii_hash\":7}",
		"{\"mid\":\"a@b\",\"ascii_len\":4294967296}",
		"{\"mid\":\"a@b\",\"ascii_len\":-1}",
		"{\"mid\":\"a@b\",\"shape_hash\":\"0123456789abcdef0\"}",
		"{\"mid\":\"a@b\",\"shape_len\":-1}",
		"{\"mid\":\"caf\xe9\"}",
		"{\"mid\":\"a@b\",\"subject\":\"\xff\"}",
		"\xef\xbb\xbf{\"mid\":\"a@b\",\"subject\":\"\xc3\"}",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct larch_msg *m = (struct larch_msg *)0x1;
		char *shown = g_strescape(rows[i], NULL);

		g_test_message("row %zu: %s", i, shown);
		g_free(shown);
		g_assert_cmpint(larch_record_from_json(rows[i],
		    strlen(rows[i]), &m), ==, LARCH_ERR_PARSE);
		g_assert_null(m);
	}
}

static void
test_rejects_binary(void)
{
	static const char nul[] = "{\"mid\":\"a\0b\"}";
	struct larch_msg *m = NULL;
	GString *deep = g_string_new(NULL);

	/* A NUL byte inside the given length. */
	g_assert_cmpint(larch_record_from_json(nul, sizeof nul - 1, &m), ==,
	    LARCH_ERR_PARSE);
	/* Length shorter than the text: only that much is read. */
	g_assert_cmpint(larch_record_from_json("{\"mid\":\"a@b\"}", 5, &m),
	    ==, LARCH_ERR_PARSE);
	g_assert_cmpint(larch_record_from_json(NULL, 0, &m), ==,
	    LARCH_ERR_PARSE);

	/* Deep nesting must not exhaust the stack. */
	g_string_append(deep, "{\"mid\":\"a@b\",\"x\":");
	for (int i = 0; i < 200000; i++)
		g_string_append_c(deep, '[');
	g_assert_cmpint(larch_record_from_json(deep->str, deep->len, &m), ==,
	    LARCH_ERR_PARSE);
	for (int i = 0; i < 200000; i++)
		g_string_append_c(deep, ']');
	g_string_append_c(deep, '}');
	g_assert_cmpint(larch_record_from_json(deep->str, deep->len, &m), ==,
	    LARCH_ERR_PARSE);
	g_assert_null(m);
	g_string_free(deep, TRUE);
}

/* Every prefix of a valid record, and every single-byte corruption of it,
 * is either parsed or rejected, never a crash (under valgrind, every
 * test_sample_stride()th). */
static void
test_mutations(void)
{
	struct larch_msg *full = full_msg();
	char *json = larch_record_to_json(full);
	size_t len = strlen(json), stride = test_sample_stride();
	char *copy = g_malloc(len + 1);
	static const char bytes[] = "\"\\{}[]:,0-\xff\x00 nZ";

	for (size_t cut = 0; cut < len; cut += stride) {
		struct larch_msg *m = NULL;

		g_assert_cmpint(larch_record_from_json(json, cut, &m), ==,
		    LARCH_ERR_PARSE);
		g_assert_null(m);
	}
	for (size_t i = 0; i < len; i += stride) {
		for (size_t b = 0; b < sizeof bytes - 1; b++) {
			struct larch_msg *m = NULL;
			enum larch_status st;

			memcpy(copy, json, len + 1);
			copy[i] = bytes[b];
			st = larch_record_from_json(copy, len, &m);
			g_assert_true(st == LARCH_OK || st == LARCH_ERR_PARSE);
			g_assert_true((st == LARCH_OK) == (m != NULL));
			larch_msg_free(m);
		}
	}
	g_free(copy);
	g_free(json);
	larch_msg_free(full);
}

/* Run with -m perf: records per second both ways. */
static void
test_perf(void)
{
	struct larch_msg *m = full_msg();
	int n = 50000;
	gint64 t0, t1, t2;
	char *json = NULL;

	t0 = g_get_monotonic_time();
	for (int i = 0; i < n; i++) {
		g_free(json);
		json = larch_record_to_json(m);
	}
	t1 = g_get_monotonic_time();
	for (int i = 0; i < n; i++) {
		struct larch_msg *back = NULL;

		g_assert_cmpint(larch_record_from_json(json, strlen(json),
		    &back), ==, LARCH_OK);
		larch_msg_free(back);
	}
	t2 = g_get_monotonic_time();
	g_test_minimized_result(1e6 * n / (double)(t1 - t0),
	    "to_json: %.0f records/s (%zu bytes)",
	    1e6 * n / (double)(t1 - t0), strlen(json));
	g_test_minimized_result(1e6 * n / (double)(t2 - t1),
	    "from_json: %.0f records/s", 1e6 * n / (double)(t2 - t1));
	g_free(json);
	larch_msg_free(m);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/record/iso8601", test_iso8601);
	g_test_add_func("/record/round-trip/full", test_round_trip_full);
	g_test_add_func("/record/round-trip/empty", test_round_trip_empty);
	g_test_add_func("/record/quote-without-attribution",
	    test_quote_without_attribution);
	g_test_add_func("/record/round-trip/empty-strings",
	    test_round_trip_empty_strings);
	g_test_add_func("/record/round-trip/unit-separator",
	    test_round_trip_unit_separator);
	g_test_add_func("/record/round-trip/huge-subject",
	    test_round_trip_huge_subject);
	g_test_add_func("/record/round-trip/invalid-utf8",
	    test_invalid_utf8_repaired);
	g_test_add_func("/record/round-trip/dates", test_dates_round_trip);
	g_test_add_func("/record/parse/tolerant", test_tolerant);
	g_test_add_func("/record/parse/rejects", test_rejects);
	g_test_add_func("/record/parse/rejects-binary", test_rejects_binary);
	g_test_add_func("/record/round-trip/non-utf8-path",
	    test_non_utf8_path);
	g_test_add_func("/record/parse/mutations", test_mutations);
	if (g_test_perf())
		g_test_add_func("/record/perf", test_perf);
	return g_test_run();
}
