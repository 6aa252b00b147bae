/*
 * scep-respond: a minimal HTTP/1.1 responder on 127.0.0.1, TEST HELPER ONLY,
 * so that crafted SCEP messages still travel as real HTTP over real TCP when
 * captures/regenerate records them.
 *
 * Build: cc -O2 -o scep-respond scep-respond.c
 *
 *   scep-respond serve PORT READYFILE RESP...
 *       RESP is CODE:CONTENT-TYPE:FILE (FILE "-" = empty body).  Answers
 *       the Nth request with the Nth RESP, whatever it asks, then exits
 *       once the last response has been sent and the client has closed.
 *   scep-respond relay PORT READYFILE UPSTREAM-PORT CAPSFILE
 *       Answers GetCACaps itself with CAPSFILE (text/plain) and forwards
 *       every other request to 127.0.0.1:UPSTREAM-PORT, relaying the
 *       answer.  Used to show a real client a CA without POSTPKIOperation
 *       so that it sends PKIOperation by GET.  Runs until killed.
 *
 * READYFILE is created once the socket listens.  One client at a time; an
 * idle keep-alive client is dropped when another one connects.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXREQ (1 << 20)

struct resp {
	int code;
	char *ctype;
	char *body;
	long len;
};

static void die(const char *m)
{
	perror(m);
	exit(1);
}

static int write_all(int fd, const char *p, long n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

static char *slurp(const char *path, long *len)
{
	FILE *f;
	char *b;
	*len = 0;
	if (strcmp(path, "-") == 0)
		return calloc(1, 1);
	f = fopen(path, "rb");
	if (f == NULL)
		die(path);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(*len + 1);
	if (fread(b, 1, *len, f) != (size_t)*len)
		die(path);
	fclose(f);
	return b;
}

/* Length of a complete request at the start of buf, 0 if incomplete. */
static long request_complete(const char *buf, long n, long *hdrlen)
{
	const char *end = NULL, *p;
	long clen = 0, i;
	for (i = 0; i + 3 < n; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
			end = buf + i + 4;
			break;
		}
	if (end == NULL)
		return 0;
	*hdrlen = end - buf;
	for (p = buf; p < end; p++) {
		if ((p == buf || p[-1] == '\n') &&
		    strncasecmp(p, "Content-Length:", 15) == 0)
			clen = strtol(p + 15, NULL, 10);
	}
	if (n < *hdrlen + clen)
		return 0;
	return *hdrlen + clen;
}

static const char *reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 500: return "Internal Server Error";
	default: return "Status";
	}
}

static int send_resp(int fd, int code, const char *ctype, const char *body,
		     long len)
{
	char hdr[512];
	int h = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
			 "Content-Length: %ld\r\n\r\n",
			 code, reason(code), ctype, len);
	if (write_all(fd, hdr, h) < 0)
		return -1;
	return write_all(fd, body, len);
}

static int relay_upstream(int cfd, int port, const char *req, long hdrlen,
			  long total)
{
	struct sockaddr_in a;
	int u = socket(AF_INET, SOCK_STREAM, 0);
	char buf[65536];
	const char *line, *eol;
	ssize_t r;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(u, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(u);
		return send_resp(cfd, 502, "text/plain", "upstream down\n", 14);
	}
	/* Copy the header lines, replacing Connection with "close". */
	for (line = req; line < req + hdrlen - 2; line = eol + 2) {
		eol = strstr(line, "\r\n");
		if (strncasecmp(line, "Connection:", 11) == 0)
			continue;
		write_all(u, line, eol + 2 - line);
	}
	write_all(u, "Connection: close\r\n\r\n", 21);
	write_all(u, req + hdrlen, total - hdrlen);
	while ((r = read(u, buf, sizeof(buf))) > 0)
		if (write_all(cfd, buf, r) < 0)
			break;
	close(u);
	/* Upstream said "Connection: close": so do we. */
	return -1;
}

int main(int argc, char **argv)
{
	int relay, port, lfd, one = 1, nresp = 0, served = 0, upstream = 0, i;
	struct resp *resps = NULL;
	struct sockaddr_in a;
	char *caps = NULL;
	long capslen = 0;
	FILE *ready;
	char *buf = malloc(MAXREQ);

	if (argc < 4)
		goto usage;
	relay = strcmp(argv[1], "relay") == 0;
	if (!relay && strcmp(argv[1], "serve") != 0)
		goto usage;
	port = atoi(argv[2]);
	if (relay) {
		if (argc != 6)
			goto usage;
		upstream = atoi(argv[4]);
		caps = slurp(argv[5], &capslen);
	} else {
		nresp = argc - 4;
		resps = calloc(nresp, sizeof(*resps));
		for (i = 0; i < nresp; i++) {
			char *s = strdup(argv[4 + i]), *c1 = strchr(s, ':'), *c2;
			if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL)
				goto usage;
			*c1 = *c2 = '\0';
			resps[i].code = atoi(s);
			resps[i].ctype = c1 + 1;
			resps[i].body = slurp(c2 + 1, &resps[i].len);
		}
	}

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (listen(lfd, 8) < 0)
		die("listen");
	ready = fopen(argv[3], "w");
	if (ready)
		fclose(ready);

	for (;;) {
		long n = 0;
		int cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR)
				continue;
			die("accept");
		}
		for (;;) {
			struct pollfd p[2] = { { cfd, POLLIN, 0 }, { lfd, POLLIN, 0 } };
			long hdrlen = 0, total;
			ssize_t r;
			if (poll(p, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				die("poll");
			}
			if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
				if ((p[1].revents & POLLIN) && n == 0)
					break; /* idle client, new one waiting */
				continue;
			}
			r = read(cfd, buf + n, MAXREQ - n);
			if (r <= 0)
				break;
			n += r;
			while ((total = request_complete(buf, n, &hdrlen)) > 0) {
				int rc;
				buf[hdrlen - 1] = '\0';
				if (relay) {
					char *sp = strchr(buf, ' ');
					char *eol = strstr(buf, "\r\n");
					int iscaps = 0;
					if (sp && eol) {
						char save = *eol;
						*eol = '\0';
						iscaps = strstr(sp, "operation=GetCACaps") != NULL;
						*eol = save;
					}
					buf[hdrlen - 1] = '\n';
					if (iscaps)
						rc = send_resp(cfd, 200, "text/plain", caps, capslen);
					else
						rc = relay_upstream(cfd, upstream, buf, hdrlen, total);
				} else {
					struct resp *rs = &resps[served < nresp ? served : nresp - 1];
					rc = send_resp(cfd, rs->code, rs->ctype, rs->body, rs->len);
					served++;
				}
				memmove(buf, buf + total, n - total);
				n -= total;
				if (rc < 0) {
					n = -1;
					break;
				}
			}
			if (n < 0)
				break;
		}
		close(cfd);
		if (!relay && served >= nresp)
			return 0;
	}
usage:
	fprintf(stderr, "usage: scep-respond serve PORT READYFILE CODE:TYPE:FILE...\n"
			"       scep-respond relay PORT READYFILE UPSTREAM-PORT CAPSFILE\n");
	return 2;
}
