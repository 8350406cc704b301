/*
 * Archive files as a stream of uncompressed bytes; see
 * include/larch/stream.h.  zlib reads plain files transparently, so one
 * code path serves both; the only gzip-specific work is telling a
 * truncated or corrupt stream apart from a clean end.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "larch/stream.h"

/* zlib's own buffer; larger than its 8 KiB default for fewer syscalls,
 * but no larger than the file: zlib allocates three times this size,
 * and a Maildir holds a file per message. */
#define STREAM_GZBUFFER (128 * 1024)
#define STREAM_GZBUFFER_MIN (8 * 1024)

struct larch_stream {
	char *path;
	gzFile gz;
	bool gzip;
	uint64_t offset;	/* of the next byte read returns */
	bool failed;		/* a read error is sticky until a seek */
	int64_t clean_end;	/* larch_stream_clean_end(), -1: not known */
	char *error;		/* "" when none */
};

static void
set_error(struct larch_stream *stream, char *text)
{
	g_free(stream->error);
	stream->error = text;
}

enum larch_status
larch_stream_open(const char *path, struct larch_stream **out, char **error)
{
	struct larch_stream *stream;
	struct stat st;
	int fd;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer
	 * for ever.  Only regular files are read (a device or a FIFO can
	 * be endless); the file may have been swapped since it was seen. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		goto fail_errno;
	if (fstat(fd, &st) < 0)
		goto fail_close;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail_close;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (error != NULL)
			*error = g_strdup_printf("cannot open '%s': not a "
			    "regular file", path);
		return LARCH_ERR_IO;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		goto fail_close;

	stream = g_new0(struct larch_stream, 1);
	stream->gz = gzdopen(fd, "rb");
	if (stream->gz == NULL) {
		g_free(stream);
		errno = ENOMEM;
		goto fail_close;
	}
	gzbuffer(stream->gz, (unsigned)CLAMP(st.st_size + 1,
	    STREAM_GZBUFFER_MIN, STREAM_GZBUFFER));
	/* gzdirect() looks at the magic bytes now; true means plain. */
	stream->gzip = gzdirect(stream->gz) == 0;
	stream->path = g_strdup(path);
	stream->error = g_strdup("");
	stream->clean_end = -1;
	*out = stream;
	return LARCH_OK;

fail_close:
	{
		int saved = errno;

		close(fd);
		errno = saved;
	}
fail_errno:
	if (error != NULL)
		*error = g_strdup_printf("cannot open '%s': %s", path,
		    g_strerror(errno));
	return LARCH_ERR_IO;
}

void
larch_stream_close(struct larch_stream *stream)
{
	if (stream == NULL)
		return;
	if (stream->gz != NULL)
		gzclose_r(stream->gz);
	g_free(stream->path);
	g_free(stream->error);
	g_free(stream);
}

bool
larch_stream_is_gzip(const struct larch_stream *stream)
{
	return stream->gzip;
}

/* zlib's message without the "<fd:N>: " it puts in front. */
static const char *
zlib_reason(const char *zmsg)
{
	const char *sep;

	if (zmsg == NULL || zmsg[0] == '\0')
		return "unknown error";
	if (g_str_has_prefix(zmsg, "<fd:") &&
	    (sep = strstr(zmsg, ": ")) != NULL)
		return sep + 2;
	return zmsg;
}

/* Sets the error text for a failed or short gzread(); errnum from
 * gzerror(). */
static void
read_failed(struct larch_stream *stream, int errnum, const char *zmsg)
{
	if (errnum == Z_ERRNO)
		set_error(stream, g_strdup_printf("cannot read '%s': %s",
		    stream->path, g_strerror(errno)));
	else if (errnum == Z_BUF_ERROR)
		set_error(stream, g_strdup_printf(
		    "cannot read '%s': truncated gzip data at offset %" PRIu64,
		    stream->path, stream->offset));
	else
		set_error(stream, g_strdup_printf(
		    "cannot read '%s': corrupt gzip data at offset %" PRIu64
		    " (%s)", stream->path, stream->offset, zlib_reason(zmsg)));
	stream->failed = true;
}

/* The uncompressed end of the last gzip member of path that inflates to
 * its end without error, or 0. */
static uint64_t
last_clean_member_end(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	z_stream z;
	unsigned char *in, *out;
	uint64_t total = 0, clean = 0;

	if (fd < 0)
		return 0;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		close(fd);
		return 0;
	}
	in = g_malloc(STREAM_GZBUFFER);
	out = g_malloc(STREAM_GZBUFFER);
	for (;;) {
		int zr;

		if (z.avail_in == 0) {
			ssize_t n = read(fd, in, STREAM_GZBUFFER);

			if (n <= 0)
				break;
			z.next_in = in;
			z.avail_in = (uInt)n;
		}
		z.next_out = out;
		z.avail_out = STREAM_GZBUFFER;
		zr = inflate(&z, Z_NO_FLUSH);
		total += STREAM_GZBUFFER - z.avail_out;
		if (zr == Z_STREAM_END) {
			clean = total;
			/* Another member may follow; anything else is an
			 * error at the next inflate(). */
			if (inflateReset(&z) != Z_OK)
				break;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			break;
		}
	}
	g_free(in);
	g_free(out);
	inflateEnd(&z);
	close(fd);
	return clean;
}

/* The clean end of the stream's file, found once. */
static uint64_t
clean_end(struct larch_stream *stream)
{
	if (stream->clean_end < 0)
		stream->clean_end = (int64_t)last_clean_member_end(
		    stream->path);
	return (uint64_t)stream->clean_end;
}

/*
 * After gzread() failed on a damaged member: zlib drops what that call
 * had decompressed, which may include the end of the whole members
 * before the damage.  Reads it again, up to room bytes of it, from a
 * rewound stream; returns how many.  0 when there is nothing to recover.
 */
static size_t
recover_clean(struct larch_stream *stream, char *p, size_t room)
{
	uint64_t end = clean_end(stream);
	unsigned want;
	int r;

	if (end <= stream->offset || room == 0)
		return 0;
	want = (unsigned)MIN(MIN((uint64_t)room, end - stream->offset),
	    (uint64_t)(INT_MAX / 2));
	gzclearerr(stream->gz);
	if (gzrewind(stream->gz) < 0 ||
	    gzseek(stream->gz, (z_off_t)stream->offset, SEEK_SET) < 0)
		return 0;
	r = gzread(stream->gz, p, want);
	if (r <= 0)
		return 0;
	stream->offset += (uint64_t)r;
	return (size_t)r;
}

enum larch_status
larch_stream_read(struct larch_stream *stream, void *buf, size_t n,
    size_t *got)
{
	char *p = buf;
	size_t total = 0;

	*got = 0;
	if (stream->failed)
		return LARCH_ERR_IO;
	while (total < n) {
		unsigned chunk = n - total > INT_MAX / 2 ? INT_MAX / 2 :
		    (unsigned)(n - total);
		int r = gzread(stream->gz, p + total, chunk);
		int errnum;
		const char *zmsg;

		if (r > 0) {
			total += (size_t)r;
			stream->offset += (uint64_t)r;
		}
		if (r == (int)chunk)
			continue;
		/* Short read: the end, or an error after (maybe) some data.
		 * A truncated gzip member reports Z_BUF_ERROR here. */
		zmsg = gzerror(stream->gz, &errnum);
		if (r < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
			/* zlib's text goes with the state recovering resets. */
			char *why = g_strdup(zmsg);
			size_t more = stream->gzip ? recover_clean(stream,
			    p + total, n - total) : 0;

			total += more;
			/* More whole data before the damage: the error comes
			 * again, and is reported, once it is all read. */
			if (more > 0 && stream->offset < clean_end(stream)) {
				g_free(why);
				*got = total;
				return LARCH_OK;
			}
			read_failed(stream, errnum, why);
			g_free(why);
			/* Hand out what was decompressed; the error comes
			 * with the next call. */
			*got = total;
			return total > 0 ? LARCH_OK : LARCH_ERR_IO;
		}
		break;
	}
	*got = total;
	return LARCH_OK;
}

enum larch_status
larch_stream_seek(struct larch_stream *stream, uint64_t offset)
{
	z_off_t r;
	int errnum;
	const char *zmsg;

	if (offset > (uint64_t)G_MAXINT64) {
		set_error(stream, g_strdup_printf(
		    "cannot seek in '%s': offset %" PRIu64 " out of range",
		    stream->path, offset));
		return LARCH_ERR_INVALID;
	}
	/* After an error zlib refuses to seek; rewinding clears it. */
	if (stream->failed || gzerror(stream->gz, &errnum) == NULL ||
	    (errnum != Z_OK && errnum != Z_STREAM_END)) {
		gzclearerr(stream->gz);
		if (gzrewind(stream->gz) < 0)
			goto fail;
		stream->failed = false;
		stream->offset = 0;
	}
	r = gzseek(stream->gz, (z_off_t)offset, SEEK_SET);
	if (r < 0)
		goto fail;
	stream->offset = offset;
	set_error(stream, g_strdup(""));
	return LARCH_OK;

fail:
	zmsg = gzerror(stream->gz, &errnum);
	set_error(stream, g_strdup_printf("cannot seek in '%s' to %" PRIu64
	    ": %s", stream->path, offset, errnum == Z_ERRNO ?
	    g_strerror(errno) : zlib_reason(zmsg)));
	stream->failed = true;
	return LARCH_ERR_IO;
}

uint64_t
larch_stream_tell(const struct larch_stream *stream)
{
	return stream->offset;
}

uint64_t
larch_stream_clean_end(struct larch_stream *stream)
{
	if (!stream->gzip || !stream->failed)
		return 0;
	return clean_end(stream);
}

const char *
larch_stream_error(const struct larch_stream *stream)
{
	return stream->error;
}

enum larch_status
larch_stream_read_range(const char *path, uint64_t offset, uint64_t length,
    GByteArray *out, char **error)
{
	struct larch_stream *stream;
	enum larch_status st;
	guint start_len = out->len;
	uint64_t left = length;

	if (length > G_MAXUINT - (uint64_t)out->len) {
		if (error != NULL)
			*error = g_strdup_printf("cannot read '%s': range of %"
			    PRIu64 " bytes is too big", path, length);
		return LARCH_ERR_TOO_BIG;
	}
	st = larch_stream_open(path, &stream, error);
	if (st != LARCH_OK)
		return st;
	st = larch_stream_seek(stream, offset);
	if (st != LARCH_OK)
		goto fail;

	g_byte_array_set_size(out, start_len + (guint)length);
	while (left > 0) {
		size_t got;

		st = larch_stream_read(stream, out->data + out->len - left,
		    (size_t)left, &got);
		if (st != LARCH_OK)
			goto fail;
		if (got == 0) {
			set_error(stream, g_strdup_printf("cannot read '%s': "
			    "range %" PRIu64 "+%" PRIu64 " ends past the data "
			    "(%" PRIu64 " bytes)", path, offset, length,
			    larch_stream_tell(stream)));
			st = LARCH_ERR_IO;
			goto fail;
		}
		left -= got;
	}
	larch_stream_close(stream);
	return LARCH_OK;

fail:
	g_byte_array_set_size(out, start_len);
	if (error != NULL)
		*error = g_strdup(larch_stream_error(stream));
	larch_stream_close(stream);
	return st;
}
