/*
 * Tests for the client's connection module (client/connect.c): address
 * parsing, connecting to unix and TCP sockets, refusals, and sending to a
 * peer that has gone.  Owned by the client's engineer.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "connect.h"

static const struct {
	const char *spec;
	bool ok;
	const char *path, *host, *port;
} parse_rows[] = {
	{ "unix:/run/larchd.sock", true, "/run/larchd.sock", NULL, NULL },
	{ "unix:rel/sock", true, "rel/sock", NULL, NULL },
	{ "127.0.0.1:4119", true, NULL, "127.0.0.1", "4119" },
	{ "localhost:nntp", true, NULL, "localhost", "nntp" },
	{ "example.org", true, NULL, "example.org", "4119" },
	{ "[::1]:4120", true, NULL, "::1", "4120" },
	{ "[::1]", true, NULL, "::1", "4119" },
	{ "::1", true, NULL, "::1", "4119" },
	{ "fe80::1%lo", true, NULL, "fe80::1%lo", "4119" },
	{ "", false, NULL, NULL, NULL },
	{ "unix:", false, NULL, NULL, NULL },
	{ ":4119", false, NULL, NULL, NULL },
	{ "host:", false, NULL, NULL, NULL },
	{ "[::1", false, NULL, NULL, NULL },
	{ "[]:1", false, NULL, NULL, NULL },
	{ "[::1]:", false, NULL, NULL, NULL },
	{ "[::1]x", false, NULL, NULL, NULL },
	{ "host:0", false, NULL, NULL, NULL },
	{ "host:65536", false, NULL, NULL, NULL },
	{ "host:99999999999999999999", false, NULL, NULL, NULL },
	{ "[::1]:70000", false, NULL, NULL, NULL },
	{ "host:4119x", false, NULL, NULL, NULL },
	{ "host:65535", true, NULL, "host", "65535" },
};

static void
test_parse(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(parse_rows); i++) {
		char *path, *host, *port;
		bool ok = larch_connect_parse(parse_rows[i].spec, &path, &host,
		    &port);

		g_assert_cmpint(ok, ==, parse_rows[i].ok);
		g_assert_cmpstr(path, ==, parse_rows[i].path);
		g_assert_cmpstr(host, ==, parse_rows[i].host);
		g_assert_cmpstr(port, ==, parse_rows[i].port);
		g_free(path);
		g_free(host);
		g_free(port);
	}
}

static void
test_unix(void)
{
	char *dir = g_dir_make_tmp("larch-connect-XXXXXX", NULL);
	char *path = g_build_filename(dir, "s", NULL);
	char *spec = g_strconcat("unix:", path, NULL);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int lfd, fd = -1;
	char *err = NULL;

	/* Nothing listening yet: refused, with the address in the text. */
	g_assert_cmpint(larch_connect_open(spec, 1000, &fd, &err), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(strstr(err, spec));
	g_clear_pointer(&err, g_free);

	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sun.sun_path, path);
	g_assert_cmpint(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), ==,
	    0);
	g_assert_cmpint(listen(lfd, 4), ==, 0);
	g_assert_cmpint(larch_connect_open(spec, 1000, &fd, &err), ==,
	    LARCH_OK);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(larch_connect_send(fd, "HELP\r\n", 6, 1000, &err),
	    ==, LARCH_OK);

	/* The peer goes away: an error, not SIGPIPE. */
	close(lfd);
	{
		enum larch_status st = LARCH_OK;

		for (int i = 0; i < 100 && st == LARCH_OK; i++)
			st = larch_connect_send(fd, "x\r\n", 3, 1000, &err);
		g_assert_cmpint(st, ==, LARCH_ERR_IO);
		g_clear_pointer(&err, g_free);
	}
	close(fd);
	g_unlink(path);
	g_rmdir(dir);
	g_free(spec);
	g_free(path);
	g_free(dir);
}

static void
test_tcp(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fd = -1;
	char *spec, *err = NULL;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	g_assert_cmpint(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), ==,
	    0);
	g_assert_cmpint(listen(lfd, 4), ==, 0);
	g_assert_cmpint(getsockname(lfd, (struct sockaddr *)&sin, &len), ==,
	    0);
	spec = g_strdup_printf("127.0.0.1:%u", ntohs(sin.sin_port));
	g_assert_cmpint(larch_connect_open(spec, 1000, &fd, &err), ==,
	    LARCH_OK);
	close(fd);
	close(lfd);
	/* The port is closed now. */
	g_assert_cmpint(larch_connect_open(spec, 1000, &fd, &err), ==,
	    LARCH_ERR_IO);
	g_assert_nonnull(err);
	g_free(err);
	g_free(spec);
}

static void
test_bad_address(void)
{
	int fd;
	char *err = NULL;

	g_assert_cmpint(larch_connect_open("host:", 1000, &fd, &err), ==,
	    LARCH_ERR_INVALID);
	g_assert_cmpint(fd, ==, -1);
	g_assert_nonnull(strstr(err, "bad address"));
	g_free(err);
	/* A port out of range, and a port name nothing answers to, are the
	 * user's mistake (exit 2), not an unreachable larchd. */
	g_assert_cmpint(larch_connect_open("127.0.0.1:99999", 1000, &fd,
	    &err), ==, LARCH_ERR_INVALID);
	g_assert_nonnull(strstr(err, "bad address '127.0.0.1:99999'"));
	g_free(err);
	g_assert_cmpint(larch_connect_open("127.0.0.1:no-such-port-name",
	    1000, &fd, &err), ==, LARCH_ERR_INVALID);
	g_assert_cmpint(fd, ==, -1);
	g_assert_nonnull(strstr(err, "no port is called 'no-such-port-name'"));
	g_free(err);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/client-connect/parse", test_parse);
	g_test_add_func("/client-connect/unix", test_unix);
	g_test_add_func("/client-connect/tcp", test_tcp);
	g_test_add_func("/client-connect/bad-address", test_bad_address);
	return g_test_run();
}
