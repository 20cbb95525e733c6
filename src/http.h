/* SPDX-License-Identifier: MIT */
/* http.h: asynchronous HTTP requests on libcurl's multi interface, driven from one loop. */
#ifndef SR_HTTP_H
#define SR_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "util.h"

struct sr_http;

/* What came back from one request. */
struct sr_http_response {
	long status;		/* HTTP status, 0 when no answer arrived */
	char *body;		/* NUL-terminated (never NULL); a callback may take it (set NULL) */
	size_t len;
	char *err;		/* transport failure naming the redacted URL and curl's reason */
	double seconds;		/* total time of the request */
	const char *url;	/* the URL with any userinfo redacted; valid during the callback */
	const char *method;
	int streamed;		/* the body went to the request's sink: body is "" */
	int sink_failed;	/* the sink stopped the transfer (it keeps its own reason) */
	int64_t retry_after;	/* seconds from a Retry-After header, 0 when none */
};

/* Called once per request from inside sr_http_poll(); r and its strings are freed after. */
typedef void (*sr_http_cb)(void *arg, struct sr_http_response *r);

/*
 * Receives the next n bytes of a body, from inside sr_http_poll(). Returns 0, or -1 to stop
 * the transfer: the response then has sink_failed set and no err of its own.
 */
typedef int (*sr_http_sink)(void *arg, const char *data, size_t n);

struct sr_http_request {
	const char *method;		/* "GET" (NULL too), "POST", "DELETE" */
	const char *url;		/* absolute URL */
	const char *body;		/* request body or NULL; copied */
	size_t body_len;
	const char *content_type;	/* for body, e.g. "application/json" */
	const struct sr_transport *t;	/* timeouts, size cap, TLS, auth, headers, proxy; may be NULL */
	/*
	 * When set, a 2xx answer's body is handed to sink piece by piece as it arrives instead
	 * of being collected (the size cap still counts every byte). Answers with any other
	 * status are collected as usual, so that their error message can be read.
	 */
	sr_http_sink sink;
	void *sink_arg;
	/* What errors name instead of the URL, for a URL that is itself a secret (a webhook). */
	const char *shown_url;
};

/* A descriptor to wait on besides curl's sockets (stdin, the PostgreSQL socket). */
struct sr_http_waitfd {
	int fd;
	short events;		/* SR_HTTP_WAIT_IN | SR_HTTP_WAIT_OUT */
	short revents;		/* set by sr_http_poll */
};
#define SR_HTTP_WAIT_IN 0x1
#define SR_HTTP_WAIT_OUT 0x4

/*
 * A secret from its one configured source: inline value, first line of a file, or an
 * environment variable; *out is NULL when none is set. Errors name what ("token"), never the
 * value. Returns 0 or -1.
 */
int sr_http_secret(const char *inline_val, const char *file, const char *env, const char *what,
		   char **out, char **err);

/* True for an https URL, or an http URL to a loopback address (127.0.0.0/8, localhost, [::1]):
 * where a secret (a webhook URL, a bot token) may be sent. */
int sr_http_url_private_ok(const char *url);

/* Creates a client (one CURLM). Returns NULL with *err set when libcurl cannot start. */
struct sr_http *sr_http_new(char **err);
/* Aborts running requests (their callbacks are not called) and frees h (NULL is fine). */
void sr_http_free(struct sr_http *h);

/*
 * Starts a request; its callback runs from a later sr_http_poll(). Credentials come from t:
 * a bearer token (inline, token_file or token_env) or basic auth (username with password,
 * password_file or password_env). Fails, calling nothing, when a credential cannot be read
 * (the error names the file or variable, never the secret) or curl refuses the options.
 */
int sr_http_submit(struct sr_http *h, const struct sr_http_request *rq, sr_http_cb cb, void *arg,
		   char **err);

/*
 * Does pending transfer work, then (unless a request just completed) waits at most timeout_ms
 * in curl_multi_poll() for curl's sockets or the extra descriptors, whose revents it fills.
 * Completed requests get their callbacks. Returns the number of requests still running,
 * or -1 with *err set when libcurl fails.
 */
int sr_http_poll(struct sr_http *h, struct sr_http_waitfd *extra, unsigned n_extra,
		 int timeout_ms, char **err);
/* The number of requests submitted and not yet completed. */
int sr_http_running(const struct sr_http *h);
/*
 * Polls until no request is running. Returns 0, or -1 with *err set when libcurl fails or
 * sr_http_abort was called (the running requests are then dropped without their callbacks).
 */
int sr_http_run(struct sr_http *h, char **err);
/*
 * From another thread: makes sr_http_run of h return at once (its wait is woken), now and from
 * then on. For a sender that must stop while a post is in flight (the console quitting).
 */
void sr_http_abort(struct sr_http *h);

/* Returns an allocated copy of url with any "user:password@" replaced by "***@". */
char *sr_http_redact(const char *url);
/* Appends s to b percent-encoded for a query string (unreserved characters kept). */
void sr_http_urlencode(struct sr_buf *b, const char *s);
/* Joins base (with or without trailing '/') and path (starting with '/'); allocated. */
char *sr_http_join(const char *base, const char *path);
/* Fills b (initialised here) with base joined with path, then value percent-encoded. */
void sr_http_join_value(struct sr_buf *b, const char *base, const char *path, const char *value);

/*
 * Every secret the configuration holds or names (tokens, passwords and their basic-auth
 * base64, header values, webhook URLs; from the file or variable when configured so), for
 * scrubbing text that leaves sitrep (sr_text_osc52). Returns an allocated array of *n
 * allocated strings, freed (and wiped) with sr_secrets_free.
 */
char **sr_config_secrets(const struct sr_config *cfg, size_t *n);
void sr_secrets_free(char **v, size_t n);

#endif
