/*
 * Unit tests for indexer/walk.c: which files a folder holds for
 * larch-index, and in what order.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "envelope.h"
#include "split.h"
#include "test-util.h"
#include "walk.h"

struct tree {
	char *tmp;
};

static void
touch(const char *root, const char *rel)
{
	char *path = g_build_filename(root, rel, NULL);
	char *dir = g_path_get_dirname(path);
	GError *err = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_file_set_contents(path, "x\n", -1, &err);
	g_assert_no_error(err);
	g_free(dir);
	g_free(path);
}

/* The walk of root as paths relative to it, joined by spaces. */
static char *
walk_rel(const char *root)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *unreadable = g_ptr_array_new_with_free_func(g_free);
	char *error = NULL, *canon = g_canonicalize_filename(root, NULL);
	GString *out = g_string_new(NULL);

	g_assert_cmpint(larch_walk(root, NULL, files, unreadable, &error), ==,
	    LARCH_OK);
	g_assert_null(error);
	g_assert_cmpuint(unreadable->len, ==, 0);
	for (guint i = 0; i < files->len; i++) {
		const char *f = files->pdata[i];

		g_assert_true(g_str_has_prefix(f, canon));
		g_string_append_printf(out, "%s%s", i > 0 ? " " : "",
		    f + strlen(canon) + 1);
	}
	g_ptr_array_unref(files);
	g_ptr_array_unref(unreadable);
	g_free(canon);
	return g_string_free(out, FALSE);
}

static char *
make_root(void)
{
	GError *err = NULL;
	char *tmp = g_dir_make_tmp("larch-walk-XXXXXX", &err);

	g_assert_no_error(err);
	return tmp;
}

/* Checks the walk of root, then removes and frees root. */
static void
assert_walk(char *root, const char *want)
{
	char *got = walk_rel(root);

	g_assert_cmpstr(got, ==, want);
	g_free(got);
	test_rm_rf(root);
	g_free(root);
}

/* Pipermail months by date, other files by name, hidden files and
 * Maildir tmp/ left out. */
static void
test_walk_names(void)
{
	char *root = make_root();

	touch(root, "b.mbox");
	touch(root, "a.mbox");
	touch(root, ".hidden");
	touch(root, "list/2016-May.txt.gz");
	touch(root, "list/2016-April.txt");
	touch(root, "list/2015-December.txt");
	assert_walk(root, "a.mbox b.mbox list/2015-December.txt "
	    "list/2016-April.txt list/2016-May.txt.gz");
}

/*
 * Maildir messages of every folder come together in delivery order (the
 * time their names start with), where the first of them was; names
 * without a time go first, by path; files beside the Maildirs keep
 * their places.
 */
static void
test_walk_maildirs(void)
{
	char *root = make_root();

	touch(root, "a.mbox");
	touch(root, "dev/cur/300.M3P3.host:2,S");
	touch(root, "dev/cur/100.M1P1.host:2,S");
	touch(root, "dev/new/250.M9P9.host");
	touch(root, "dev/tmp/50.M0P0.host");
	touch(root, "users/cur/200.M2P2.host:2,S");
	touch(root, "users/cur/1000.M4P4.host:2,S");
	touch(root, "users/cur/odd-name");
	touch(root, "users/notes.txt");
	touch(root, "z.mbox");
	assert_walk(root, "a.mbox users/cur/odd-name "
	    "dev/cur/100.M1P1.host:2,S users/cur/200.M2P2.host:2,S "
	    "dev/new/250.M9P9.host dev/cur/300.M3P3.host:2,S "
	    "users/cur/1000.M4P4.host:2,S users/notes.txt z.mbox");
}

/* Time-named files outside a Maildir's cur/ and new/ keep name order. */
static void
test_walk_not_maildir(void)
{
	char *root = make_root();

	touch(root, "x/cur-notes/9.b");
	touch(root, "x/cur-notes/10.a");
	touch(root, "y/cur/10.a");
	touch(root, "y/cur/9.b");
	touch(root, "y/other/10.a");
	touch(root, "y/other/9.b");
	/* A folder merely named new is no Maildir's. */
	touch(root, "z/new/10.a");
	touch(root, "z/new/9.b");
	assert_walk(root, "x/cur-notes/10.a x/cur-notes/9.b "
	    "y/cur/9.b y/cur/10.a y/other/10.a y/other/9.b "
	    "z/new/10.a z/new/9.b");
}

/* What cannot be read is reported with its reason, and a FIFO is not
 * handed to the reader (opening it would wait for a writer). */
static void
test_walk_unreadable(void)
{
	char *root = make_root();
	char *canon = g_canonicalize_filename(root, NULL);
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *unreadable = g_ptr_array_new_with_free_func(g_free);
	char *error = NULL, *path, *want;
	static const char *const links[][2] = {
		{ "box/cur/loop1", "loop2" }, { "box/cur/loop2", "loop1" },
		{ "box/cur/200.M1.h", "/nonexistent/larch" },
	};

	touch(root, "box/cur/100.M1.h:2,S");
	path = g_build_filename(root, "box/cur/300.M1.h:2,S", NULL);
	g_assert_cmpint(mkfifo(path, 0600), ==, 0);
	g_free(path);
	for (size_t i = 0; i < G_N_ELEMENTS(links); i++) {
		path = g_build_filename(root, links[i][0], NULL);
		g_assert_cmpint(symlink(links[i][1], path), ==, 0);
		g_free(path);
	}
	g_assert_cmpint(larch_walk(root, NULL, files, unreadable, &error), ==,
	    LARCH_OK);
	g_assert_cmpuint(files->len, ==, 1);
	g_assert_cmpuint(unreadable->len, ==, 4);
	want = g_strdup_printf("cannot read '%s/box/cur/200.M1.h': %s", canon,
	    g_strerror(ENOENT));
	g_assert_cmpstr(unreadable->pdata[0], ==, want);
	g_free(want);
	want = g_strdup_printf("cannot read '%s/box/cur/300.M1.h:2,S': not a "
	    "regular file", canon);
	g_assert_cmpstr(unreadable->pdata[1], ==, want);
	g_free(want);
	want = g_strdup_printf("cannot read '%s/box/cur/loop1': %s", canon,
	    g_strerror(ELOOP));
	g_assert_cmpstr(unreadable->pdata[2], ==, want);
	g_free(want);
	g_ptr_array_unref(files);
	g_ptr_array_unref(unreadable);
	g_free(canon);
	test_rm_rf(root);
	g_free(root);
}

/* Makes the folder root/rel. */
static void
mkdir_in(const char *root, const char *rel)
{
	char *path = g_build_filename(root, rel, NULL);

	g_assert_cmpint(g_mkdir_with_parents(path, 0755), ==, 0);
	g_free(path);
}

/*
 * A message in a Maildir's cur/ or new/, and where the Maildir is: the
 * Maildir must have the structure (cur/, or new/ and tmp/), a folder
 * merely named new or cur is not one.
 */
static void
test_walk_in_maildir(void)
{
	static const struct {
		const char *file;
		bool in;
		size_t maildir_len;	/* after root's */
	} cases[] = {
		{ "box/cur/1.M1.h:2,S", true, 3 },
		{ "box/new/1.M1.h", true, 3 },
		{ "box/tmp/1.M1.h", false, 0 },
		{ "box/cur", false, 0 },
		{ "gitbox/cur/1.M1.h:2,S", true, 6 },
		{ "fresh/new/1.M1.h", true, 5 },
		{ "Mail/.Lists.policy/cur/1.M1.h:2,S", true, 18 },
		{ "archives/new/list.mbox", false, 0 },
		{ "notes/cur-notes/1.M1.h", false, 0 },
		{ "1.M1.h", false, 0 },
	};
	static const char *const dirs[] = { "box/cur", "box/new", "box/tmp",
		"gitbox/cur", "fresh/new", "fresh/tmp", "Mail/.Lists.policy/cur",
		"Mail/.Lists.policy/new", "archives/new", "notes/cur-notes" };
	char *root = make_root();
	char *canon = g_canonicalize_filename(root, NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++)
		mkdir_in(canon, dirs[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *file = g_build_filename(canon, cases[i].file, NULL);
		size_t len = 99;

		g_assert_cmpint(larch_walk_in_maildir(file, &len), ==,
		    cases[i].in);
		if (cases[i].in)
			g_assert_cmpuint(len, ==, strlen(canon) + 1 +
			    cases[i].maildir_len);
		g_free(file);
	}
	/* Without the folders, no path is a Maildir's. */
	g_assert_false(larch_walk_in_maildir("/nonexistent/box/cur/1.M1.h",
	    NULL));
	g_free(canon);
	test_rm_rf(root);
	g_free(root);
}

/*
 * A Maildir++ mailbox (Courier, Dovecot): every folder but the inbox is
 * a dot-named Maildir beside the inbox's cur/.  Those are walked; other
 * hidden names (version control, other indexes, swap files, a
 * dot-named folder that is no Maildir) are not.
 */
static void
test_walk_maildirpp(void)
{
	char *root = make_root();
	char *sub, *path;

	touch(root, "Mail/cur/100.M1P1.host:2,S");
	touch(root, "Mail/new/400.M4P4.host");
	mkdir_in(root, "Mail/tmp");
	touch(root, "Mail/.Lists.policy/cur/200.M2P2.host:2,S");
	touch(root, "Mail/.Lists.policy/cur/.200.M2P2.host:2,S.swp");
	mkdir_in(root, "Mail/.Lists.policy/new");
	mkdir_in(root, "Mail/.Lists.policy/tmp");
	touch(root, "Mail/.Lists.policy/tmp/50.M0P0.host");
	touch(root, "Mail/.lists.igf-mag/new/300.M3P3.host");
	mkdir_in(root, "Mail/.lists.igf-mag/tmp");
	touch(root, "Mail/.git/config");
	touch(root, "Mail/.notmuch/xapian/postlist.glass");
	touch(root, "Mail/.DS_Store");
	touch(root, "Mail/.old/new/list.mbox");
	touch(root, "Mail/dovecot-uidlist");
	/* An editor's lock file: a link to nowhere, named like a swap file,
	 * is no unreadable mail. */
	path = g_build_filename(root, "Mail", ".#draft", NULL);
	g_assert_cmpint(symlink("larch@host.1234:1", path), ==, 0);
	g_free(path);
	/* A Maildir++ folder given on its own. */
	sub = g_build_filename(root, "Mail", ".Lists.policy", NULL);
	{
		char *got = walk_rel(sub);

		g_assert_cmpstr(got, ==, "cur/200.M2P2.host:2,S");
		g_free(got);
	}
	g_free(sub);
	assert_walk(root, "Mail/cur/100.M1P1.host:2,S "
	    "Mail/.Lists.policy/cur/200.M2P2.host:2,S "
	    "Mail/.lists.igf-mag/new/300.M3P3.host "
	    "Mail/new/400.M4P4.host Mail/dovecot-uidlist");
}

/* The list name a file's place gives it. */
static void
test_walk_list_name(void)
{
	static const struct {
		const char *file;
		enum larch_archive_kind kind;
		const char *list;
	} cases[] = {
		{ "Mail/cur/1.M1.h:2,S", LARCH_ARCHIVE_MESSAGE, "Mail" },
		{ "Mail/.Lists.policy/cur/1.M1.h:2,S", LARCH_ARCHIVE_MESSAGE,
		    "policy" },
		{ "Mail/.lists.igf-mag/new/1.M1.h", LARCH_ARCHIVE_MESSAGE,
		    "igf-mag" },
		{ "Mail/.dev/cur/1.M1.h:2,S", LARCH_ARCHIVE_MESSAGE, "dev" },
		{ "lists/igf-mag/cur/1.M1.h:2,S", LARCH_ARCHIVE_MESSAGE,
		    "igf-mag" },
		/* A plain Maildir's dotted name is its own. */
		{ "lists.igf-mag/cur/1.M1.h:2,S", LARCH_ARCHIVE_MESSAGE,
		    "lists.igf-mag" },
		{ "archives/new/list.mbox", LARCH_ARCHIVE_MBOX, "list" },
		{ "archives/new/one.eml", LARCH_ARCHIVE_MESSAGE, "new" },
		{ "igf/2016-May.txt.gz", LARCH_ARCHIVE_PIPERMAIL, "igf" },
		{ "igf/2016-May/003251.html", LARCH_ARCHIVE_PIPERMAIL_HTML,
		    "igf" },
		{ "dev.mbx", LARCH_ARCHIVE_MBOX, "dev" },
		/* Rotated by logrotate: by count or by date. */
		{ "dev.mbox.1", LARCH_ARCHIVE_MBOX, "dev" },
		{ "dev.mbox.2.gz", LARCH_ARCHIVE_MBOX, "dev" },
		{ "dev.mbox-20231101.gz", LARCH_ARCHIVE_MBOX, "dev" },
		{ "dev-2019.mbox", LARCH_ARCHIVE_MBOX, "dev-2019" },
		{ "dev.2019", LARCH_ARCHIVE_MBOX, "dev.2019" },
		{ "2019", LARCH_ARCHIVE_MBOX, "2019" },
		/* An mbox in a Maildir's folder is the folder's. */
		{ "Mail/.dev/cur/1.M2.h:2,S", LARCH_ARCHIVE_MBOX, "dev" },
		/* Apple Mail's export of a mailbox, Mailman 2's mbox. */
		{ "Export/Policy.mbox/mbox", LARCH_ARCHIVE_MBOX, "Policy" },
		{ "private/dev.mbox/dev.mbox", LARCH_ARCHIVE_MBOX, "dev" },
		{ "Export/mbox", LARCH_ARCHIVE_MBOX, "mbox" },
		/* Archives copied from other systems keep their case. */
		{ "Policy.MBOX.GZ", LARCH_ARCHIVE_MBOX, "Policy" },
		/* A Latin-1 file name, control characters: a list's name
		 * is UTF-8 and one line. */
		{ "caf\xe9.mbox", LARCH_ARCHIVE_MBOX, "caf\xef\xbf\xbd" },
		{ "new\nline.mbox", LARCH_ARCHIVE_MBOX, "new line" },
		{ "esc\x1b[31m.mbox", LARCH_ARCHIVE_MBOX, "esc [31m" },
		{ "caf\xe9/2016-May.txt", LARCH_ARCHIVE_PIPERMAIL,
		    "caf\xef\xbf\xbd" },
		{ "caf\xc3\xa9.mbox", LARCH_ARCHIVE_MBOX, "caf\xc3\xa9" },
	};
	static const char *const dirs[] = { "Mail/cur", "Mail/.Lists.policy/cur",
		"Mail/.lists.igf-mag/new", "Mail/.lists.igf-mag/tmp",
		"Mail/.dev/cur", "lists/igf-mag/cur", "lists.igf-mag/cur",
		"archives/new" };
	char *root = make_root();

	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++)
		mkdir_in(root, dirs[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *file = g_build_filename(root, cases[i].file, NULL);
		char *list = larch_walk_list_name(file, cases[i].kind);

		g_assert_cmpstr(list, ==, cases[i].list);
		g_free(list);
		g_free(file);
	}
	test_rm_rf(root);
	g_free(root);
}

/* Writes root/rel with text, making its folders. */
static char *
write_in(const char *root, const char *rel, const char *text)
{
	char *path = g_build_filename(root, rel, NULL);
	char *dir = g_path_get_dirname(path);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_free(dir);
	return path;
}

/* The kind of path and how many messages it splits into. */
static guint
split_count(const char *path, enum larch_archive_kind *kind)
{
	struct larch_split_opts opts = { 0 };
	struct larch_split *split = NULL;
	struct larch_split_msg m;
	char *error = NULL;
	guint n = 0;

	g_assert_cmpint(larch_split_open(path, 0, &opts, &split, &error), ==,
	    LARCH_OK);
	*kind = larch_split_kind(split);
	while (larch_split_next(split, &m) == LARCH_OK)
		n++;
	larch_split_close(split);
	return n;
}

#define SEP(n)	"From a@example.org Mon Jan  2 10:00:0" #n " 2023\n"
#define MSG(n)	SEP(n) "From: a@example.org\nSubject: m" #n "\n" \
		"Message-ID: <m" #n "@example.org>\n\nbody " #n "\n\n"

/*
 * Which files are one message because of where they are: only those in
 * a real Maildir (and .eml files); and in a Maildir, a file that is
 * clearly an mbox of several messages (one was put into cur/) is split
 * as one, while a message with an envelope line stays whole, also when
 * it carries an mbox as a MIME part.
 */
static void
test_walk_maildir_message(void)
{
	static const char mbox[] = MSG(0) MSG(1) MSG(2) MSG(3) MSG(4);
	static const char one[] = SEP(0) "From: a@example.org\n"
	    "Subject: one\n\nFrom me to you:\n\nFrom here on, a body.\n";
	static const char fwd[] = SEP(0) "From: a@example.org\n"
	    "Subject: fwd\n\nHere it is:\n" SEP(1) "From: b@example.org\n"
	    "Subject: m1\n\nbody 1\n";
	static const char part[] = SEP(0) "From: a@example.org\n"
	    "Subject: att\nContent-Type: multipart/mixed;\n"
	    "\tboundary=\"=_b\"\n\n--=_b\nContent-Type: text/plain\n\n"
	    "see\n\n--=_b\nContent-Type: application/mbox\n\n" MSG(1)
	    MSG(2) "--=_b--\n";
	static const struct {
		const char *rel;
		const char *text;
		enum larch_archive_kind kind;
		guint messages;
		bool message_name;
	} cases[] = {
		/* A folder merely named new or cur. */
		{ "archives/new/list.mbox", mbox, LARCH_ARCHIVE_MBOX, 5,
		    false },
		{ "archives/new/1672600000.M1P1.host", mbox,
		    LARCH_ARCHIVE_MBOX, 5, false },
		/* In a real Maildir. */
		{ "md/cur/list.mbox", mbox, LARCH_ARCHIVE_MBOX, 5, true },
		{ "md/new/1672600000.M1P1.host", one, LARCH_ARCHIVE_MESSAGE,
		    1, true },
		{ "md/cur/1672600001.M2P1.host:2,S", part,
		    LARCH_ARCHIVE_MESSAGE, 1, true },
		{ "md/cur/1672600002.M3P1.host:2,S", MSG(5),
		    LARCH_ARCHIVE_MESSAGE, 1, true },
		/* A separator in a body, with no blank line before it, is
		 * a forwarded message's, not the next one's. */
		{ "md/cur/1672600003.M4P1.host:2,S", fwd,
		    LARCH_ARCHIVE_MESSAGE, 1, true },
		/* .eml says one message, whatever it holds, in any case. */
		{ "archives/fwd.eml", mbox, LARCH_ARCHIVE_MESSAGE, 1, true },
		{ "archives/FWD.EML", mbox, LARCH_ARCHIVE_MESSAGE, 1, true },
	};
	char *root = make_root();

	mkdir_in(root, "md/tmp");
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *path = write_in(root, cases[i].rel, cases[i].text);
		enum larch_archive_kind kind;

		g_test_message("%s", cases[i].rel);
		g_assert_cmpint(larch_envelope_is_message_name(path), ==,
		    cases[i].message_name);
		g_assert_cmpuint(split_count(path, &kind), ==,
		    cases[i].messages);
		g_assert_cmpint(kind, ==, cases[i].kind);
		g_free(path);
	}
	test_rm_rf(root);
	g_free(root);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/walk/names", test_walk_names);
	g_test_add_func("/walk/maildirs", test_walk_maildirs);
	g_test_add_func("/walk/not-maildir", test_walk_not_maildir);
	g_test_add_func("/walk/unreadable", test_walk_unreadable);
	g_test_add_func("/walk/in-maildir", test_walk_in_maildir);
	g_test_add_func("/walk/maildir++", test_walk_maildirpp);
	g_test_add_func("/walk/list-name", test_walk_list_name);
	g_test_add_func("/walk/maildir-message", test_walk_maildir_message);
	return g_test_run();
}
