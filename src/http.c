/* SPDX-License-Identifier: MIT */
/* http.c: libcurl multi wrapper: submit requests, wait in curl_multi_poll, complete by callback. */
#include <curl/curl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "curl_lazy.h"
#include "http.h"
#include "util.h"

#define DEFAULT_CONNECT_MS 3000
#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_MAX_BYTES (32 * 1024 * 1024)

struct req {
	struct sr_http *h;
	CURL *easy;
	struct curl_slist *hdrs;
	struct sr_buf body;
	size_t max, total;
	int too_large;
	sr_http_sink sink;
	void *sink_arg;
	int streaming;		/* 0: not decided yet, 1: to the sink, -1: collected */
	int sink_failed;
	CURLcode result;
	char errbuf[CURL_ERROR_SIZE];
	char *url;		/* redacted */
	char *method;
	char *post;		/* copy of the request body */
	char *secret[2];	/* scrubbed from any error text */
	sr_http_cb cb;
	void *arg;
	struct req *prev, *next;
};

struct sr_http {
	CURLM *multi;
	struct req *reqs;	/* running requests */
	int running;
};

static int global_ready;

struct sr_http *
sr_http_new(char **err)
{
	struct sr_http *h;

	if (sr_curl_load(err) != 0)	/* libcurl is loaded on first use: curl_lazy.h */
		return NULL;
	if (!global_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return sr_err(err, "libcurl initialisation failed"), NULL;
		global_ready = 1;
	}
	h = sr_xcalloc(1, sizeof(*h));
	h->multi = curl_multi_init();
	if (h->multi == NULL) {
		free(h);
		return sr_err(err, "libcurl: cannot create a multi handle"), NULL;
	}
	return h;
}

static void
req_free(struct req *r)
{
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->hdrs);
	sr_buf_done(&r->body);
	free(r->url);
	free(r->method);
	free(r->post);
	for (size_t i = 0; i < SR_ARRAY_LEN(r->secret); i++) {
		if (r->secret[i] != NULL)
			memset(r->secret[i], 0, strlen(r->secret[i]));
		free(r->secret[i]);
	}
	free(r);
}

static void
req_unlink(struct sr_http *h, struct req *r)
{
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		h->reqs = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
	h->running--;
}

void
sr_http_free(struct sr_http *h)
{
	if (h == NULL)
		return;
	while (h->reqs != NULL) {
		struct req *r = h->reqs;

		curl_multi_remove_handle(h->multi, r->easy);
		req_unlink(h, r);
		req_free(r);
	}
	curl_multi_cleanup(h->multi);
	free(h);
}

/* --- URLs --- */

char *
sr_http_redact(const char *url)
{
	const char *scheme, *auth, *at, *end;
	struct sr_buf b;

	if (url == NULL)
		return sr_xstrdup("");
	scheme = strstr(url, "://");
	auth = scheme != NULL ? scheme + 3 : url;
	end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return sr_xstrdup(url);
	sr_buf_init(&b);
	sr_buf_add(&b, url, (size_t)(auth - url));
	sr_buf_adds(&b, "***");
	sr_buf_adds(&b, at);
	return sr_buf_steal(&b);
}

void
sr_http_urlencode(struct sr_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			sr_buf_addc(b, (char)*p);
		} else {
			sr_buf_addc(b, '%');
			sr_buf_addc(b, hex[*p >> 4]);
			sr_buf_addc(b, hex[*p & 15]);
		}
	}
}

char *
sr_http_join(const char *base, const char *path)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return sr_xasprintf("%.*s%s", (int)n, base, path);
}

/* --- credentials --- */

int
sr_http_url_private_ok(const char *url)
{
	static const char *const loop[] = { "127.", "localhost:", "localhost/", "[::1]" };
	const char *h;

	if (!url)
		return 0;
	if (strncmp(url, "https://", 8) == 0)
		return url[8] != '\0';
	if (strncmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	if (strcmp(h, "localhost") == 0)
		return 1;
	for (size_t i = 0; i < SR_ARRAY_LEN(loop); i++)
		if (strncmp(h, loop[i], strlen(loop[i])) == 0)
			return strcspn(h, "@") == strlen(h);	/* no userinfo tricks */
	return 0;
}

/* Reads a secret from a file (first line, trailing whitespace dropped). */
static int
secret_from_file(const char *path, const char *what, char **out, char **err)
{
	char *data = NULL;
	size_t len = 0;
	char *ferr = NULL;

	if (sr_read_file(path, 65536, &data, &len, &ferr) < 0) {
		sr_err(err, "cannot read %s: %s", what, ferr);
		free(ferr);
		return -1;
	}
	len = strcspn(data, "\r\n");
	while (len > 0 && (data[len - 1] == ' ' || data[len - 1] == '\t'))
		len--;
	data[len] = '\0';
	*out = data;
	return 0;
}

int
sr_http_secret(const char *inline_val, const char *file, const char *env, const char *what,
	   char **out, char **err)
{
	*out = NULL;
	if (inline_val != NULL) {
		*out = sr_xstrdup(inline_val);
		return 0;
	}
	if (file != NULL)
		return secret_from_file(file, what, out, err);
	if (env != NULL) {
		const char *v = getenv(env);

		if (v == NULL || *v == '\0')
			return sr_err(err, "%s: environment variable %s is not set", what, env);
		*out = sr_xstrdup(v);
	}
	return 0;
}

/* --- requests --- */

static size_t
on_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct req *r = arg;
	size_t n = size * nmemb;

	if (r->total + n > r->max) {
		r->too_large = 1;
		return 0;	/* makes curl abort the transfer with CURLE_WRITE_ERROR */
	}
	r->total += n;
	if (r->sink != NULL && r->streaming == 0) {
		long status = 0;

		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
		r->streaming = status >= 200 && status < 300 ? 1 : -1;
	}
	if (r->streaming == 1) {
		if (r->sink(r->sink_arg, data, n) < 0) {
			r->sink_failed = 1;
			return 0;
		}
		return n;
	}
	if (r->body.cap == 0) {
		curl_off_t cl = -1;

		/* A known length: one allocation of the right size instead of doublings. */
		if (curl_easy_getinfo(r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) ==
		    CURLE_OK && cl > 0 && (size_t)cl <= r->max) {
			r->body.data = sr_xrealloc(r->body.data, (size_t)cl + 1);
			r->body.cap = (size_t)cl + 1;
		}
	}
	sr_buf_add(&r->body, data, n);
	return n;
}

static int
setopt_failed(CURLcode rc, const char *url, char **err)
{
	return sr_err(err, "%s: %s", url, curl_easy_strerror(rc));
}

#define SETOPT(opt, val) do { \
		CURLcode rc_ = curl_easy_setopt(r->easy, opt, val); \
		if (rc_ != CURLE_OK) { \
			setopt_failed(rc_, r->url, err); \
			goto fail; \
		} \
	} while (0)

int
sr_http_submit(struct sr_http *h, const struct sr_http_request *rq, sr_http_cb cb, void *arg,
	       char **err)
{
	const struct sr_transport *t = rq->t;
	struct req *r = sr_xcalloc(1, sizeof(*r));
	const char *method = rq->method != NULL ? rq->method : "GET";
	char *token = NULL, *password = NULL;
	long connect_ms = DEFAULT_CONNECT_MS, total_ms = DEFAULT_TIMEOUT_MS;

	r->h = h;
	r->url = rq->shown_url ? sr_xstrdup(rq->shown_url) : sr_http_redact(rq->url);
	r->method = sr_xstrdup(method);
	r->max = DEFAULT_MAX_BYTES;
	r->cb = cb;
	r->arg = arg;
	r->sink = rq->sink;
	r->sink_arg = rq->sink_arg;
	sr_buf_init(&r->body);
	if (t != NULL) {
		if (t->connect_timeout_ms > 0)
			connect_ms = (long)t->connect_timeout_ms;
		if (t->timeout_ms > 0)
			total_ms = (long)t->timeout_ms;
		if (t->max_bytes > 0)
			r->max = (size_t)t->max_bytes;
		if (sr_http_secret(t->token, t->token_file, t->token_env, "token", &token, err) < 0 ||
		    sr_http_secret(t->password, t->password_file, t->password_env, "password",
			       &password, err) < 0) {
			sr_err(err, "%s %s: credentials", method, r->url);
			goto fail;
		}
	}
	r->secret[0] = token;
	r->secret[1] = password;

	r->easy = curl_easy_init();
	if (r->easy == NULL) {
		sr_err(err, "%s %s: libcurl cannot create a handle", method, r->url);
		goto fail;
	}
	SETOPT(CURLOPT_URL, rq->url);
	SETOPT(CURLOPT_PRIVATE, r);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_ERRORBUFFER, r->errbuf);
	SETOPT(CURLOPT_WRITEFUNCTION, on_write);
	SETOPT(CURLOPT_WRITEDATA, r);
	SETOPT(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	SETOPT(CURLOPT_TIMEOUT_MS, total_ms);
	SETOPT(CURLOPT_ACCEPT_ENCODING, "");
	SETOPT(CURLOPT_USERAGENT, "sitrep/" PACKAGE_VERSION);
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(CURLOPT_SSL_VERIFYPEER, (t == NULL || t->tls_verify) ? 1L : 0L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, (t == NULL || t->tls_verify) ? 2L : 0L);
	if (r->max < (size_t)INT64_MAX)
		SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max);
	if (t != NULL) {
		if (t->ca_file != NULL)
			SETOPT(CURLOPT_CAINFO, t->ca_file);
		if (t->cert != NULL)
			SETOPT(CURLOPT_SSLCERT, t->cert);
		if (t->key != NULL)
			SETOPT(CURLOPT_SSLKEY, t->key);
		if (t->proxy != NULL)
			SETOPT(CURLOPT_PROXY, t->proxy);
		if (t->username != NULL) {
			SETOPT(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			SETOPT(CURLOPT_USERNAME, t->username);
			SETOPT(CURLOPT_PASSWORD, password != NULL ? password : "");
		}
	}
	if (strcmp(method, "GET") != 0)
		SETOPT(CURLOPT_CUSTOMREQUEST, method);
	if (rq->body != NULL) {
		r->post = sr_xstrndup(rq->body, rq->body_len);
		SETOPT(CURLOPT_POSTFIELDS, r->post);
		SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
	}

	r->hdrs = curl_slist_append(NULL, "Accept: application/json");
	if (rq->body != NULL) {
		char *ct = sr_xasprintf("Content-Type: %s", rq->content_type != NULL ?
					rq->content_type : "application/json");

		r->hdrs = curl_slist_append(r->hdrs, ct);
		free(ct);
	}
	if (token != NULL) {
		char *a = sr_xasprintf("Authorization: Bearer %s", token);

		r->hdrs = curl_slist_append(r->hdrs, a);
		memset(a, 0, strlen(a));
		free(a);
	}
	for (size_t i = 0; t != NULL && i < t->n_headers; i++)
		r->hdrs = curl_slist_append(r->hdrs, t->headers[i]);
	SETOPT(CURLOPT_HTTPHEADER, r->hdrs);

	if (curl_multi_add_handle(h->multi, r->easy) != CURLM_OK) {
		sr_err(err, "%s %s: libcurl refused the request", method, r->url);
		goto fail;
	}
	r->next = h->reqs;
	if (h->reqs != NULL)
		h->reqs->prev = r;
	h->reqs = r;
	h->running++;
	return 0;
fail:
	req_free(r);
	return -1;
}

int
sr_http_running(const struct sr_http *h)
{
	return h->running;
}

/* Replaces every occurrence of a secret in s with "***". */
static char *
scrub(char *s, struct req *r)
{
	for (size_t i = 0; i < SR_ARRAY_LEN(r->secret); i++) {
		const char *sec = r->secret[i];
		char *hit;

		if (sec == NULL || strlen(sec) < 3)
			continue;
		while ((hit = strstr(s, sec)) != NULL) {
			char *n = sr_xasprintf("%.*s***%s", (int)(hit - s), s, hit + strlen(sec));

			free(s);
			s = n;
		}
	}
	return s;
}

static void
complete(struct sr_http *h, struct req *r, CURLcode rc)
{
	struct sr_http_response res;
	double secs = 0;
	long status = 0;

	memset(&res, 0, sizeof(res));
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME, &secs);
	res.url = r->url;
	res.method = r->method;
	res.seconds = secs;
	/* A 2xx answer with an empty body was streamed too: all zero bytes of it. */
	res.streamed = r->streaming == 1 ||
		(r->sink != NULL && r->streaming == 0 && status >= 200 && status < 300);
	if (rc == CURLE_OK) {
		curl_off_t ra = 0;

		res.status = status;
		if (curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			res.retry_after = (int64_t)ra;
	} else if (r->sink_failed) {
		res.status = status;
		res.sink_failed = 1;
	} else if (r->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		res.err = sr_xasprintf("%s %s: response too large (more than %zu bytes)", r->method,
				       r->url, r->max);
	} else if (r->errbuf[0] != '\0') {
		res.err = sr_xasprintf("%s %s: %s (%s)", r->method, r->url, curl_easy_strerror(rc),
				       r->errbuf);
	} else {
		res.err = sr_xasprintf("%s %s: %s", r->method, r->url, curl_easy_strerror(rc));
	}
	if (res.err != NULL) {
		res.err = scrub(res.err, r);
		sr_buf_done(&r->body);
	}
	if (r->body.data == NULL)
		sr_buf_adds(&r->body, "");
	res.body = r->body.data;
	res.len = r->body.len;
	r->body.data = NULL;
	r->body.len = r->body.cap = 0;

	if (r->cb != NULL)
		r->cb(r->arg, &res);
	free(res.body);
	free(res.err);
	(void)h;
}

/* Completes every finished transfer. Returns how many completed. */
static int
drain(struct sr_http *h)
{
	struct req *done = NULL, *last = NULL;
	CURLMsg *m;
	int left, n = 0;

	/* Collect first: callbacks may submit new requests to the same multi handle. */
	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct req *r = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r == NULL)
			continue;
		r->errbuf[sizeof(r->errbuf) - 1] = '\0';
		req_unlink(h, r);
		r->result = m->data.result;
		curl_multi_remove_handle(h->multi, r->easy);
		if (last == NULL)
			done = r;
		else
			last->next = r;
		last = r;
		r->next = NULL;
	}
	while (done != NULL) {
		struct req *r = done;
		done = r->next;
		r->next = NULL;
		complete(h, r, r->result);
		req_free(r);
		n++;
	}
	return n;
}

int
sr_http_poll(struct sr_http *h, struct sr_http_waitfd *extra, unsigned n_extra, int timeout_ms,
	     char **err)
{
	struct curl_waitfd wfd[16];
	int still = 0, numfds = 0;
	CURLMcode mc;

	if (n_extra > SR_ARRAY_LEN(wfd))
		return sr_err(err, "too many descriptors to wait on (%u, at most %zu)", n_extra,
			      SR_ARRAY_LEN(wfd));
	mc = curl_multi_perform(h->multi, &still);
	if (mc != CURLM_OK)
		return sr_err(err, "libcurl: %s", curl_multi_strerror(mc));
	if (drain(h) > 0)
		return h->running;
	for (unsigned i = 0; i < n_extra; i++) {
		wfd[i].fd = extra[i].fd;
		wfd[i].events = (short)((extra[i].events & SR_HTTP_WAIT_IN ? CURL_WAIT_POLLIN : 0) |
					(extra[i].events & SR_HTTP_WAIT_OUT ? CURL_WAIT_POLLOUT : 0));
		wfd[i].revents = 0;
		extra[i].revents = 0;
	}
	if (timeout_ms < 0)
		timeout_ms = 0;
	mc = curl_multi_poll(h->multi, wfd, n_extra, timeout_ms, &numfds);
	if (mc != CURLM_OK)
		return sr_err(err, "libcurl: %s", curl_multi_strerror(mc));
	for (unsigned i = 0; i < n_extra; i++)
		extra[i].revents = (short)((wfd[i].revents & CURL_WAIT_POLLIN ? SR_HTTP_WAIT_IN : 0) |
					   (wfd[i].revents & CURL_WAIT_POLLOUT ? SR_HTTP_WAIT_OUT :
					    0));
	mc = curl_multi_perform(h->multi, &still);
	if (mc != CURLM_OK)
		return sr_err(err, "libcurl: %s", curl_multi_strerror(mc));
	drain(h);
	return h->running;
}

int
sr_http_run(struct sr_http *h, char **err)
{
	while (h->running > 0)
		if (sr_http_poll(h, NULL, 0, 1000, err) < 0)
			return -1;
	return 0;
}
