/*
 * Archive files as a stream of uncompressed bytes; see
 * include/larch/stream.h.  A plain file is read as it is; a gzip'd one
 * (by its magic bytes) goes through zlib's inflate() directly rather than
 * gzread().  gzread() made what came out of a damaged file depend on how
 * it was read: output inflate() still owed when the input ran out was
 * lost, and a failing call dropped all it had decompressed, so the same
 * file gave other data read in other pieces or after a gzseek() (a
 * resumed split disagreed with a whole one).  Here the data handed out
 * is all inflate() gives up to the damage, however the reads are cut, and
 * a seek is a read from the start.
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

/* Compressed input is read in pieces this big, but no bigger than the
 * file: a Maildir holds a file per message. */
#define STREAM_INBUF (128 * 1024)
#define STREAM_INBUF_MIN (8 * 1024)
/* What a gzip seek reads and throws away at a time. */
#define STREAM_SKIP_CHUNK (64 * 1024)

struct larch_stream {
	char *path;
	int fd;
	bool gzip;
	uint64_t offset;	/* of the next byte read returns */
	bool failed;		/* a read error is sticky until a seek */
	char *error;		/* "" when none */
	/* gzip only */
	z_stream z;
	unsigned char *in;	/* compressed input; z.next_in points in */
	size_t in_cap;
	bool in_eof;		/* the file has no more compressed bytes */
	bool member_done;	/* inflate() ended a member; another may follow */
	bool ended;		/* the data ended cleanly */
	uint64_t clean_end;	/* where the last whole member ended */
};

static void
set_error(struct larch_stream *stream, char *text)
{
	g_free(stream->error);
	stream->error = text;
}

/* Whether the file starts with gzip's magic bytes. */
static bool
has_gzip_magic(int fd, bool *yes)
{
	unsigned char magic[2];
	ssize_t n;

	do
		n = pread(fd, magic, sizeof magic, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return false;
	*yes = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
	return true;
}

enum larch_status
larch_stream_open(const char *path, struct larch_stream **out, char **error)
{
	struct larch_stream *stream;
	struct stat st;
	bool gzip;
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
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0 ||
	    !has_gzip_magic(fd, &gzip))
		goto fail_close;

	stream = g_new0(struct larch_stream, 1);
	stream->fd = fd;
	stream->gzip = gzip;
	stream->path = g_strdup(path);
	stream->error = g_strdup("");
	if (gzip) {
		/* 15 + 16: a gzip wrapper, the largest window. */
		if (inflateInit2(&stream->z, 15 + 16) != Z_OK) {
			g_free(stream->path);
			g_free(stream->error);
			g_free(stream);
			errno = ENOMEM;
			goto fail_close;
		}
		stream->in_cap = (size_t)CLAMP(st.st_size, STREAM_INBUF_MIN,
		    STREAM_INBUF);
		stream->in = g_malloc(stream->in_cap);
	}
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
	if (stream->gzip) {
		inflateEnd(&stream->z);
		g_free(stream->in);
	}
	close(stream->fd);
	g_free(stream->path);
	g_free(stream->error);
	g_free(stream);
}

bool
larch_stream_is_gzip(const struct larch_stream *stream)
{
	return stream->gzip;
}

static void
io_failed(struct larch_stream *stream)
{
	set_error(stream, g_strdup_printf("cannot read '%s': %s",
	    stream->path, g_strerror(errno)));
	stream->failed = true;
}

/* read(2) that retries when interrupted; -1 with errno on error. */
static ssize_t
read_some(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, MIN(n, (size_t)SSIZE_MAX));
	while (r < 0 && errno == EINTR);
	return r;
}

static enum larch_status
read_plain(struct larch_stream *stream, char *p, size_t n, size_t *got)
{
	size_t total = 0;

	while (total < n) {
		ssize_t r = read_some(stream->fd, p + total, n - total);

		if (r < 0) {
			io_failed(stream);
			break;
		}
		if (r == 0)
			break;
		total += (size_t)r;
		stream->offset += (uint64_t)r;
	}
	*got = total;
	return stream->failed && total == 0 ? LARCH_ERR_IO : LARCH_OK;
}

/* Tops up the compressed input so that at least want bytes (or all that
 * is left of the file) are available.  false on a read error. */
static bool
fill_input(struct larch_stream *stream, size_t want)
{
	z_stream *z = &stream->z;

	while (z->avail_in < want && !stream->in_eof) {
		ssize_t r;

		if (z->avail_in > 0 && z->next_in != stream->in)
			memmove(stream->in, z->next_in, z->avail_in);
		z->next_in = stream->in;
		r = read_some(stream->fd, stream->in + z->avail_in,
		    stream->in_cap - z->avail_in);
		if (r < 0) {
			io_failed(stream);
			return false;
		}
		if (r == 0)
			stream->in_eof = true;
		z->avail_in += (uInt)r;
	}
	return true;
}

static void
gzip_failed(struct larch_stream *stream, int zr)
{
	if (zr == Z_BUF_ERROR)
		set_error(stream, g_strdup_printf(
		    "cannot read '%s': truncated gzip data at offset %" PRIu64,
		    stream->path, stream->offset));
	else
		set_error(stream, g_strdup_printf(
		    "cannot read '%s': corrupt gzip data at offset %" PRIu64
		    " (%s)", stream->path, stream->offset,
		    stream->z.msg != NULL ? stream->z.msg : zError(zr)));
	stream->failed = true;
}

/*
 * Inflates into p[0, n).  After a member ends, bytes that start with the
 * magic again are another member (a file appended to with gzip); other
 * bytes are trailing junk, which gzip(1) warns about and ignores, and so
 * does this.
 */
static enum larch_status
read_gzip(struct larch_stream *stream, char *p, size_t n, size_t *got)
{
	z_stream *z = &stream->z;
	size_t total = 0;

	while (total < n && !stream->ended && !stream->failed) {
		uInt room = (uInt)MIN(n - total, (size_t)UINT_MAX);
		int zr;

		if (stream->member_done) {
			if (!fill_input(stream, 2))
				break;
			if (z->avail_in < 2 || z->next_in[0] != 0x1f ||
			    z->next_in[1] != 0x8b) {
				stream->ended = true;
				break;
			}
			inflateReset(z);
			stream->member_done = false;
		}
		if (z->avail_in == 0 && !fill_input(stream, 1))
			break;
		z->next_out = (Bytef *)p + total;
		z->avail_out = room;
		/* With no input left inflate() still gives what it owes;
		 * Z_BUF_ERROR then means it can give nothing more. */
		zr = inflate(z, Z_NO_FLUSH);
		total += room - z->avail_out;
		stream->offset += room - z->avail_out;
		if (zr == Z_STREAM_END) {
			stream->member_done = true;
			stream->clean_end = stream->offset;
		} else if (zr == Z_BUF_ERROR && z->avail_in == 0 &&
		    stream->in_eof) {
			gzip_failed(stream, Z_BUF_ERROR);
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			gzip_failed(stream, zr == Z_NEED_DICT ? Z_DATA_ERROR :
			    zr);
		}
	}
	*got = total;
	/* What came before the damage goes out; the error comes with the
	 * next call. */
	return stream->failed && total == 0 ? LARCH_ERR_IO : LARCH_OK;
}

enum larch_status
larch_stream_read(struct larch_stream *stream, void *buf, size_t n,
    size_t *got)
{
	*got = 0;
	if (stream->failed)
		return LARCH_ERR_IO;
	return stream->gzip ? read_gzip(stream, buf, n, got) :
	    read_plain(stream, buf, n, got);
}

/* Back to the start of a gzip file, as freshly opened. */
static enum larch_status
rewind_gzip(struct larch_stream *stream)
{
	if (lseek(stream->fd, 0, SEEK_SET) < 0) {
		io_failed(stream);
		return LARCH_ERR_IO;
	}
	inflateReset(&stream->z);
	stream->z.next_in = stream->in;
	stream->z.avail_in = 0;
	stream->in_eof = stream->member_done = stream->ended = false;
	stream->failed = false;
	stream->offset = stream->clean_end = 0;
	return LARCH_OK;
}

/* gzip has no index: a seek reads up to the offset (from the start when
 * it goes back or the stream failed).  Past the end of the data it stays
 * at the end, as a plain file's reads would. */
static enum larch_status
seek_gzip(struct larch_stream *stream, uint64_t offset)
{
	enum larch_status st = LARCH_OK;
	char *scratch;

	if ((offset < stream->offset || stream->failed) &&
	    rewind_gzip(stream) != LARCH_OK)
		return LARCH_ERR_IO;
	scratch = g_malloc(STREAM_SKIP_CHUNK);
	while (stream->offset < offset) {
		size_t got;

		st = larch_stream_read(stream, scratch, (size_t)MIN(
		    (uint64_t)STREAM_SKIP_CHUNK, offset - stream->offset),
		    &got);
		if (st != LARCH_OK || got == 0)
			break;
	}
	g_free(scratch);
	/* Damage found right at the offset (a bad checksum after the
	 * member's last byte) is for the next read to report: the bytes
	 * before it were had, and a file read up to there resumes there. */
	if (st == LARCH_OK && stream->failed && stream->offset < offset)
		st = LARCH_ERR_IO;
	if (st != LARCH_OK) {
		char *why = g_strdup(stream->error);

		set_error(stream, g_strdup_printf("cannot seek in '%s' to %"
		    PRIu64 ": %s", stream->path, offset, why));
		g_free(why);
	}
	return st;
}

enum larch_status
larch_stream_seek(struct larch_stream *stream, uint64_t offset)
{
	if (offset > (uint64_t)G_MAXINT64) {
		set_error(stream, g_strdup_printf(
		    "cannot seek in '%s': offset %" PRIu64 " out of range",
		    stream->path, offset));
		return LARCH_ERR_INVALID;
	}
	set_error(stream, g_strdup(""));
	if (stream->gzip)
		return seek_gzip(stream, offset);
	if (lseek(stream->fd, (off_t)offset, SEEK_SET) < 0) {
		set_error(stream, g_strdup_printf("cannot seek in '%s' to %"
		    PRIu64 ": %s", stream->path, offset, g_strerror(errno)));
		stream->failed = true;
		return LARCH_ERR_IO;
	}
	stream->failed = false;
	stream->offset = offset;
	return LARCH_OK;
}

uint64_t
larch_stream_tell(const struct larch_stream *stream)
{
	return stream->offset;
}

uint64_t
larch_stream_member_end(const struct larch_stream *stream)
{
	return stream->gzip ? stream->clean_end : 0;
}

uint64_t
larch_stream_clean_end(struct larch_stream *stream)
{
	if (!stream->gzip || !stream->failed)
		return 0;
	return stream->clean_end;
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
