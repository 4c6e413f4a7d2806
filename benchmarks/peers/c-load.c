/*
 * A WebSocket echo load generator in C: the throughput and latency scenarios (1-3) driven by a
 * generator that is not the bottleneck, as the performance issue asks.
 *
 * Opens N connections (RFC 6455 upgrade, Sec-WebSocket-Accept checked), then keeps K messages of
 * S bytes in flight on each: every echo that comes back is timed and answered with the next
 * message. The first 16 payload bytes carry the send time in hex (messages of at least 16 bytes
 * are timed); an echo of the wrong size or opcode is
 * an error. Frames are masked with a zero key (RFC 6455 allows any key; XOR with zero leaves the
 * payload as it is, so the generator copies nothing per message). A warm-up of W seconds, then D
 * seconds measured: messages/s, MB/s (payload both ways, 10^6 bytes), round-trip latency
 * percentiles (1 us buckets up to 10 s), and this process's CPU in percent of one core (near 100
 * the figures are bound by the generator).
 *
 * One thread, level-triggered epoll; SHA-1 and base64 from ws-accept.h, no libraries. It prints
 * the JSON fields of `ixws bench` (plus "loadGenerator":"c-load"), so benchmarks/run.sh and
 * benchmarks/report.py can read its results.
 *
 * Build: gcc -O2 -Wall -Wextra -o benchmarks/target/c-load benchmarks/peers/c-load.c
 * Run:   c-load --url ws://127.0.0.1:PORT/ [--connections 100] [--in-flight 16] [--size 64]
 *               [--duration 10] [--warmup 2] [--text|--binary] [--json FILE|-] [--quiet]
 */
#define _GNU_SOURCE
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
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "ws-accept.h"

#define MAX_HEAD 8192
#define LATENCY_BUCKETS 10000000 /* 1 us each: up to 10 s */
#define STAMP 16 /* the send time in 16 hex digits: valid UTF-8, so text messages carry it too */

struct conn {
  int fd;
  int open;
  char key[25];
  char head[MAX_HEAD + 1];
  size_t head_len;
  /* Reading frames: the header being read, then how much payload is left. */
  uint8_t hdr[14];
  size_t hdr_len;
  uint64_t payload_left;
  uint64_t payload_len;
  uint8_t stamp[16];
  size_t stamp_len;
  int opcode;
  /* Writing: bytes of whole frames queued but not written yet (start offset into out). */
  uint8_t *out;
  size_t out_len, out_off, out_cap;
};

static struct conn *conns;
static int ep;
static struct sockaddr_storage addr;
static socklen_t addr_len;
static char host_header[300], path[1024];
static long n_conns = 100, in_flight = 16, size = 64, duration = 10, warmup = 2;
static int binary = 1, quiet;
static uint8_t *payload; /* the message body: the stamp is written into each frame's copy */
static uint64_t rng = 88172645463325252ull;
static uint32_t *latency;
static long long messages, errors, samples;
static double lat_sum;
static int measuring;
static char first_error[256];

static double now_secs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double cpu_secs(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static uint64_t next_random(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

static void die(const char *fmt, const char *arg) {
  fprintf(stderr, "c-load: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n");
  exit(2);
}

static void note_error(const char *what) {
  errors++;
  if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s", what);
}

static void parse_url(const char *url) {
  if (strncmp(url, "ws://", 5) != 0) die("only ws:// URLs are supported: %s", url);
  const char *h = url + 5, *slash = strchr(h, '/');
  size_t hlen = slash ? (size_t)(slash - h) : strlen(h);
  if (hlen == 0 || hlen >= sizeof host_header) die("bad URL: %s", url);
  memcpy(host_header, h, hlen);
  host_header[hlen] = 0;
  snprintf(path, sizeof path, "%s", slash ? slash : "/");
  char host[300], port[16] = "80";
  snprintf(host, sizeof host, "%s", host_header);
  char *colon = strrchr(host, ':');
  if (colon && host[0] != '[') {
    snprintf(port, sizeof port, "%s", colon + 1);
    *colon = 0;
  }
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0) die("cannot resolve the URL's host: %s", gai_strerror(rc));
  memcpy(&addr, res->ai_addr, res->ai_addrlen);
  addr_len = res->ai_addrlen;
  freeaddrinfo(res);
}

/* ---------------------------------------------------------------- writing */

static int flush_out(struct conn *c) {
  while (c->out_off < c->out_len) {
    ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        return 0;
      }
      if (errno == EINTR) continue;
      return -1;
    }
    c->out_off += (size_t)w;
  }
  c->out_len = c->out_off = 0;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
  return 0;
}

/* Queues one masked message (zero mask key) stamped with the time. */
static void queue_message(struct conn *c) {
  size_t header = 2 + (size > 65535 ? 8 : size > 125 ? 2 : 0) + 4;
  size_t need = c->out_len + header + (size_t)size;
  if (need > c->out_cap) {
    size_t cap = c->out_cap ? c->out_cap : 4096;
    while (cap < need) cap *= 2;
    c->out = realloc(c->out, cap);
    if (!c->out) die("%s", "out of memory");
    c->out_cap = cap;
  }
  uint8_t *p = c->out + c->out_len;
  *p++ = (uint8_t)(0x80 | (binary ? 2 : 1));
  if (size > 65535) {
    *p++ = 0x80 | 127;
    for (int i = 7; i >= 0; i--) *p++ = (uint8_t)((uint64_t)size >> (8 * i));
  } else if (size > 125) {
    *p++ = 0x80 | 126;
    *p++ = (uint8_t)(size >> 8);
    *p++ = (uint8_t)size;
  } else {
    *p++ = (uint8_t)(0x80 | size);
  }
  memset(p, 0, 4); /* the mask key */
  p += 4;
  memcpy(p, payload, (size_t)size);
  if (size >= STAMP) {
    uint64_t t = now_ns();
    for (int i = 0; i < 16; i++) p[i] = "0123456789abcdef"[(t >> (60 - 4 * i)) & 15];
  }
  c->out_len = need;
}

/* ---------------------------------------------------------------- reading */

static void record_echo(struct conn *c) {
  if (c->payload_len != (uint64_t)size || c->opcode != (binary ? 2 : 1)) {
    note_error("an echo of the wrong size or opcode");
  } else if (measuring) {
    messages++;
    if (size >= STAMP) {
      uint64_t sent = 0;
      for (int i = 0; i < 16; i++) {
        uint8_t h = c->stamp[i];
        sent = sent << 4 | (uint64_t)(h <= '9' ? h - '0' : h - 'a' + 10);
      }
      uint64_t us = (now_ns() - sent) / 1000;
      latency[us < LATENCY_BUCKETS ? us : LATENCY_BUCKETS - 1]++;
      lat_sum += (double)us;
      samples++;
    }
  }
  queue_message(c);
}

/* Consumes n bytes of frames from buf; the frames' payloads are skipped but for the stamp. */
static void consume(struct conn *c, const uint8_t *buf, size_t n) {
  while (n > 0) {
    if (c->payload_left == 0 && c->hdr_len < 14) {
      /* Reading a header: 2 bytes, then its extended length. */
      c->hdr[c->hdr_len++] = *buf++;
      n--;
      if (c->hdr_len < 2) continue;
      int len7 = c->hdr[1] & 0x7F;
      size_t full = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
      if (c->hdr_len < full) continue;
      uint64_t len = (uint64_t)len7;
      if (len7 == 126) len = (uint64_t)c->hdr[2] << 8 | c->hdr[3];
      if (len7 == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = len << 8 | c->hdr[2 + i];
      }
      c->opcode = c->hdr[0] & 0x0F;
      c->payload_len = c->payload_left = len;
      c->stamp_len = 0;
      c->hdr_len = 0;
      if (len == 0) {
        if (c->opcode < 8) record_echo(c);
      } else {
        c->hdr_len = 14; /* marks "in payload" */
      }
      continue;
    }
    size_t take = n < c->payload_left ? n : (size_t)c->payload_left;
    if (c->stamp_len < STAMP) {
      size_t s = STAMP - c->stamp_len < take ? STAMP - c->stamp_len : take;
      memcpy(c->stamp + c->stamp_len, buf, s);
      c->stamp_len += s;
    }
    buf += take;
    n -= take;
    c->payload_left -= take;
    if (c->payload_left == 0) {
      c->hdr_len = 0;
      if (c->opcode < 8) record_echo(c); /* data (no fragments from an echo server) */
      else if (c->opcode == 8) note_error("the server closed the connection");
    }
  }
}

static void on_readable(struct conn *c) {
  static uint8_t buf[256 * 1024];
  for (;;) {
    ssize_t r = recv(c->fd, buf, sizeof buf, 0);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      note_error(strerror(errno));
      c->open = 0;
      close(c->fd);
      return;
    }
    if (r == 0) {
      note_error("the server closed the connection");
      c->open = 0;
      close(c->fd);
      return;
    }
    if (!c->open) { /* the handshake response */
      size_t room = MAX_HEAD - c->head_len;
      size_t take = (size_t)r < room ? (size_t)r : room;
      memcpy(c->head + c->head_len, buf, take);
      c->head_len += take;
      c->head[c->head_len] = 0;
      char *end = strstr(c->head, "\r\n\r\n");
      if (!end) {
        if (c->head_len == MAX_HEAD) die("%s", "response head too long");
        continue;
      }
      if (strncmp(c->head, "HTTP/1.1 101", 12) != 0) die("handshake refused: %s", c->head);
      char expected[32];
      accept_value(c->key, 24, expected);
      if (!strstr(c->head, expected)) die("%s", "wrong Sec-WebSocket-Accept");
      c->open = 1;
      size_t used = (size_t)(end + 4 - c->head);
      size_t rest = c->head_len - used; /* frames right behind the response */
      if (rest > 0) consume(c, (uint8_t *)c->head + used, rest);
      continue;
    }
    consume(c, buf, (size_t)r);
  }
  if (c->out_len > c->out_off && flush_out(c) < 0) note_error("write failed");
}

/* ---------------------------------------------------------------- main */

static void open_all(void) {
  for (long i = 0; i < n_conns; i++) {
    struct conn *c = &conns[i];
    c->fd = socket(addr.ss_family, SOCK_STREAM, 0);
    if (c->fd < 0) die("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&addr, addr_len) < 0) die("connect: %s", strerror(errno));
    uint8_t nonce[16];
    for (int k = 0; k < 16; k += 8) {
      uint64_t r = next_random();
      memcpy(nonce + k, &r, 8);
    }
    base64(nonce, 16, c->key);
    char req[1600];
    int len = snprintf(req, sizeof req,
                       "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                       path, host_header, c->key);
    if (send(c->fd, req, (size_t)len, MSG_NOSIGNAL) != len) die("%s", "cannot send the request");
    /* Blocking until the whole 101 (outside the measurement); no frame can follow it before ours. */
    while (!strstr(c->head, "\r\n\r\n")) {
      if (c->head_len == MAX_HEAD) die("%s", "response head too long");
      ssize_t r = recv(c->fd, c->head + c->head_len, MAX_HEAD - c->head_len, 0);
      if (r <= 0) die("%s", "the server closed during the handshake");
      c->head_len += (size_t)r;
      c->head[c->head_len] = 0;
    }
    if (strncmp(c->head, "HTTP/1.1 101", 12) != 0) die("handshake refused: %s", c->head);
    char expected[32];
    accept_value(c->key, 24, expected);
    if (!strcasestr(c->head, "sec-websocket-accept") || !strstr(c->head, expected))
      die("%s", "wrong Sec-WebSocket-Accept");
    c->open = 1;
    if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl: %s", strerror(errno));
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
  }
}

static void poll_until(double deadline) {
  static struct epoll_event evs[1024];
  while (now_secs() < deadline) {
    int n = epoll_wait(ep, evs, 1024, 10);
    if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      if (!c->open) continue;
      if (evs[i].events & EPOLLOUT && flush_out(c) < 0) note_error("write failed");
      if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
    }
  }
}

static double percentile(double p) {
  if (samples == 0) return 0;
  long long rank = (long long)(p / 100.0 * (double)samples + 0.5), seen = 0;
  if (rank < 1) rank = 1;
  for (long i = 0; i < LATENCY_BUCKETS; i++) {
    seen += latency[i];
    if (seen >= rank) return (double)i;
  }
  return LATENCY_BUCKETS;
}

static const char *usage =
    "usage: c-load --url ws://HOST:PORT/PATH [--connections 100] [--in-flight 16] [--size 64]\n"
    "              [--duration 10] [--warmup 2] [--text|--binary] [--json FILE|-] [--quiet]\n";

int main(int argc, char **argv) {
  const char *url = NULL, *json = NULL;
  for (int i = 1; i < argc; i++) {
    char *opt = argv[i];
#define VALUE() (i + 1 < argc ? argv[++i] : (die("%s needs a value", opt), ""))
    if (strcmp(opt, "--url") == 0) url = VALUE();
    else if (strcmp(opt, "--connections") == 0) n_conns = atol(VALUE());
    else if (strcmp(opt, "--in-flight") == 0) in_flight = atol(VALUE());
    else if (strcmp(opt, "--size") == 0) size = atol(VALUE());
    else if (strcmp(opt, "--duration") == 0) duration = atol(VALUE());
    else if (strcmp(opt, "--warmup") == 0) warmup = atol(VALUE());
    else if (strcmp(opt, "--json") == 0) json = VALUE();
    else if (strcmp(opt, "--text") == 0) binary = 0;
    else if (strcmp(opt, "--binary") == 0) binary = 1;
    else if (strcmp(opt, "--quiet") == 0 || strcmp(opt, "-q") == 0) quiet = 1;
    else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      fputs(usage, stdout);
      return 0;
    } else {
      fprintf(stderr, "c-load: unexpected argument %s\n%s", opt, usage);
      return 2;
    }
#undef VALUE
  }
  if (!url) die("%s", "--url is required");
  if (n_conns < 1 || in_flight < 1 || size < 0 || duration < 1 || warmup < 0)
    die("%s", "--connections, --in-flight and --duration must be at least 1, --size and --warmup >= 0");
  parse_url(url);
  signal(SIGPIPE, SIG_IGN);
  payload = malloc((size_t)size + 8);
  latency = calloc(LATENCY_BUCKETS, sizeof *latency);
  conns = calloc((size_t)n_conns, sizeof *conns);
  if (!payload || !latency || !conns) die("%s", "out of memory");
  for (long i = 0; i < size; i++) payload[i] = (uint8_t)('a' + i % 26); /* valid UTF-8 for --text */
  ep = epoll_create1(0);
  double connect_start = now_secs();
  open_all();
  double connect_secs = now_secs() - connect_start;
  for (long i = 0; i < n_conns; i++) {
    for (long k = 0; k < in_flight; k++) queue_message(&conns[i]);
    if (flush_out(&conns[i]) < 0) note_error("write failed");
  }
  poll_until(now_secs() + (double)warmup);
  long long warmup_errors = errors;
  measuring = 1;
  double cpu0 = cpu_secs(), t0 = now_secs();
  poll_until(t0 + (double)duration);
  double secs = now_secs() - t0, cpu = cpu_secs() - cpu0;
  measuring = 0;
  double rate = (double)messages / secs;
  FILE *out = stdout;
  if (json && strcmp(json, "-") != 0) out = fopen(json, "w");
  if (!out) die("cannot write %s", json);
  fprintf(out,
          "{\"url\":\"%s\",\"connections\":%ld,\"inFlight\":%ld,\"size\":%ld,\"binary\":%s,"
          "\"durationSecs\":%ld,\"warmupSecs\":%ld,\"connected\":%ld,\"messages\":%lld,"
          "\"measuredSecs\":%.3f,\"messagesPerSec\":%.1f,\"mbPerSec\":%.3f,"
          "\"latencyMicros\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f,"
          "\"mean\":%.1f},\"latencySamples\":%lld,\"connectPerSec\":%.1f,\"connectMillis\":%.1f,"
          "\"errors\":%lld,\"firstError\":%s%s%s,\"cpuPercent\":%.1f,\"loadGenerator\":\"c-load\"}\n",
          url, n_conns, in_flight, size, binary ? "true" : "false", duration, warmup, n_conns, messages,
          secs, rate, rate * (double)size * 2 / 1e6, percentile(50), percentile(90), percentile(99),
          percentile(99.9), percentile(100), samples ? lat_sum / (double)samples : 0, samples,
          (double)n_conns / connect_secs, connect_secs * 1000, errors - warmup_errors,
          first_error[0] ? "\"" : "", first_error[0] ? first_error : "null", first_error[0] ? "\"" : "",
          cpu * 100 / secs);
  if (out != stdout) fclose(out);
  if (!quiet)
    fprintf(stderr, "c-load: %.0f msg/s, p50 %.0f us, p99 %.0f us, CPU %.0f%% of one core\n", rate,
            percentile(50), percentile(99), cpu * 100 / secs);
  return errors > warmup_errors ? 1 : 0;
}
