/* SPDX-License-Identifier: MIT */
/* http.c: libcurl multi wrapper: submit requests, wait in curl_multi_poll, complete by callback. */
#include <curl/curl.h>
#include <ctype.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "curl_lazy.h"
#include "http.h"
#include "postmortem.h"
#include "template.h"
#include "text.h"
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
	char **secrets;		/* scrubbed from every text from outside: errors, bodies */
	size_t n_secrets;
	size_t keep;		/* longest secret - 1: held back from a sink until more comes */
	struct sr_buf carry;	/* streamed bytes not yet scrubbed and passed on */
	sr_http_cb cb;
	void *arg;
	struct req *prev, *next;
};

struct sr_http {
	CURLM *multi;
	struct req *reqs;	/* running requests */
	int running;
	atomic_int aborted;	/* sr_http_abort: runs end at once, requests are dropped */
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
	for (size_t i = 0; i < r->n_secrets; i++) {
		memset(r->secrets[i], 0, strlen(r->secrets[i]));
		free(r->secrets[i]);
	}
	free(r->secrets);
	if (r->carry.data != NULL)
		memset(r->carry.data, 0, r->carry.cap);
	sr_buf_done(&r->carry);
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

/* Ends every running request without its callback. */
static void
drop_all(struct sr_http *h)
{
	while (h->reqs != NULL) {
		struct req *r = h->reqs;

		curl_multi_remove_handle(h->multi, r->easy);
		req_unlink(h, r);
		req_free(r);
	}
	h->running = 0;
}

void
sr_http_abort(struct sr_http *h)
{
	if (h == NULL)
		return;
	atomic_store(&h->aborted, 1);
	curl_multi_wakeup(h->multi);
}

void
sr_http_free(struct sr_http *h)
{
	if (h == NULL)
		return;
	drop_all(h);
	curl_multi_cleanup(h->multi);
	free(h);
}

/* --- URLs --- */

char *
sr_http_redact(const char *url)
{
	struct sr_url_parts u;
	const char *sep;
	struct sr_buf b;

	if (url == NULL)
		return sr_xstrdup("");
	if (sr_url_split(url, &u) != 0) {
		/* libcurl cannot read it either: a password may be anywhere after the scheme */
		sep = strstr(url, "://");
		if (sep == NULL)
			return sr_xstrdup("***");
		sr_buf_init(&b);
		sr_buf_add(&b, url, (size_t)(sep + 3 - url));
		sr_buf_adds(&b, "***");
		return sr_buf_steal(&b);
	}
	if (!u.has_userinfo)
		return sr_xstrdup(url);
	sr_buf_init(&b);
	sr_buf_add(&b, url, u.auth);
	sr_buf_adds(&b, "***@");
	sr_buf_adds(&b, url + u.host);
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

void
sr_http_join_value(struct sr_buf *b, const char *base, const char *path, const char *value)
{
	char *u = sr_http_join(base, path);

	sr_buf_init(b);
	sr_buf_adds(b, u);
	free(u);
	sr_http_urlencode(b, value);
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

/* --- secrets: everything sitrep sends that a server could echo back --- */

/* Frees a secret after wiping it. */
static void
forget(char *s)
{
	if (s != NULL)
		memset(s, 0, strlen(s));
	free(s);
}

static void
add_secret(struct req *r, const char *s, size_t n)
{
	if (s == NULL || n < 3)	/* shorter ones would garble every message */
		return;
	r->secrets = sr_xrealloc(r->secrets, (r->n_secrets + 1) * sizeof(*r->secrets));
	r->secrets[r->n_secrets++] = sr_xstrndup(s, n);
	if (n - 1 > r->keep)
		r->keep = n - 1;
}

static void
add_base64(struct req *r, const char *s, size_t n)
{
	struct sr_buf b;

	sr_buf_init(&b);
	sr_base64_add(&b, s, n);
	add_secret(r, b.data, b.len);
	memset(b.data, 0, b.len);
	sr_buf_done(&b);
}

/* "user:password" as HTTP basic auth sends it (base64), and the password alone. */
static void
add_basic(struct req *r, const char *user, size_t ulen, const char *pass, size_t plen)
{
	char *up = sr_xasprintf("%.*s:%.*s", (int)ulen, user, (int)plen, pass);

	add_secret(r, pass, plen);
	add_base64(r, up, strlen(up));
	memset(up, 0, strlen(up));
	free(up);
}

/* An allocated copy of s[0..n) with %XX decoded as libcurl decodes userinfo; *len its length. */
static char *
pct_decode(const char *s, size_t n, size_t *len)
{
	char *out = sr_xmalloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], '\0' };

			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* The userinfo of a URL: raw, percent-decoded and as basic auth; all of it if unreadable. */
static void
add_url_secrets(struct req *r, const char *url)
{
	struct sr_url_parts u;
	char *user, *pass;
	size_t ul, pl;

	if (url == NULL)
		return;
	if (sr_url_split(url, &u) != 0) {
		const char *sep = strstr(url, "://");

		add_secret(r, sep ? sep + 3 : url, strlen(sep ? sep + 3 : url));
		return;
	}
	if (!u.has_password)
		return;
	add_secret(r, url + u.pass, u.pass_end - u.pass);
	user = pct_decode(url + u.user, u.user_end - u.user, &ul);
	pass = pct_decode(url + u.pass, u.pass_end - u.pass, &pl);
	add_basic(r, user, ul, pass, pl);
	free(user);
	memset(pass, 0, pl);
	free(pass);
}

/*
 * Replaces every secret in s[0..len) with "***" in place (a secret is at least as long), the
 * longest first; returns the new length.
 */
static size_t
scrub_mem(char *s, size_t len, const struct req *r)
{
	return sr_text_scrub(s, len, (const char *const *)r->secrets, r->n_secrets);
}

static int
cmp_len_desc(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Passes the scrubbed stream on, holding back what could be the start of a cut secret. */
static int
sink_scrubbed(struct req *r, int final)
{
	size_t pass;

	r->carry.len = scrub_mem(r->carry.data, r->carry.len, r);
	pass = final ? r->carry.len : r->carry.len > r->keep ? r->carry.len - r->keep : 0;
	if (pass == 0)
		return 0;
	if (r->sink(r->sink_arg, r->carry.data, pass) < 0)
		return -1;
	memmove(r->carry.data, r->carry.data + pass, r->carry.len - pass);
	r->carry.len -= pass;
	return 0;
}

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
		int rc;

		if (r->n_secrets == 0) {
			rc = r->sink(r->sink_arg, data, n);
		} else {
			sr_buf_add(&r->carry, data, n);
			rc = sink_scrubbed(r, 0);
		}
		if (rc < 0) {
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
	sr_buf_init(&r->carry);
	add_secret(r, token, token ? strlen(token) : 0);
	if (t != NULL && t->username != NULL && password != NULL)
		add_basic(r, t->username, strlen(t->username), password, strlen(password));
	else
		add_secret(r, password, password ? strlen(password) : 0);
	for (size_t i = 0; t != NULL && i < t->n_headers; i++) {
		const char *v = strchr(t->headers[i], ':');

		if (v == NULL)
			continue;
		v += 1 + strspn(v + 1, " \t");
		add_secret(r, v, strlen(v));
	}
	add_url_secrets(r, rq->url);
	if (rq->shown_url != NULL && rq->url != NULL) {
		/* the URL is itself the secret (a webhook): whole, and its path, which a server
		 * echoing the request line repeats without the host */
		const char *host = strstr(rq->url, "://");
		const char *path = host != NULL ? strchr(host + 3, '/') : NULL;

		add_secret(r, rq->url, strlen(rq->url));
		if (path != NULL && strlen(path) > 1)
			add_secret(r, path, strlen(path));
	}
	if (t != NULL)
		add_url_secrets(r, t->proxy);
	/* longest first, so a password inside a longer secret does not break the longer one */
	if (r->n_secrets > 1)
		qsort(r->secrets, r->n_secrets, sizeof(*r->secrets), cmp_len_desc);

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
	forget(token);
	forget(password);
	return 0;
fail:
	forget(token);
	forget(password);
	req_free(r);
	return -1;
}

int
sr_http_running(const struct sr_http *h)
{
	return h->running;
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
	/* the end of a scrubbed stream */
	if (rc == CURLE_OK && r->streaming == 1 && r->n_secrets > 0 && !r->sink_failed &&
	    sink_scrubbed(r, 1) < 0)
		r->sink_failed = 1;
	if (rc == CURLE_OK && !r->sink_failed) {
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
		res.err[scrub_mem(res.err, strlen(res.err), r)] = '\0';
		sr_buf_done(&r->body);
	}
	/* a collected body (an error page, a small answer) is outside text too */
	if (r->body.data != NULL && r->n_secrets > 0) {
		r->body.len = scrub_mem(r->body.data, r->body.len, r);
		r->body.data[r->body.len] = '\0';
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
	while (h->running > 0) {
		if (atomic_load(&h->aborted)) {
			drop_all(h);
			return sr_err(err, "cancelled: the sender is stopping");
		}
		if (sr_http_poll(h, NULL, 0, 1000, err) < 0)
			return -1;
	}
	return 0;
}

/* --- every secret of a configuration, for scrubbing text that leaves sitrep --- */

static void
secret_push(char ***v, size_t *n, char *s)
{
	if (s == NULL || *s == '\0') {
		free(s);
		return;
	}
	*v = sr_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* The secrets of a URL's userinfo, as a request finds them (add_url_secrets). */
static void
url_secrets(const char *url, char ***v, size_t *n)
{
	struct req tmp;

	memset(&tmp, 0, sizeof(tmp));
	add_url_secrets(&tmp, url);
	for (size_t i = 0; i < tmp.n_secrets; i++)
		secret_push(v, n, tmp.secrets[i]);
	free(tmp.secrets);
}

/* CSV's quoting of a field's text (RFC 4180: a quote doubled), as `incident list --csv` writes */
static void
esc_csv(struct sr_buf *b, const char *s, size_t len, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			sr_buf_addc(b, '"');
		sr_buf_addc(b, s[i]);
	}
}

/* secret_push, unless s is listed already */
static void
secret_push_new(char ***v, size_t *n, char *s)
{
	for (size_t i = 0; s != NULL && i < *n; i++) {
		if (strcmp((*v)[i], s) == 0) {
			free(s);
			return;
		}
	}
	secret_push(v, n, s);
}

static void
transport_secrets(const struct sr_transport *t, char ***v, size_t *n)
{
	char *tok = NULL, *pass = NULL, *err = NULL;

	url_secrets(t->url, v, n);
	url_secrets(t->proxy, v, n);

	if (sr_http_secret(t->token, t->token_file, t->token_env, "token", &tok, &err) == 0)
		secret_push(v, n, tok);
	free(err);
	err = NULL;
	if (sr_http_secret(t->password, t->password_file, t->password_env, "password", &pass,
			   &err) == 0 && pass != NULL) {
		struct sr_buf up, b64;

		sr_buf_init(&up);
		sr_buf_init(&b64);
		sr_buf_printf(&up, "%s:%s", t->username ? t->username : "", pass);
		sr_base64_add(&b64, up.data, up.len);
		sr_buf_addc(&b64, '\0');
		secret_push(v, n, sr_buf_steal(&b64));
		sr_buf_done(&up);
		secret_push(v, n, pass);
	}
	free(err);
	for (size_t i = 0; i < t->n_headers; i++) {
		const char *colon = strchr(t->headers[i], ':');

		if (colon != NULL) {
			colon++;
			while (*colon == ' ' || *colon == '\t')
				colon++;
			secret_push(v, n, sr_xstrdup(colon));
		}
	}
}

char **
sr_config_secrets(const struct sr_config *cfg, size_t *n)
{
	char **v = NULL;

	*n = 0;
	for (size_t i = 0; i < cfg->n_prom; i++)
		transport_secrets(&cfg->prom[i].t, &v, n);
	for (size_t i = 0; i < cfg->n_am; i++)
		transport_secrets(&cfg->am[i].t, &v, n);
	for (size_t i = 0; i < cfg->n_checks; i++)
		transport_secrets(&cfg->checks[i].t, &v, n);
	for (size_t i = 0; i < cfg->n_targets; i++) {
		const struct sr_target *tg = &cfg->targets[i];
		char *hook = NULL, *err = NULL;

		transport_secrets(&tg->t, &v, n);
		if (sr_http_secret(tg->webhook, tg->webhook_file, tg->webhook_env, "webhook", &hook,
				   &err) == 0)
			secret_push(&v, n, hook);
		free(err);
	}
	/*
	 * Each channel masks its output after its own escaping, so a secret is also listed as each
	 * escaper writes it (a quote or backslash in a password in --json, "&" as "&amp;" in a Slack
	 * message, "_" as "\\_" in a Markdown export, '"' as '""' in CSV), and each of those as a
	 * JSON string writes it (a Slack payload is mrkdwn inside JSON). An output that escapes
	 * text in a new way adds its escaper here.
	 */
	for (size_t i = 0, k = *n; i < k; i++) {
		static const sr_tpl_escape_fn esc[] = {
			NULL, sr_tpl_esc_html, sr_tpl_esc_mrkdwn, sr_tpl_esc_markdown, sr_pm_esc_md,
			esc_csv,
		};

		for (size_t e = 0; e < sizeof(esc) / sizeof(esc[0]); e++) {
			struct sr_buf f, j;

			sr_buf_init(&f);
			if (esc[e] != NULL)
				esc[e](&f, v[i], strlen(v[i]), NULL);
			else
				sr_buf_adds(&f, v[i]);
			sr_buf_addc(&f, '\0');
			sr_buf_init(&j);
			sr_tpl_json_chars(&j, f.data, strlen(f.data));
			sr_buf_addc(&j, '\0');
			secret_push_new(&v, n, sr_buf_steal(&f));
			secret_push_new(&v, n, sr_buf_steal(&j));
		}
	}
	/* longest first, so a password inside a longer secret does not break the longer one */
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_len_desc);
	return v;
}

void
sr_secrets_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(v[i], 0, strlen(v[i]));
		free(v[i]);
	}
	free(v);
}
