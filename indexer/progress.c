/*
 * Progress line: messages, MB/s and ETA, redrawn at most four times a
 * second on stderr.  The ETA counts bytes on disk; inside a gzip'd file
 * the uncompressed offset is scaled by a typical text compression ratio,
 * which is good enough for a guess and corrected when the file ends.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "larch/log.h"
#include "progress.h"
#include "writer.h"

#define REDRAW_USEC (G_USEC_PER_SEC / 4)
#define GZIP_RATIO 4

struct progress {
	bool enabled;
	uint64_t total;		/* bytes on disk of all files */
	uint64_t finished;	/* bytes on disk of files done */
	struct file_run *current;
	uint64_t current_disk;
	bool current_gzip;
	uint64_t current_done;	/* estimated disk bytes of current */
	uint64_t messages;
	uint64_t read;		/* uncompressed bytes */
	int64_t start;
	int64_t last_draw;
	bool drawn;
};

static struct progress *active;

/* Log lines must not be glued to the progress line. */
static void
clear_line(void)
{
	if (active != NULL && active->drawn) {
		fputs("\r\033[K", stderr);
		active->drawn = false;
	}
}

struct progress *
progress_new(bool enabled, GPtrArray *files)
{
	struct progress *p = g_new0(struct progress, 1);

	p->enabled = enabled;
	p->start = g_get_monotonic_time();
	if (!enabled)
		return p;
	for (guint i = 0; i < files->len; i++) {
		struct stat st;

		if (stat(files->pdata[i], &st) == 0)
			p->total += st.st_size;
	}
	active = p;
	larch_log_set_hook(clear_line);
	return p;
}

void
progress_free(struct progress *progress)
{
	if (progress == NULL)
		return;
	if (active == progress) {
		clear_line();
		larch_log_set_hook(NULL);
		active = NULL;
	}
	g_free(progress);
}

static void
finish_current(struct progress *p)
{
	if (p->current != NULL)
		p->finished += p->current_disk;
	p->current = NULL;
	p->current_done = 0;
}

void
progress_start_file(struct progress *p, struct file_run *run,
    uint64_t disk_size, bool gzip)
{
	finish_current(p);
	p->current = run;
	p->current_disk = disk_size;
	p->current_gzip = gzip;
}

void
progress_skip_file(struct progress *p, uint64_t disk_size)
{
	finish_current(p);
	p->finished += disk_size;
}

static void
draw(struct progress *p, int64_t now)
{
	double secs = (now - p->start) / (double)G_USEC_PER_SEC;
	uint64_t done = p->finished + p->current_done;
	double rate = secs > 0 ? p->read / secs / 1e6 : 0;
	char eta[32] = "--:--";

	if (done > 0 && done < p->total && secs > 1) {
		double left = secs * (p->total - done) / done;

		g_snprintf(eta, sizeof eta, "%d:%02d", (int)left / 60,
		    (int)left % 60);
	}
	fprintf(stderr, "\r\033[K%" G_GUINT64_FORMAT " messages  %.1f MB/s  "
	    "%3.0f%%  ETA %s", p->messages, rate,
	    p->total > 0 ? 100.0 * MIN(done, p->total) / p->total : 100.0,
	    eta);
	fflush(stderr);
	p->drawn = true;
	p->last_draw = now;
}

void
progress_message(struct progress *p, struct file_run *run, uint64_t end,
    uint64_t length)
{
	int64_t now;

	p->messages++;
	p->read += length;
	if (!p->enabled)
		return;
	if (run == p->current) {
		uint64_t est = p->current_gzip ? end / GZIP_RATIO : end;

		p->current_done = MIN(est, p->current_disk);
	}
	now = g_get_monotonic_time();
	if (now - p->last_draw >= REDRAW_USEC)
		draw(p, now);
}
