/*
 * A WebSocket connection-storm generator in C: the load generator of benchmark scenario 4.
 *
 * Opens N WebSocket connections to one server as fast as the server takes them, at most C in
 * progress at a time: non-blocking connect, then an RFC 6455 upgrade request (random 16-byte
 * Sec-WebSocket-Key), then the response head up to CRLF CRLF, which must be "HTTP/1.1 101" with
 * the right Sec-WebSocket-Accept. A connection that passes is counted connected and left open and
 * idle; a refused or reset connect, a bad response or a handshake timeout counts as an error.
 * When every attempt has ended the clock stops (connectPerSec = connected / seconds from the first
 * connect until the last attempt ended). The connections are then held idle for --hold-ms, then each
 * gets a masked close frame (code 1000); a socket is closed when the server closes its side, or
 * after 2 s at the latest.
 *
 * A wss:// URL adds a full TLS handshake to each connection, through OpenSSL (tls-io.h: no session
 * resumption, the server's certificate not verified), so the storm measures TLS handshakes/s.
 *
 * One thread, edge-triggered epoll; SHA-1 and base64 from ws-accept.h, OpenSSL for wss://.
 * It prints the JSON fields of `ixws bench --connect-rate-only` (plus "loadGenerator":"c-storm"),
 * so benchmarks/run.sh and benchmarks/report.py read its results unchanged. cpuPercent is this
 * process's CPU time during the storm in percent of one core: near 100 the storm is bound by the
 * generator, not the server.
 *
 * Build: gcc -O2 -Wall -Wextra -o benchmarks/target/c-storm benchmarks/peers/c-storm.c -lssl -lcrypto
 * Run:   c-storm --url ws[s]://127.0.0.1:PORT/ --connections N [--connect-concurrency C (200)]
 *                [--hold-ms 1000] [--handshake-timeout SECS (10)] [--json FILE|-] [--quiet]
 *        Other `ixws bench` options (--connect-rate-only, --in-flight N, --size N, ...) are
 *        accepted and ignored.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEAD 8192       /* a longer response head is an error */
#define CLOSE_WAIT_MS 2000  /* longest wait for the servers' side of the closes */

#include "tls-io.h"
#include "ws-accept.h"


/* ---------------------------------------------------------------- state */

enum state { IDLE, CONNECTING, TLS_HANDSHAKE, READING, OPEN, CLOSING, DONE };

struct conn {
  int fd;
  SSL *ssl; /* wss:// only */
  uint8_t state;
  uint16_t woff; /* request bytes written */
  uint16_t rlen; /* response bytes read */
  double start;  /* when the connect began (for the timeout) */
  char key[25];
  char *rbuf; /* the response head, while the handshake is in progress */
};

static struct conn *conns;
static int ep;
static struct sockaddr_storage addr;
static socklen_t addr_len;
static char host_header[300], path[1024], host_name[300];
static int tls_on;
/* --extensions: offered in Sec-WebSocket-Extensions (e.g. permessage-deflate), empty for none. */
static const char *extensions = "";
static long n_conns = 1, concurrency = 200, hold_ms = 1000;
static double handshake_timeout = 10;
static long started, in_progress, ended, connected, connect_errors, unexpected_closes, open_now;
static char first_error[256];
static uint64_t rng;

static double now_secs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_secs(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static uint64_t next_random(void) { /* xorshift64*: keys and masks need no cryptographic strength */
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

static void die(const char *fmt, const char *arg) {
  fprintf(stderr, "c-storm: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n");
  exit(2);
}

static void note_error(const char *what, const char *detail) {
  if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s: %s", what, detail);
}

/* The attempt of c ended: connected (ok) or failed (its socket is closed). */
static ssize_t conn_recv(struct conn *c, void *buf, size_t n) {
  return c->ssl ? tls_recv(c->ssl, buf, n) : recv(c->fd, buf, n, 0);
}

static ssize_t conn_send(struct conn *c, const void *buf, size_t n) {
  return c->ssl ? tls_send(c->ssl, buf, n) : send(c->fd, buf, n, MSG_NOSIGNAL);
}

/* Closes the socket (and frees its TLS session). */
static void conn_close(struct conn *c) {
  if (c->ssl) {
    SSL_free(c->ssl);
    c->ssl = NULL;
  }
  close(c->fd);
  c->fd = -1;
}

static void attempt_ended(struct conn *c, int ok, const char *what, const char *detail) {
  free(c->rbuf);
  c->rbuf = NULL;
  in_progress--;
  ended++;
  if (ok) {
    connected++;
    open_now++;
    c->state = OPEN;
  } else {
    connect_errors++;
    note_error(what, detail);
    conn_close(c);
    c->state = DONE;
  }
}

static void send_request(struct conn *c) {
  char req[2000];
  int len = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s%s%s\r\n",
                     path, host_header, c->key, extensions[0] ? "Sec-WebSocket-Extensions: " : "",
                     extensions, extensions[0] ? "\r\n" : "");
  while (c->woff < len) {
    ssize_t w = conn_send(c, req + c->woff, (size_t)(len - c->woff));
    if (w < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return; /* EPOLLOUT again */
      if (errno == EINTR) continue;
      attempt_ended(c, 0, "connect", strerror(errno));
      return;
    }
    c->woff = (uint16_t)(c->woff + w);
  }
  c->state = READING;
  c->rbuf = malloc(MAX_HEAD);
  if (!c->rbuf) die("%s", "out of memory");
}

/* The response head is complete (rbuf[0..n) ends with CRLF CRLF): checks status and accept. */
static void check_response(struct conn *c, size_t n) {
  char *p = c->rbuf;
  p[n] = 0;
  if (strncmp(p, "HTTP/1.1 101", 12) != 0 || (p[12] != ' ' && p[12] != '\r')) {
    char status[128]; /* copied: attempt_ended frees the buffer */
    size_t l = strcspn(p, "\r\n");
    snprintf(status, sizeof status, "%.*s", (int)(l < sizeof status ? l : sizeof status - 1), p);
    attempt_ended(c, 0, "handshake rejected", status);
    return;
  }
  char expected[32];
  accept_value(c->key, 24, expected);
  static const char name[] = "sec-websocket-accept:";
  for (char *line = strstr(p, "\r\n") + 2; *line && line[0] != '\r'; line = strstr(line, "\r\n") + 2) {
    if (strncasecmp(line, name, sizeof name - 1) == 0) {
      char *v = line + sizeof name - 1, *ve = strstr(v, "\r\n");
      while (*v == ' ' || *v == '\t') v++;
      while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      if ((size_t)(ve - v) == strlen(expected) && memcmp(v, expected, (size_t)(ve - v)) == 0) {
        attempt_ended(c, 1, NULL, NULL);
      } else {
        attempt_ended(c, 0, "handshake", "wrong Sec-WebSocket-Accept");
      }
      return;
    }
  }
  attempt_ended(c, 0, "handshake", "no Sec-WebSocket-Accept");
}

static void on_readable(struct conn *c) {
  for (;;) {
    if (c->state == READING) {
      ssize_t r = conn_recv(c, c->rbuf + c->rlen, MAX_HEAD - 1 - c->rlen);
      if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        if (errno == EINTR) continue;
        attempt_ended(c, 0, "handshake", strerror(errno));
        return;
      }
      if (r == 0) {
        attempt_ended(c, 0, "handshake", "connection closed by the server");
        return;
      }
      size_t from = c->rlen >= 3 ? c->rlen - 3 : 0;
      c->rlen = (uint16_t)(c->rlen + r);
      for (size_t i = from; i + 3 < c->rlen; i++) {
        if (memcmp(c->rbuf + i, "\r\n\r\n", 4) == 0) {
          /* Bytes after the head (a server's first frames) are dropped: an idle storm reads none. */
          check_response(c, i + 4);
          return;
        }
      }
      if (c->rlen >= MAX_HEAD - 1) {
        attempt_ended(c, 0, "handshake", "response head too long");
        return;
      }
    } else if (c->state == OPEN || c->state == CLOSING) {
      char sink[4096];
      ssize_t r = conn_recv(c, sink, sizeof sink);
      if (r > 0) continue; /* a server's frames (its close frame when closing): not looked at */
      if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (r < 0 && errno == EINTR) continue;
      if (c->state == OPEN) {
        unexpected_closes++;
        note_error("closed by the server", r == 0 ? "end of stream" : strerror(errno));
      }
      open_now--;
      conn_close(c);
      c->state = DONE;
      return;
    } else {
      return;
    }
  }
}

/* The TLS handshake's next step (edge-triggered: OpenSSL reads and writes until it would block). */
static void tls_step(struct conn *c) {
  int rc;
  switch (tls_handshake(c->ssl, &rc)) {
    case 1:
      send_request(c);
      if (c->state == READING) on_readable(c); /* the response may be in already */
      break;
    case 0: break; /* EPOLLIN or EPOLLOUT again */
    default: attempt_ended(c, 0, "TLS handshake", tls_error(c->ssl, rc));
  }
}

/* The TCP connection is up: the TLS handshake (wss://) or the upgrade request next. */
static void connected_tcp(struct conn *c) {
  if (!tls_on) {
    send_request(c);
    return;
  }
  c->ssl = tls_new(c->fd, host_name);
  c->state = TLS_HANDSHAKE;
  tls_step(c);
}

static void start_one(struct conn *c) {
  started++;
  in_progress++;
  c->start = now_secs();
  uint8_t raw[16];
  uint64_t a = next_random(), b = next_random();
  memcpy(raw, &a, 8);
  memcpy(raw + 8, &b, 8);
  base64(raw, 16, c->key);
  c->fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    connect_errors++;
    in_progress--;
    ended++;
    c->state = DONE;
    note_error("socket", strerror(errno));
    return;
  }
  c->state = CONNECTING;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u64 = (uint64_t)(c - conns)};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
    attempt_ended(c, 0, "epoll_ctl", strerror(errno));
    return;
  }
  if (connect(c->fd, (struct sockaddr *)&addr, addr_len) == 0) {
    connected_tcp(c);
  } else if (errno != EINPROGRESS) {
    attempt_ended(c, 0, "connect", strerror(errno));
  }
}

static void on_event(struct conn *c, uint32_t events) {
  if (c->state == CONNECTING) {
    if (events & EPOLLERR) {
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
      attempt_ended(c, 0, "connect", strerror(err ? err : ECONNRESET));
      return;
    }
    if (!(events & EPOLLOUT)) {
      if (events & (EPOLLHUP | EPOLLRDHUP)) attempt_ended(c, 0, "connect", "connection closed by the server");
      return;
    }
    connected_tcp(c);
    return; /* the request (or the handshake) is on its way: its answer raises EPOLLIN again */
  }
  if (c->state == TLS_HANDSHAKE) {
    if (events & (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) tls_step(c);
    return;
  }
  if (c->state == READING || c->state == OPEN || c->state == CLOSING) {
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) on_readable(c);
  }
}

/* Fails the handshakes older than the timeout. */
static void expire(double now) {
  for (long i = 0; i < started && in_progress > 0; i++) {
    struct conn *c = &conns[i];
    if ((c->state == CONNECTING || c->state == TLS_HANDSHAKE || c->state == READING) &&
        now - c->start > handshake_timeout) {
      char what[64];
      snprintf(what, sizeof what, "no handshake within %g s", handshake_timeout);
      attempt_ended(c, 0, "timeout", what);
    }
  }
}

static void poll_once(int timeout_ms) {
  static struct epoll_event evs[1024];
  int n = epoll_wait(ep, evs, 1024, timeout_ms);
  if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
  for (int i = 0; i < n; i++) on_event(&conns[evs[i].data.u64], evs[i].events);
}

/* ---------------------------------------------------------------- options and output */

static void parse_url(const char *url) {
  tls_on = strncmp(url, "wss://", 6) == 0;
  if (!tls_on && strncmp(url, "ws://", 5) != 0) die("only ws:// and wss:// URLs are supported: %s", url);
  const char *h = url + (tls_on ? 6 : 5), *slash = strchr(h, '/');
  size_t hlen = slash ? (size_t)(slash - h) : strlen(h);
  if (hlen == 0 || hlen >= sizeof host_header) die("bad URL: %s", url);
  memcpy(host_header, h, hlen);
  host_header[hlen] = 0;
  snprintf(path, sizeof path, "%s", slash ? slash : "/");
  char host[300], port[16];
  snprintf(port, sizeof port, "%s", tls_on ? "443" : "80");
  if (host_header[0] == '[') { /* [v6]:port */
    char *close_bracket = strchr(host_header, ']');
    if (!close_bracket) die("bad URL: %s", url);
    size_t l = (size_t)(close_bracket - host_header - 1);
    memcpy(host, host_header + 1, l);
    host[l] = 0;
    if (close_bracket[1] == ':') snprintf(port, sizeof port, "%s", close_bracket + 2);
  } else {
    snprintf(host, sizeof host, "%s", host_header);
    char *colon = strrchr(host, ':');
    if (colon) {
      snprintf(port, sizeof port, "%s", colon + 1);
      *colon = 0;
    }
  }
  snprintf(host_name, sizeof host_name, "%s", host);
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0) die("cannot resolve the URL's host: %s", gai_strerror(rc));
  memcpy(&addr, res->ai_addr, res->ai_addrlen);
  addr_len = res->ai_addrlen;
  freeaddrinfo(res);
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') fprintf(f, "\\%c", ch);
    else if (ch < 0x20) fprintf(f, "\\u%04x", ch);
    else fputc(ch, f);
  }
  fputc('"', f);
}

static long rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0) kb = atol(line + 6);
  fclose(f);
  return kb;
}

static const char *usage =
    "usage: c-storm --url ws://HOST:PORT/PATH --connections N [--connect-concurrency C (200)]\n"
    "               [--hold-ms MS (1000)] [--handshake-timeout SECS (10)] [--json FILE|-] [--quiet]\n"
    "               [--extensions 'permessage-deflate; ...' (offered; none by default)]\n"
    "Other `ixws bench` options are accepted and ignored.\n";

int main(int argc, char **argv) {
  const char *url = NULL, *json = NULL;
  int quiet = 0;
  for (int i = 1; i < argc; i++) {
    char *opt = argv[i], *val = NULL, *eq = strchr(opt, '=');
    if (strncmp(opt, "--", 2) == 0 && eq) {
      *eq = 0;
      val = eq + 1;
    }
    int has_next = i + 1 < argc && (argv[i + 1][0] != '-' || argv[i + 1][1] == 0);
#define VALUE() (val ? val : (i + 1 < argc ? argv[++i] : (die("%s needs a value", opt), "")))
    if (strcmp(opt, "--url") == 0) url = VALUE();
    else if (strcmp(opt, "--connections") == 0) n_conns = atol(VALUE());
    else if (strcmp(opt, "--connect-concurrency") == 0) concurrency = atol(VALUE());
    else if (strcmp(opt, "--hold-ms") == 0) hold_ms = atol(VALUE());
    else if (strcmp(opt, "--handshake-timeout") == 0) handshake_timeout = atof(VALUE());
    else if (strcmp(opt, "--json") == 0) json = VALUE();
    else if (strcmp(opt, "--extensions") == 0) {
      extensions = VALUE();
      if (strlen(extensions) > 300) die("%s", "--extensions is longer than 300 bytes");
    }
    else if (strcmp(opt, "--quiet") == 0 || strcmp(opt, "-q") == 0) quiet = 1;
    else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      fputs(usage, stdout);
      return 0;
    } else if (strcmp(opt, "--connect-rate-only") == 0 || strcmp(opt, "--text") == 0 || strcmp(opt, "--binary") == 0) {
      /* ixws bench flags: a storm is all this program does */
    } else if (strncmp(opt, "-", 1) == 0) {
      if (!val && has_next) i++; /* another ixws bench option and its value: ignored */
    } else {
      fprintf(stderr, "c-storm: unexpected argument %s\n%s", opt, usage);
      return 2;
    }
#undef VALUE
  }
  if (!url) {
    fprintf(stderr, "c-storm: --url is required\n%s", usage);
    return 2;
  }
  if (n_conns < 1 || concurrency < 1 || hold_ms < 0 || handshake_timeout <= 0)
    die("%s", "--connections and --connect-concurrency must be at least 1, --hold-ms >= 0, --handshake-timeout > 0");
  parse_url(url);
  if (tls_on) tls_setup();
  signal(SIGPIPE, SIG_IGN);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && (rlim_t)n_conns + 16 > rl.rlim_cur)
    fprintf(stderr, "c-storm: warning: %ld connections but only %ld file descriptors allowed\n", n_conns, (long)rl.rlim_cur);
  int ur = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (ur < 0 || read(ur, &rng, sizeof rng) != (ssize_t)sizeof rng) rng = (uint64_t)getpid() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(now_secs() * 1e9);
  if (ur >= 0) close(ur);
  if (rng == 0) rng = 1;
  conns = calloc((size_t)n_conns, sizeof *conns);
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (!conns || ep < 0) die("%s", "out of memory or epoll_create1 failed");

  /* The storm. */
  double t0 = now_secs(), cpu0 = cpu_secs(), last_expire = t0;
  while (ended < n_conns) {
    while (started < n_conns && in_progress < concurrency) start_one(&conns[started]);
    if (ended >= n_conns) break;
    poll_once(100);
    double now = now_secs();
    if (now - last_expire >= 0.1) {
      expire(now);
      last_expire = now;
    }
  }
  double t1 = now_secs(), cpu1 = cpu_secs();

  /* Hold the connections idle (run.sh reads the server's heap meanwhile). */
  double hold_end = t1 + hold_ms / 1e3;
  for (double now = t1; now < hold_end; now = now_secs()) poll_once((int)((hold_end - now) * 1e3) + 1);
  long rss = rss_kb();
  long held = open_now;

  /* Close: a masked close frame (1000) on each, then wait (bounded) for the servers' side. */
  for (long i = 0; i < n_conns; i++) {
    struct conn *c = &conns[i];
    if (c->state != OPEN) continue;
    uint8_t frame[8] = {0x88, 0x82};
    uint32_t mask = (uint32_t)next_random();
    memcpy(frame + 2, &mask, 4);
    frame[6] = (uint8_t)(0x03 ^ frame[2]); /* 1000 = 0x03E8, big-endian */
    frame[7] = (uint8_t)(0xE8 ^ frame[3]);
    c->state = CLOSING;
    if (conn_send(c, frame, sizeof frame) != (ssize_t)sizeof frame) {
      open_now--;
      conn_close(c);
      c->state = DONE;
    }
  }
  double close_end = now_secs() + CLOSE_WAIT_MS / 1e3;
  for (double now = now_secs(); open_now > 0 && now < close_end; now = now_secs()) poll_once((int)((close_end - now) * 1e3) + 1);
  long unacknowledged = open_now;
  for (long i = 0; i < n_conns; i++)
    if (conns[i].fd >= 0 && conns[i].state != IDLE) conn_close(&conns[i]);

  double secs = t1 - t0;
  double per_sec = secs > 0 ? connected / secs : 0;
  double cpu_pct = secs > 0 ? (cpu1 - cpu0) * 100 / secs : -1;
  if (!quiet) {
    FILE *o = json && strcmp(json, "-") == 0 ? stderr : stdout;
    fprintf(o, "target          %s\nscenario        connection storm: %ld connections, %ld at a time\n", url, n_conns, concurrency);
    fprintf(o, "connect         %ld of %ld opened in %.1f ms = %.0f handshakes/s (c-storm CPU %.0f%% of a core)\n",
            connected, n_conns, secs * 1e3, per_sec, cpu_pct);
    fprintf(o, "errors          %ld connect, %ld unexpected closes%s%s\n", connect_errors, unexpected_closes,
            first_error[0] ? "; first: " : "", first_error);
    fprintf(o, "close           %ld held %ld ms; %ld not closed by the server within %d ms\n", held, hold_ms,
            unacknowledged, CLOSE_WAIT_MS);
  }
  if (json) {
    FILE *f = strcmp(json, "-") == 0 ? stdout : fopen(json, "w");
    if (!f) die("cannot write %s", json);
    fprintf(f, "{\"url\":");
    json_string(f, url);
    fprintf(f,
            ",\"connections\":%ld,\"inFlight\":0,\"size\":0,\"binary\":true,\"durationSecs\":0,\"warmupSecs\":0,"
            "\"connectRateOnly\":true,\"sourceAddresses\":0,\"connected\":%ld,\"messages\":0,\"measuredSecs\":0.0,"
            "\"messagesPerSec\":0.0,\"mbPerSec\":0.0,\"latencyMicros\":{\"p50\":0.0,\"p90\":0.0,\"p99\":0.0,"
            "\"p999\":0.0,\"max\":0.0,\"mean\":0.0},\"latencySamples\":0,\"connectPerSec\":%.1f,\"connectMillis\":%.1f,"
            "\"errors\":%ld,\"connectErrors\":%ld,\"unexpectedCloses\":%ld,\"otherErrors\":0,\"unanswered\":0,"
            "\"firstError\":",
            n_conns, connected, per_sec, secs * 1e3, connect_errors + unexpected_closes, connect_errors, unexpected_closes);
    if (first_error[0]) json_string(f, first_error);
    else fputs("null", f);
    fprintf(f,
            ",\"cpuPercent\":%.1f,\"threads\":1,\"rssKb\":%ld,\"loadGenerator\":\"c-storm\",\"connectConcurrency\":%ld,"
            "\"holdMillis\":%ld,\"heldIdle\":%ld,\"closesUnanswered\":%ld}\n",
            cpu_pct, rss, concurrency, hold_ms, held, unacknowledged);
    if (f != stdout) fclose(f);
    else fflush(f);
  }
  return 0;
}
