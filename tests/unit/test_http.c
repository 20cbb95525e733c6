/* SPDX-License-Identifier: MIT */
/* test_http.c: the curl multi wrapper against a local misbehaving server (http_server.py). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "tmpdir.h"

/* libcurl's CURL_MAX_WRITE_SIZE: the largest piece a write callback is given. */
#define CURL_MAX_WRITE_SIZE_SR 16384

static pid_t server_pid;
static int server_fd = -1;	/* our end of the server's stdout, open while it runs */
static int server_port;

struct got {
	int done;
	long status;
	char *body;
	char *err;
	int order;
};

static int completion_counter;

static void
on_done(void *arg, struct sr_http_response *r)
{
	struct got *g = arg;

	g->done = 1;
	g->status = r->status;
	g->body = r->body;	/* taken */
	r->body = NULL;
	g->err = r->err != NULL ? sr_xstrdup(r->err) : NULL;
	g->order = ++completion_counter;
}

static void
got_done(struct got *g)
{
	free(g->body);
	free(g->err);
	memset(g, 0, sizeof(*g));
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts http_server.py with extra arguments; returns its pid, sets *port and *fd. */
static pid_t
spawn_server(const char *a1, const char *a2, const char *a3, int *port, int *rfd)
{
	int fd[2];
	char line[32];
	ssize_t n;
	pid_t pid;

	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execlp("python3", "python3", SR_HTTP_SERVER, a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	n = read(fd[0], line, sizeof(line) - 1);
	*rfd = fd[0];
	if (n <= 0)
		return -1;
	line[n] = '\0';
	*port = atoi(line);
	return *port > 0 ? pid : -1;
}

static int
start_server(void **state)
{
	(void)state;
	server_pid = spawn_server(NULL, NULL, NULL, &server_port, &server_fd);
	return server_pid > 0 ? 0 : -1;
}

static int
stop_server(void **state)
{
	(void)state;
	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
	}
	if (server_fd >= 0)
		close(server_fd);
	return 0;
}

static char *
url(const char *path)
{
	return sr_xasprintf("http://127.0.0.1:%d%s", server_port, path);
}

/* Runs one request to completion. */
static void
fetch(const struct sr_transport *t, const char *method, const char *path, const char *body,
      struct got *g)
{
	char *err = NULL, *u = url(path);
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rq = { .method = method, .url = u, .body = body,
				      .body_len = body ? strlen(body) : 0, .t = t };

	assert_non_null(h);
	memset(g, 0, sizeof(*g));
	assert_int_equal(sr_http_submit(h, &rq, on_done, g, &err), 0);
	assert_int_equal(sr_http_run(h, &err), 0);
	assert_true(g->done);
	sr_http_free(h);
	free(u);
}

static void
transport_init(struct sr_transport *t)
{
	memset(t, 0, sizeof(*t));
	t->connect_timeout_ms = 2000;
	t->timeout_ms = 5000;
	t->max_bytes = 1 << 20;
	t->tls_verify = 1;
}

static void
test_ok_500_garbage(void **state)
{
	struct got g;

	(void)state;
	fetch(NULL, NULL, "/ok", NULL, &g);
	assert_null(g.err);
	assert_int_equal(g.status, 200);
	assert_string_equal(g.body, "{\"ok\":true}");
	got_done(&g);

	fetch(NULL, NULL, "/500", NULL, &g);
	assert_null(g.err);
	assert_int_equal(g.status, 500);
	assert_non_null(strstr(g.body, "boom"));
	got_done(&g);

	fetch(NULL, NULL, "/garbage", NULL, &g);
	assert_null(g.err);
	assert_int_equal(g.status, 200);
	assert_memory_equal(g.body, "\x00\xff<html>", 8);
	got_done(&g);

	fetch(NULL, NULL, "/gzip", NULL, &g);
	assert_int_equal(g.status, 200);
	assert_int_equal(strlen(g.body), 5000 + 13);
	got_done(&g);
}

static void
test_timeout(void **state)
{
	struct sr_transport t;
	struct got g;
	double t0 = mono(), dt;
	char *u = url("/hang");

	(void)state;
	transport_init(&t);
	t.timeout_ms = 400;
	fetch(&t, NULL, "/hang", NULL, &g);
	dt = mono() - t0;
	assert_non_null(g.err);
	assert_non_null(strstr(g.err, u));
	assert_non_null(strstr(g.err, "Timeout"));
	assert_int_equal(g.status, 0);
	assert_true(dt >= 0.35 && dt < 3.0);
	got_done(&g);
	free(u);
}

/* One source hangs; another keeps completing request after request meanwhile. */
static void
test_others_progress_while_one_hangs(void **state)
{
	struct sr_transport slow, fast;
	struct got hang, ok[8];
	char *err = NULL, *uh = url("/hang"), *uo = url("/slow?ms=20");
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rh = { .url = uh, .t = &slow };
	struct sr_http_request ro = { .url = uo, .t = &fast };
	int next = 0;

	(void)state;
	transport_init(&slow);
	transport_init(&fast);
	slow.timeout_ms = 3000;
	memset(&hang, 0, sizeof(hang));
	memset(ok, 0, sizeof(ok));
	completion_counter = 0;
	assert_int_equal(sr_http_submit(h, &rh, on_done, &hang, &err), 0);
	assert_int_equal(sr_http_submit(h, &ro, on_done, &ok[next++], &err), 0);
	while (sr_http_running(h) > 0) {
		assert_true(sr_http_poll(h, NULL, 0, 100, &err) >= 0);
		/* Like a feed: as soon as one fetch ends, the next one starts. */
		if (ok[next - 1].done && next < 8)
			assert_int_equal(sr_http_submit(h, &ro, on_done, &ok[next++], &err), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_true(ok[i].done);
		assert_int_equal(ok[i].status, 200);
		assert_true(ok[i].order < hang.order);
		got_done(&ok[i]);
	}
	assert_non_null(hang.err);
	got_done(&hang);
	sr_http_free(h);
	free(uh);
	free(uo);
}

static void
test_size_cap(void **state)
{
	struct sr_transport t;
	struct got g;

	(void)state;
	transport_init(&t);
	t.max_bytes = 1 << 20;
	fetch(&t, NULL, "/huge?bytes=40000000", NULL, &g);
	assert_non_null(g.err);
	assert_non_null(strstr(g.err, "response too large (more than 1048576 bytes)"));
	assert_string_equal(g.body, "");
	got_done(&g);

	fetch(&t, NULL, "/huge?bytes=40000000&cl=1", NULL, &g);
	assert_non_null(g.err);
	assert_non_null(strstr(g.err, "response too large"));
	got_done(&g);

	fetch(&t, NULL, "/huge?bytes=1000000", NULL, &g);
	assert_null(g.err);
	assert_int_equal(strlen(g.body), 1000000);
	got_done(&g);
}

static void
test_close_mid_response(void **state)
{
	struct got g;

	(void)state;
	fetch(NULL, NULL, "/close", NULL, &g);
	assert_non_null(g.err);
	assert_non_null(strstr(g.err, "/close"));
	got_done(&g);
}

static void
test_unreachable_and_redaction(void **state)
{
	struct sr_transport t;
	struct got g;
	char *err = NULL;
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rq = { .url = "http://bob:hunter22@127.0.0.1:1/api/v1/query",
				      .t = &t };

	(void)state;
	transport_init(&t);
	t.token = "s3cr3t-token";
	memset(&g, 0, sizeof(g));
	assert_int_equal(sr_http_submit(h, &rq, on_done, &g, &err), 0);
	assert_int_equal(sr_http_run(h, &err), 0);
	assert_non_null(g.err);
	assert_non_null(strstr(g.err, "GET http://***@127.0.0.1:1/api/v1/query"));
	assert_non_null(strstr(g.err, "Couldn't connect"));
	assert_null(strstr(g.err, "hunter22"));
	assert_null(strstr(g.err, "s3cr3t"));
	got_done(&g);
	sr_http_free(h);
}

/* A password with a character that means something in a URL, unencoded: libcurl cannot read
 * such a URL, so it is redacted whole and its userinfo treated as a secret. */
static void
test_reserved_in_password(void **state)
{
	static const char *const urls[] = {
		"http://ops:pa/ssCANARY@127.0.0.1:1/x", "http://ops:pa?ssCANARY@127.0.0.1:1/x",
		"http://ops:pa#ssCANARY@127.0.0.1:1/x", "http://ops:pa@ssCANARY@127.0.0.1:1/x",
		"http://ops:paCANARY@127.0.0.1:1/x",	"https://u:p%40ssCANARY@[::1]:1/x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		char *red = sr_http_redact(urls[i]), *err = NULL;
		struct sr_http *h = sr_http_new(&err);
		struct sr_http_request rq = { .url = urls[i] };
		struct got g;

		assert_null(strstr(red, "CANARY"));
		assert_true(sr_url_has_secret(urls[i]));
		free(red);
		/* what libcurl says about it, scrubbed too */
		memset(&g, 0, sizeof(g));
		if (sr_http_submit(h, &rq, on_done, &g, &err) == 0) {
			assert_int_equal(sr_http_run(h, &err), 0);
			assert_non_null(g.err);
			assert_null(strstr(g.err, "CANARY"));
			got_done(&g);
		} else {
			assert_null(strstr(err, "CANARY"));
			free(err);
		}
		sr_http_free(h);
	}
	/* and what is not a secret stays readable */
	assert_false(sr_url_has_secret("http://127.0.0.1:9090/path@x?q=a:b#f"));
	assert_false(sr_url_has_secret("https://user@host.example/"));
	{
		char *red = sr_http_redact("http://host:9093/a@b");

		assert_string_equal(red, "http://host:9093/a@b");
		free(red);
	}
}

static void
test_auth_headers_methods(void **state)
{
	struct sr_transport t;
	struct got g;
	char *hdrs[] = { "X-Scope-OrgID: team-a", "X-Other: 1" };
	char path[64];
	int fd;

	(void)state;
	transport_init(&t);
	t.token = "inline-tok";
	t.headers = hdrs;
	t.n_headers = 2;
	fetch(&t, "POST", "/echo", "{\"a\":1}", &g);
	assert_non_null(strstr(g.body, "\"method\": \"POST\""));
	assert_non_null(strstr(g.body, "\"body\": \"{\\\"a\\\":1}\""));
	/* sent (the echo has the header) and scrubbed from what came back: a server that
	 * echoes credentials never gets them shown or stored */
	assert_non_null(strstr(g.body, "\"authorization\": \"Bearer ***\""));
	assert_null(strstr(g.body, "inline-tok"));
	assert_non_null(strstr(g.body, "\"x-scope-orgid\": \"***\""));
	assert_non_null(strstr(g.body, "\"content-type\": \"application/json\""));
	got_done(&g);

	sr_test_tmp(path, sizeof(path), "sitrep-token");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "file-tok\n", 9), 9);
	close(fd);
	transport_init(&t);
	t.token_file = path;
	fetch(&t, "DELETE", "/echo", NULL, &g);
	assert_non_null(strstr(g.body, "\"method\": \"DELETE\""));
	assert_non_null(strstr(g.body, "\"authorization\": \"Bearer ***\""));
	assert_null(strstr(g.body, "file-tok"));
	got_done(&g);
	unlink(path);

	transport_init(&t);
	setenv("SITREP_TEST_TOKEN", "env-tok", 1);
	t.token_env = "SITREP_TEST_TOKEN";
	fetch(&t, NULL, "/echo", NULL, &g);
	assert_non_null(strstr(g.body, "\"authorization\": \"Bearer ***\""));
	assert_null(strstr(g.body, "env-tok"));
	got_done(&g);

	transport_init(&t);
	t.username = "alice";
	t.password = "pw";
	fetch(&t, NULL, "/echo", NULL, &g);
	/* base64("alice:pw"), scrubbed as sent */
	assert_non_null(strstr(g.body, "\"authorization\": \"Basic ***\""));
	assert_null(strstr(g.body, "YWxpY2U6cHc="));
	got_done(&g);
}

static void
test_missing_credentials(void **state)
{
	struct sr_transport t;
	char *err = NULL, *u = url("/ok");
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rq = { .url = u, .t = &t };

	(void)state;
	transport_init(&t);
	unsetenv("SITREP_TEST_NO_SUCH");
	t.token_env = "SITREP_TEST_NO_SUCH";
	assert_int_equal(sr_http_submit(h, &rq, on_done, NULL, &err), -1);
	assert_non_null(strstr(err, "SITREP_TEST_NO_SUCH is not set"));
	free(err);
	err = NULL;
	transport_init(&t);
	t.password_file = "/nonexistent/sitrep/pw";
	t.username = "u";
	assert_int_equal(sr_http_submit(h, &rq, on_done, NULL, &err), -1);
	assert_non_null(strstr(err, "/nonexistent/sitrep/pw"));
	free(err);
	assert_int_equal(sr_http_running(h), 0);
	sr_http_free(h);
	free(u);
}

static void
test_extra_fds_and_idle_poll(void **state)
{
	char *err = NULL;
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_waitfd w;
	int fd[2];
	double t0;

	(void)state;
	assert_int_equal(pipe(fd), 0);
	w.fd = fd[0];
	w.events = SR_HTTP_WAIT_IN;
	/* Nothing to do: waits for the timeout. */
	t0 = mono();
	assert_int_equal(sr_http_poll(h, &w, 1, 150, &err), 0);
	assert_true(mono() - t0 >= 0.1);
	assert_int_equal(w.revents, 0);
	/* A readable extra descriptor wakes the poll early. */
	assert_int_equal(write(fd[1], "k", 1), 1);
	t0 = mono();
	assert_int_equal(sr_http_poll(h, &w, 1, 5000, &err), 0);
	assert_true(mono() - t0 < 1.0);
	assert_true(w.revents & SR_HTTP_WAIT_IN);
	close(fd[0]);
	close(fd[1]);
	sr_http_free(h);
}

static void
test_free_with_running(void **state)
{
	char *err = NULL, *u = url("/hang");
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rq = { .url = u };
	struct got g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(sr_http_submit(h, &rq, on_done, &g, &err), 0);
	assert_int_equal(sr_http_poll(h, NULL, 0, 50, &err), 1);
	sr_http_free(h);	/* aborts without calling back */
	assert_false(g.done);
	free(u);
}

/* HTTPS: verification on by default, a CA file makes it pass, turning it off is explicit. */
static void
test_tls(void **state)
{
	char dir[64], *cmd, *cert, *key, *u, *err = NULL;
	struct sr_transport t;
	struct sr_http *h;
	struct got g;
	int port = 0, fd = -1;
	pid_t pid;

	(void)state;
	if (system("command -v openssl >/dev/null 2>&1") != 0)
		skip();
	sr_test_tmp(dir, sizeof(dir), "sitrep-tls");
	assert_non_null(mkdtemp(dir));
	cert = sr_xasprintf("%s/cert.pem", dir);
	key = sr_xasprintf("%s/key.pem", dir);
	cmd = sr_xasprintf("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
			   "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s "
			   ">/dev/null 2>&1", key, cert);
	assert_int_equal(system(cmd), 0);
	pid = spawn_server("--tls", cert, key, &port, &fd);
	assert_true(pid > 0);
	u = sr_xasprintf("https://127.0.0.1:%d/ok", port);
	h = sr_http_new(&err);

	for (int mode = 0; mode < 3; mode++) {
		struct sr_http_request rq = { .url = u, .t = &t };

		transport_init(&t);
		/* A TLS handshake with the Python server is slow on a loaded machine under ASan:
		 * give it room, so that a timeout is never mistaken for the verification error. */
		t.connect_timeout_ms = 30000;
		t.timeout_ms = 30000;
		if (mode == 1)
			t.ca_file = cert;
		if (mode == 2)
			t.tls_verify = 0;
		memset(&g, 0, sizeof(g));
		assert_int_equal(sr_http_submit(h, &rq, on_done, &g, &err), 0);
		assert_int_equal(sr_http_run(h, &err), 0);
		if (mode == 0) {
			assert_non_null(g.err);
			if (strstr(g.err, u) == NULL || strstr(g.err, "certificate") == NULL)
				fail_msg("mode 0: wanted a certificate error naming the URL, got: %s", g.err);
		} else {
			if (g.err != NULL)
				fail_msg("mode %d: %s", mode, g.err);
			assert_int_equal(g.status, 200);
		}
		got_done(&g);
	}
	sr_http_free(h);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(fd);
	unlink(cert);
	unlink(key);
	rmdir(dir);
	free(cmd);
	free(cert);
	free(key);
	free(u);
}

static void
test_url_helpers(void **state)
{
	char *s;
	struct sr_buf b;

	(void)state;
	s = sr_http_redact("https://user:pa:ss@host:1/p?q=a@b");
	assert_string_equal(s, "https://***@host:1/p?q=a@b");
	free(s);
	s = sr_http_redact("http://host/p@x");
	assert_string_equal(s, "http://host/p@x");
	free(s);
	s = sr_http_join("http://h/prefix/", "/api/v2/alerts");
	assert_string_equal(s, "http://h/prefix/api/v2/alerts");
	free(s);
	sr_buf_init(&b);
	sr_http_urlencode(&b, "a b=\"c\"&é~");
	assert_string_equal(b.data, "a%20b%3D%22c%22%26%C3%A9~");
	sr_buf_done(&b);
}

/* --- bodies handed to a sink as they arrive --- */

struct sink {
	size_t bytes, calls, biggest, stop_after;
	int bad;		/* a byte other than the server's 'x' */
	struct got g;
	int streamed, sink_failed;
};

static int
count_sink(void *arg, const char *p, size_t n)
{
	struct sink *k = arg;

	k->bytes += n;
	k->calls++;
	if (n > k->biggest)
		k->biggest = n;
	for (size_t i = 0; i < n; i++)
		if (p[i] != 'x')
			k->bad = 1;
	return k->stop_after != 0 && k->calls >= k->stop_after ? -1 : 0;
}

static void
on_sink_done(void *arg, struct sr_http_response *r)
{
	struct sink *k = arg;

	k->streamed = r->streamed;
	k->sink_failed = r->sink_failed;
	on_done(&k->g, r);
}

static void
fetch_sink(const struct sr_transport *t, const char *path, struct sink *k)
{
	char *err = NULL, *u = url(path);
	struct sr_http *h = sr_http_new(&err);
	struct sr_http_request rq = { .url = u, .t = t, .sink = count_sink, .sink_arg = k };

	assert_non_null(h);
	assert_int_equal(sr_http_submit(h, &rq, on_sink_done, k, &err), 0);
	assert_int_equal(sr_http_run(h, &err), 0);
	assert_true(k->g.done);
	sr_http_free(h);
	free(u);
}

static void
test_sink(void **state)
{
	struct sr_transport t;
	struct sink k;

	(void)state;
	transport_init(&t);
	t.max_bytes = 64 << 20;

	/* 5 MB, chunked: every byte reaches the sink in pieces, none is collected */
	memset(&k, 0, sizeof(k));
	fetch_sink(&t, "/huge?bytes=5000000", &k);
	assert_null(k.g.err);
	assert_int_equal(k.g.status, 200);
	assert_true(k.streamed);
	assert_int_equal(k.bytes, 5000000);
	assert_false(k.bad);
	assert_true(k.calls >= 5000000 / CURL_MAX_WRITE_SIZE_SR);
	assert_true(k.biggest <= CURL_MAX_WRITE_SIZE_SR);
	assert_string_equal(k.g.body, "");
	got_done(&k.g);

	/* an error status is collected instead, so its message can be read */
	memset(&k, 0, sizeof(k));
	fetch_sink(&t, "/500", &k);
	assert_null(k.g.err);
	assert_int_equal(k.g.status, 500);
	assert_false(k.streamed);
	assert_int_equal(k.calls, 0);
	assert_non_null(strstr(k.g.body, "boom"));
	got_done(&k.g);

	/* the sink stops the transfer: no error of the transport's own, and no more bytes */
	memset(&k, 0, sizeof(k));
	k.stop_after = 3;
	fetch_sink(&t, "/huge?bytes=5000000&cl=1", &k);
	assert_null(k.g.err);
	assert_true(k.sink_failed);
	assert_int_equal(k.calls, 3);
	assert_int_equal(k.g.status, 200);
	got_done(&k.g);

	/* the size cap counts streamed bytes too */
	memset(&k, 0, sizeof(k));
	t.max_bytes = 100000;
	fetch_sink(&t, "/huge?bytes=1000000", &k);
	assert_non_null(k.g.err);
	assert_non_null(strstr(k.g.err, "response too large (more than 100000 bytes)"));
	assert_true(k.bytes <= 100000);
	assert_false(k.sink_failed);
	got_done(&k.g);

	/* an empty 2xx body counts as streamed: zero bytes */
	memset(&k, 0, sizeof(k));
	fetch(NULL, "POST", "/set?path=/empty&status=200", "", &k.g);
	got_done(&k.g);
	fetch_sink(&t, "/empty", &k);
	assert_null(k.g.err);
	assert_int_equal(k.g.status, 200);
	assert_true(k.streamed);
	assert_int_equal(k.calls, 0);
	got_done(&k.g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_500_garbage),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_others_progress_while_one_hangs),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_close_mid_response),
		cmocka_unit_test(test_unreachable_and_redaction),
		cmocka_unit_test(test_reserved_in_password),
		cmocka_unit_test(test_auth_headers_methods),
		cmocka_unit_test(test_missing_credentials),
		cmocka_unit_test(test_extra_fds_and_idle_poll),
		cmocka_unit_test(test_free_with_running),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_url_helpers),
		cmocka_unit_test(test_sink),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, start_server, stop_server);
}
