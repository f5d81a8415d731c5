/*
 * An independent VMBus ring buffer in C, speaking the ring role of `vmbus-spec verify ring`
 * (docs/verify-ring.md, contract 1): `ring init|write|read|show --file F …`, JSON lines in and
 * out, ring image files (4096-byte control page + data area). Written from docs/ring.md and
 * the upstream ring code (Linux drivers/hv/ring_buffer.c, DPDK drivers/bus/vmbus/vmbus_bufring.c):
 * facts, not code. Profiles: strict (default), qemu, linux, openvmm, dpdk — each a row of
 * parameters below (docs/ring.md names them; the values are the upstream behaviours).
 *
 * Build: cc -O2 -o ring ring.c   (or `make`)
 *
 * Gallery bugs (docs/verify-ring.md), one compile-time switch each:
 *   -DBUG_FILL_COMPLETELY      writer accepts total <= avail (no 8-byte gap)
 *   -DBUG_IGNORE_MASK          writer signals although interrupt_mask is set
 *   -DBUG_SIGNAL_EVERY_PACKET  writer signals after every packet it publishes
 *   -DBUG_PENDING_TOTAL        waiting writer stores pending_send_sz = total (not total + 1)
 *   -DBUG_PENDING_NOT_CLEARED  writer leaves pending_send_sz set after it has written
 *   -DBUG_SKIP_TRAILER         reader advances by len8 * 8 only (does not skip the trailer)
 *   -DBUG_NO_TRAILER_WAIT      reader takes a packet whose trailer is not published yet
 *   -DBUG_NO_TRAILER_WRITE     writer leaves padding and trailer unwritten (QEMU's writer)
 *   -DBUG_NO_INDEX_CHECK       reader trusts write_index (no range check)
 *   -DBUG_READER_SIGNAL_AT_EQUAL reader wakes the writer when free == pending (B < P <= A)
 *   -DBUG_READER_IGNORES_PENDING reader never wakes a writer waiting on pending_send_sz
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTROL 4096u
#define TRAILER 8u
#define DESC 16u
#define TYPED 24u

static const char *prog_sub = "ring";

/* ---- profiles: where implementations disagree (docs/ring.md, profile parameters) ------------ */

enum pending_value { PV_TOTAL, PV_ROUND_UP8, PV_TOTAL_PLUS1 };
enum reader_free { RF_AVAIL, RF_AVAIL_MINUS8, RF_ZERO_WHEN_EMPTY };
enum feature_clear { FC_SUPPRESS, FC_FORCE, FC_IGNORE };
enum truncated { TR_FAULT, TR_INCOMPLETE, TR_CLAMP };
enum accepted { AC_DATA4, AC_QEMU3, AC_ANY };

struct profile {
  const char *name;
  unsigned limit_below;          /* the writer's absolute limit is size - limit_below */
  int signal_unread_le_written;  /* QEMU: signal iff unread <= written, not "was empty" */
  int writes_trailer;            /* QEMU writes neither padding nor trailer */
  enum pending_value pending;
  int bound_b_lt_p_le_a;         /* QEMU, OpenVMM: B < P <= A (else B <= P < A) */
  enum reader_free free;
  int pending_round_down;        /* OpenVMM: P & ~7 */
  enum feature_clear feature_clear;
  int mask_suppresses;           /* QEMU: interrupt_mask on the ring read suppresses the signal */
  enum accepted accepted;
  enum truncated truncated;
  int needs_trailer;
  int offset_clamps;             /* Linux: offset8 < 2 or > len8 becomes 2 */
  int parses_typed;              /* validates and reports GPA-direct / transfer-page headers */
  uint32_t buffer_limit;         /* Linux: VMBUS_DEFAULT_MAX_PKT_SIZE; 0 = none */
};

static const struct profile PROFILES[] = {
    {"strict", 8, 0, 1, PV_TOTAL_PLUS1, 0, RF_AVAIL, 0, FC_SUPPRESS, 0, AC_DATA4, TR_FAULT, 1, 0, 1, 0},
    {"qemu", 8, 1, 0, PV_TOTAL, 1, RF_ZERO_WHEN_EMPTY, 0, FC_FORCE, 1, AC_QEMU3, TR_INCOMPLETE, 1, 0, 1, 0},
    {"linux", 8, 0, 1, PV_TOTAL, 0, RF_AVAIL, 0, FC_SUPPRESS, 0, AC_ANY, TR_CLAMP, 0, 1, 0, 4096},
    {"openvmm", 16, 0, 1, PV_ROUND_UP8, 1, RF_AVAIL_MINUS8, 1, FC_IGNORE, 0, AC_DATA4, TR_FAULT, 0, 0, 1, 0},
    {"dpdk", 8, 0, 1, PV_TOTAL, 0, RF_AVAIL, 0, FC_SUPPRESS, 0, AC_ANY, TR_INCOMPLETE, 1, 0, 0, 0},
};
static const struct profile *P = &PROFILES[0];

static int type_accepted(unsigned t) {
  switch (P->accepted) {
    case AC_ANY: return 1;
    case AC_QEMU3: return t == 6 || t == 9 || t == 11;
    default: return t == 6 || t == 7 || t == 9 || t == 11;
  }
}

static void die(int code, const char *fmt, const char *a, const char *b) {
  fprintf(stderr, "ring-c %s: ", prog_sub);
  fprintf(stderr, fmt, a ? a : "", b ? b : "");
  fputc('\n', stderr);
  exit(code);
}

/* ---- little-endian access -------------------------------------------------------------- */

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }
static void wr16(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void wr64(uint8_t *p, uint64_t v) { wr32(p, (uint32_t)v); wr32(p + 4, (uint32_t)(v >> 32)); }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* ---- the image ------------------------------------------------------------------------- */

struct ring {
  uint8_t *img; /* control page + data */
  uint32_t size;
};
#define W(r) rd32((r)->img + 0)
#define R(r) rd32((r)->img + 4)
#define MASK(r) rd32((r)->img + 8)
#define PENDING(r) rd32((r)->img + 12)
#define FEAT(r) rd32((r)->img + 64)
#define DATA(r) ((r)->img + CONTROL)

static int valid_size(uint64_t n) { return n >= 64 && n % 8 == 0 && n <= 0x7ffffff8u; }

static struct ring load(const char *file) {
  FILE *f = fopen(file, "rb");
  if (!f) die(3, "cannot read %s: %s", file, strerror(errno));
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (len < (long)CONTROL || !valid_size((uint64_t)len - CONTROL)) die(2, "%s: not a ring image (size - 4096 must be a multiple of 8 of at least 64)%s", file, "");
  struct ring r = {malloc((size_t)len), (uint32_t)(len - CONTROL)};
  if (!r.img || fread(r.img, 1, (size_t)len, f) != (size_t)len) die(3, "cannot read %s%s", file, "");
  fclose(f);
  return r;
}

static void save(const char *file, const struct ring *r) {
  FILE *f = fopen(file, "wb");
  if (!f || fwrite(r->img, 1, CONTROL + r->size, f) != CONTROL + r->size || fclose(f) != 0) die(3, "cannot write %s: %s", file, strerror(errno));
}

static uint32_t used(uint32_t w, uint32_t r, uint32_t size) { return w >= r ? w - r : size - r + w; }

static void copy_in(struct ring *r, uint32_t at, const uint8_t *src, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) DATA(r)[(at + i) % r->size] = src[i];
}
static void copy_out(const struct ring *r, uint32_t at, uint8_t *dst, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) dst[i] = DATA(r)[(at + i) % r->size];
}

/* ---- JSON output ----------------------------------------------------------------------- */

static void put_hex(const uint8_t *p, size_t n) {
  static const char d[] = "0123456789abcdef";
  putchar('"');
  for (size_t i = 0; i < n; i++) { putchar(d[p[i] >> 4]); putchar(d[p[i] & 15]); }
  putchar('"');
}
static void put_str(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}
static void put_control(const struct ring *r) {
  printf("{\"writeIndex\":%u,\"readIndex\":%u,\"interruptMask\":%u,\"pendingSendSize\":%u,\"featureBits\":%u}", W(r), R(r), MASK(r), PENDING(r), FEAT(r));
}

/* A fault: kind, rule and its fields, printed as  "key":"kind","rule":"…",fields  (no braces). */
struct fault {
  const char *kind;
  const char *rule;
  char fields[160];
};

static void put_fault(const char *key, const struct fault *f) {
  printf("\"%s\":\"%s\",\"rule\":\"%s\"%s,\"message\":\"%s violated\"", key, f->kind, f->rule, f->fields, f->rule);
}

/* RING-IDX-1/2: a peer-controlled index is below the data size and 8-aligned. */
static int check_index(struct fault *f, const char *field, uint32_t v, uint32_t size) {
  if (v >= size) {
    *f = (struct fault){"indexOutOfRange", "RING-IDX-1", ""};
    snprintf(f->fields, sizeof f->fields, ",\"field\":\"%s\",\"value\":%u,\"dataSize\":%u", field, v, size);
    return 1;
  }
  if (v % 8) {
    *f = (struct fault){"indexMisaligned", "RING-IDX-2", ""};
    snprintf(f->fields, sizeof f->fields, ",\"field\":\"%s\",\"value\":%u", field, v);
    return 1;
  }
  return 0;
}

/* ---- a minimal JSON reader (objects, arrays, strings, numbers, literals) --------------- */

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
struct jv {
  enum jt t;
  double num;
  int is_int;
  char *str;         /* J_STR: the decoded string */
  char *key;         /* the member's key (children of a J_OBJ) */
  struct jv *kids;   /* J_ARR / J_OBJ: children */
  size_t n;
};
static const char *jp;
static const char *jerr;

static void skip_ws(void) { while (*jp == ' ' || *jp == '\t' || *jp == '\r' || *jp == '\n') jp++; }

static int parse_value(struct jv *v, int depth);

static char *parse_string(void) {
  size_t cap = 16, n = 0;
  char *s = malloc(cap);
  jp++; /* opening quote */
  for (;;) {
    char c = *jp++;
    if (c == 0) { jerr = "unterminated string"; return NULL; }
    if (c == '"') break;
    if ((unsigned char)c < 0x20) { jerr = "control character in string"; return NULL; }
    if (c == '\\') {
      char e = *jp++;
      switch (e) {
        case '"': case '\\': case '/': break;
        case 'b': e = '\b'; break;
        case 'f': e = '\f'; break;
        case 'n': e = '\n'; break;
        case 'r': e = '\r'; break;
        case 't': e = '\t'; break;
        case 'u': {
          unsigned u = 0;
          for (int i = 0; i < 4; i++) {
            char h = *jp++;
            u <<= 4;
            if (h >= '0' && h <= '9') u |= h - '0';
            else if (h >= 'a' && h <= 'f') u |= h - 'a' + 10;
            else if (h >= 'A' && h <= 'F') u |= h - 'A' + 10;
            else { jerr = "bad \\u escape"; return NULL; }
          }
          e = u < 0x80 ? (char)u : '?'; /* the fields we read are ASCII */
          break;
        }
        default: jerr = "bad escape"; return NULL;
      }
      c = e;
    }
    if (n + 2 > cap) s = realloc(s, cap *= 2);
    s[n++] = c;
  }
  s[n] = 0;
  return s;
}

static int parse_value(struct jv *v, int depth) {
  memset(v, 0, sizeof *v);
  if (depth > 32) { jerr = "nested too deeply"; return 0; }
  skip_ws();
  char c = *jp;
  if (c == '{' || c == '[') {
    int obj = c == '{';
    v->t = obj ? J_OBJ : J_ARR;
    jp++;
    skip_ws();
    if (*jp == (obj ? '}' : ']')) { jp++; return 1; }
    size_t cap = 4;
    v->kids = malloc(cap * sizeof *v->kids);
    for (;;) {
      char *key = NULL;
      skip_ws();
      if (obj) {
        if (*jp != '"') { jerr = "expected a key"; return 0; }
        if (!(key = parse_string())) return 0;
        skip_ws();
        if (*jp++ != ':') { jerr = "expected ':'"; return 0; }
      }
      if (v->n == cap) v->kids = realloc(v->kids, (cap *= 2) * sizeof *v->kids);
      if (!parse_value(&v->kids[v->n], depth + 1)) return 0;
      v->kids[v->n].key = key;
      v->n++;
      skip_ws();
      if (*jp == ',') { jp++; continue; }
      if (*jp == (obj ? '}' : ']')) { jp++; return 1; }
      jerr = obj ? "expected ',' or '}'" : "expected ',' or ']'";
      return 0;
    }
  }
  if (c == '"') {
    v->t = J_STR;
    return (v->str = parse_string()) != NULL;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    char *end;
    v->t = J_NUM;
    v->num = strtod(jp, &end);
    v->is_int = 1;
    for (const char *q = jp; q < end; q++) if (*q == '.' || *q == 'e' || *q == 'E') v->is_int = 0;
    if (end == jp) { jerr = "bad number"; return 0; }
    jp = end;
    return 1;
  }
  if (!strncmp(jp, "true", 4)) { v->t = J_BOOL; v->num = 1; jp += 4; return 1; }
  if (!strncmp(jp, "false", 5)) { v->t = J_BOOL; jp += 5; return 1; }
  if (!strncmp(jp, "null", 4)) { v->t = J_NULL; jp += 4; return 1; }
  jerr = "unexpected character";
  return 0;
}

static const char *member_str(const struct jv *m) { return m && m->t == J_STR ? m->str : NULL; }
static const struct jv *member(const struct jv *o, const char *key) {
  for (size_t i = 0; i < o->n; i++) if (o->kids[i].key && !strcmp(o->kids[i].key, key)) return &o->kids[i];
  return NULL;
}

/* ---- packets ---------------------------------------------------------------------------- */

struct range { uint32_t count, offset; size_t npfn; uint64_t *pfns; };
struct packet {
  uint16_t type, flags;
  uint64_t trans;
  uint8_t *payload;
  size_t plen;
  uint32_t reserved;
  uint16_t xfer_id;
  uint8_t owns;
  size_t nranges;
  struct range *ranges;
};

static char msg[200];

static int get_uint(const struct jv *m, const char *name, uint64_t max, uint64_t *out) {
  if (!m) return 1;
  if (m->t != J_NUM || !m->is_int || m->num < 0 || m->num > (double)max) { snprintf(msg, sizeof msg, "Packet.%s: expected an integer 0..%llu", name, (unsigned long long)max); return 0; }
  *out = (uint64_t)m->num;
  return 1;
}

static int parse_u64_str(const char *s, uint64_t *out) {
  if (!s || !*s || strlen(s) > 20 || (s[0] == '0' && s[1])) return 0;
  uint64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    unsigned d = *s - '0';
    if (v > (UINT64_MAX - d) / 10) return 0;
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}

static int hexval(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; }

static int parse_packet(const char *line, struct packet *p) {
  struct jv v;
  jp = line;
  jerr = NULL;
  if (!parse_value(&v, 0)) { snprintf(msg, sizeof msg, "not JSON: %s", jerr); return 0; }
  skip_ws();
  if (*jp) { snprintf(msg, sizeof msg, "not JSON: trailing characters"); return 0; }
  if (v.t != J_OBJ) { snprintf(msg, sizeof msg, "expected a JSON object"); return 0; }
  static const char *known[] = {"type", "flags", "transId", "payload", "ranges", "reserved", "transferPageSetId", "senderOwnsSet"};
  for (size_t i = 0; i < v.n; i++) {
    int ok = 0;
    for (size_t k = 0; k < sizeof known / sizeof *known; k++) ok |= !strcmp(v.kids[i].key, known[k]);
    if (!ok) { snprintf(msg, sizeof msg, "Packet.%s: unknown field", v.kids[i].key); return 0; }
  }
  uint64_t type = 6, flags = 0, reserved = 0, xid = 0, owns = 0;
  memset(p, 0, sizeof *p);
  if (!get_uint(member(&v, "type"), "type", 0xffff, &type) || !get_uint(member(&v, "flags"), "flags", 0xffff, &flags) || !get_uint(member(&v, "reserved"), "reserved", 0xffffffffu, &reserved) ||
      !get_uint(member(&v, "transferPageSetId"), "transferPageSetId", 0xffff, &xid) || !get_uint(member(&v, "senderOwnsSet"), "senderOwnsSet", 0xff, &owns))
    return 0;
  p->type = type, p->flags = flags, p->reserved = reserved, p->xfer_id = xid, p->owns = owns;
  const struct jv *t = member(&v, "transId");
  if (t) {
    if (t->t == J_NUM && t->is_int && t->num >= 0 && t->num <= 9007199254740991.0) p->trans = (uint64_t)t->num;
    else if (!parse_u64_str(member_str(t), &p->trans)) { snprintf(msg, sizeof msg, "Packet.transId: expected u64 as a decimal string"); return 0; }
  }
  const char *hex = member_str(member(&v, "payload"));
  size_t hl = hex ? strlen(hex) : 1;
  if (!hex || hl % 2) { snprintf(msg, sizeof msg, "Packet.payload: expected hex string (even number of digits)"); return 0; }
  p->plen = hl / 2;
  p->payload = malloc(p->plen + 1);
  for (size_t i = 0; i < p->plen; i++) {
    int a = hexval(hex[2 * i]), b = hexval(hex[2 * i + 1]);
    if (a < 0 || b < 0) { snprintf(msg, sizeof msg, "Packet.payload: bad hex"); return 0; }
    p->payload[i] = (uint8_t)(a << 4 | b);
  }
  const struct jv *rs = member(&v, "ranges");
  if (rs) {
    if (p->type != 7 && p->type != 9) { snprintf(msg, sizeof msg, "Packet.ranges: only packets of type 7 or 9 carry ranges"); return 0; }
    if (rs->t != J_ARR) { snprintf(msg, sizeof msg, "Packet.ranges: expected an array"); return 0; }
    p->nranges = rs->n;
    p->ranges = calloc(rs->n + 1, sizeof *p->ranges);
    for (size_t i = 0; i < rs->n; i++) {
      const struct jv *o = &rs->kids[i];
      uint64_t c = 0, off = 0;
      if (o->t != J_OBJ || !member(o, "byteCount") || !member(o, "byteOffset")) { snprintf(msg, sizeof msg, "Packet.ranges[%zu]: expected {byteCount, byteOffset%s}", i, p->type == 9 ? ", pfns" : ""); return 0; }
      if (!get_uint(member(o, "byteCount"), "ranges.byteCount", 0xffffffffu, &c) || !get_uint(member(o, "byteOffset"), "ranges.byteOffset", 0xffffffffu, &off)) return 0;
      p->ranges[i].count = c, p->ranges[i].offset = off;
      if (p->type == 9) {
        const struct jv *pf = member(o, "pfns");
        if (!pf || pf->t != J_ARR) { snprintf(msg, sizeof msg, "Packet.ranges[%zu].pfns: expected an array", i); return 0; }
        p->ranges[i].npfn = pf->n;
        p->ranges[i].pfns = calloc(pf->n + 1, sizeof(uint64_t));
        for (size_t k = 0; k < pf->n; k++)
          if (pf->kids[k].t != J_STR || !parse_u64_str(pf->kids[k].str, &p->ranges[i].pfns[k])) { snprintf(msg, sizeof msg, "Packet.ranges[%zu].pfns[%zu]: expected u64 as a decimal string", i, k); return 0; }
      }
    }
  }
  return 1;
}

/* Bytes of descriptor + typed header (RING-WRITE-4: offset8 = header / 8). */
static uint64_t header_bytes(const struct packet *p) {
  uint64_t h = DESC;
  if (p->type == 9) { h = TYPED; for (size_t i = 0; i < p->nranges; i++) h += 8 + 8 * p->ranges[i].npfn; }
  else if (p->type == 7) h = TYPED + 8 * p->nranges;
  return h;
}

/* ---- writer ------------------------------------------------------------------------------ */

struct wres { int kind; /* 0 written, 1 full, 2 fault */ uint32_t before, after, total, avail; struct fault f; };

/* Write one packet at `*cursor` (the private write cursor); read index `r`. */
static struct wres write_one(struct ring *rg, const struct packet *p, uint32_t *cursor, uint32_t r, uint32_t *pending) {
  struct wres o = {0};
  o.before = o.after = *cursor;
  uint64_t hb = header_bytes(p);
  uint64_t len8 = (hb + p->plen + 7) / 8;
  uint64_t total = len8 * 8 + TRAILER;
  uint32_t size = rg->size;
  uint64_t limit = size - P->limit_below; /* RING-WRITE-3: the largest packet an empty ring holds */
  if (limit > 0xffffull * 8 + TRAILER) limit = 0xffffull * 8 + TRAILER;
  uint32_t avail = size - used(*cursor, r, size);
  if (total > limit) {
    o.kind = 2;
    o.f = (struct fault){"packetTooLarge", "RING-WRITE-3", ""};
    snprintf(o.f.fields, sizeof o.f.fields, ",\"total\":%llu,\"limit\":%llu", (unsigned long long)total, (unsigned long long)limit);
    return o;
  }
#ifdef BUG_FILL_COMPLETELY
  if (total > avail) {
#else
  if (total + 8 > avail) { /* RING-WRITE-1: keep 8 bytes free, or a full ring looks empty */
#endif
    o.kind = 1;
    o.total = (uint32_t)total;
    o.avail = avail;
#ifdef BUG_PENDING_TOTAL
    *pending = (uint32_t)total;
#else
    /* RING-WRITE-7; strict: total + 1, so that every reader's bound fires exactly when it fits */
    *pending = P->pending == PV_TOTAL ? (uint32_t)total : P->pending == PV_ROUND_UP8 ? (uint32_t)((total + 7) & ~7ull) : (uint32_t)total + 1;
#endif
    return o;
  }
  uint8_t *buf = calloc(total, 1);
  wr16(buf, p->type);
  wr16(buf + 2, (uint32_t)(hb / 8));
  wr16(buf + 4, (uint32_t)len8);
  wr16(buf + 6, p->flags);
  wr64(buf + 8, p->trans);
  if (p->type == 9) {
    wr32(buf + 16, p->reserved);
    wr32(buf + 20, (uint32_t)p->nranges);
    uint8_t *q = buf + TYPED;
    for (size_t i = 0; i < p->nranges; i++) {
      wr32(q, p->ranges[i].count); wr32(q + 4, p->ranges[i].offset); q += 8;
      for (size_t k = 0; k < p->ranges[i].npfn; k++, q += 8) wr64(q, p->ranges[i].pfns[k]);
    }
  } else if (p->type == 7) {
    wr16(buf + 16, p->xfer_id);
    buf[18] = p->owns;
    buf[19] = (uint8_t)p->reserved;
    wr32(buf + 20, (uint32_t)p->nranges);
    for (size_t i = 0; i < p->nranges; i++) { wr32(buf + TYPED + 8 * i, p->ranges[i].count); wr32(buf + TYPED + 8 * i + 4, p->ranges[i].offset); }
  }
  memcpy(buf + hb, p->payload, p->plen);
  wr64(buf + total - TRAILER, (uint64_t)*cursor << 32); /* RING-WRITE-5: trailer = start index << 32 */
#ifdef BUG_NO_TRAILER_WRITE
  copy_in(rg, *cursor, buf, (uint32_t)(hb + p->plen));
#else
  copy_in(rg, *cursor, buf, P->writes_trailer ? (uint32_t)total : (uint32_t)(hb + p->plen));
#endif
  free(buf);
  o.kind = 0;
  o.total = (uint32_t)total;
  o.after = (uint32_t)((*cursor + total) % size);
  *cursor = o.after;
#ifndef BUG_PENDING_NOT_CLEARED
  *pending = 0;
#endif
  return o;
}

/* RING-WRITE-6: signal iff interrupt_mask == 0 and the ring was empty before the batch. */
static int writer_signal(uint32_t oldw, uint32_t neww, uint32_t r, uint32_t mask, uint32_t written, uint32_t size) {
  if (written == 0) return 0;
  if (P->signal_unread_le_written) return mask == 0 && used(neww, r, size) <= written;
  (void)neww, (void)size;
#ifdef BUG_SIGNAL_EVERY_PACKET
  (void)oldw, (void)r;
  return mask == 0;
#elif defined(BUG_IGNORE_MASK)
  (void)mask;
  return r == oldw;
#else
  return mask == 0 && r == oldw;
#endif
}

static void put_wres(const struct wres *o, int signal) {
  const char *s = signal ? "true" : "false";
  if (o->kind == 0) printf("{\"outcome\":\"written\",\"signal\":%s,\"writeIndexBefore\":%u,\"writeIndexAfter\":%u,\"bytes\":%u}\n", s, o->before, o->after, o->total);
  else if (o->kind == 1) printf("{\"outcome\":\"full\",\"signal\":%s,\"writeIndexBefore\":%u,\"writeIndexAfter\":%u,\"needed\":%u,\"available\":%u}\n", s, o->before, o->before, o->total, o->avail);
  else {
    printf("{\"outcome\":\"%s\",\"signal\":%s,\"writeIndexBefore\":%u,\"writeIndexAfter\":%u,", o->f.kind, s, o->before, o->before);
    printf("\"rule\":\"%s\"%s,\"message\":\"%s violated\"}\n", o->f.rule, o->f.fields, o->f.rule);
  }
}

/* ---- reader ------------------------------------------------------------------------------ */

struct peek { int kind; /* 0 packet, 1 empty, 2 fault, 3 incomplete */ uint32_t start, next, len8, offset8; uint16_t type, flags; struct fault f; uint8_t *bytes; };

static struct peek peek_at(const struct ring *rg, uint32_t cursor) {
  struct peek o = {0};
  uint32_t size = rg->size, w = W(rg);
#ifndef BUG_NO_INDEX_CHECK
  if (check_index(&o.f, "writeIndex", w, size)) { o.kind = 2; return o; }
#else
  w %= size;
  w &= ~7u;
#endif
  if (check_index(&o.f, "readIndex", cursor, size)) { o.kind = 2; return o; }
  uint32_t avail = used(w, cursor, size);
  if (avail == 0) { o.kind = 1; return o; }
#ifdef BUG_NO_TRAILER_WAIT
  uint32_t trailer = 0;
#else
  uint32_t trailer = P->needs_trailer ? TRAILER : 0; /* strict waits for the trailer too (DPDK, QEMU) */
#endif
  o.start = avail; /* reported as "available" when incomplete */
  if (avail < DESC + trailer) { /* RING-PKT-1 */
    if (P->truncated != TR_FAULT) { o.kind = 3; return o; }
    o.kind = 2;
    o.f = (struct fault){"tooShort", "RING-PKT-1", ""};
    snprintf(o.f.fields, sizeof o.f.fields, ",\"available\":%u", avail);
    return o;
  }
  uint8_t d[DESC];
  copy_out(rg, cursor, d, DESC);
  o.type = rd16(d), o.offset8 = rd16(d + 2), o.len8 = rd16(d + 4), o.flags = rd16(d + 6);
  if (P->truncated == TR_CLAMP) { /* Linux hv_pkt_iter_first: len8 into [16, min(available, buffer)] */
    uint32_t limit = P->buffer_limit && P->buffer_limit < avail ? P->buffer_limit : avail;
    uint32_t len = o.len8 * 8u;
    if (len < DESC || len > limit) o.len8 = (uint16_t)((limit - limit % 8) / 8);
  }
  if (P->offset_clamps && (o.offset8 < 2 || o.offset8 > o.len8)) o.offset8 = 2;
  o.kind = 2;
  if (o.offset8 < 2) {
    o.f = (struct fault){"offset8TooSmall", "RING-PKT-2", ""};
    snprintf(o.f.fields, sizeof o.f.fields, ",\"offset8\":%u", o.offset8);
    return o;
  }
  if (o.offset8 > o.len8) {
    o.f = (struct fault){"offset8BeyondLen8", "RING-PKT-3", ""};
    snprintf(o.f.fields, sizeof o.f.fields, ",\"offset8\":%u,\"len8\":%u", o.offset8, o.len8);
    return o;
  }
  if ((uint64_t)o.len8 * 8 + trailer > avail) { /* RING-PKT-4 / RING-READ-6: strict faults, QEMU and DPDK wait */
    if (P->truncated == TR_INCOMPLETE) { o.kind = 3; return o; }
    o.f = (struct fault){"len8BeyondData", "RING-PKT-4", ""};
    snprintf(o.f.fields, sizeof o.f.fields, ",\"len8\":%u,\"available\":%u", o.len8, avail);
    return o;
  }
  if (!type_accepted(o.type)) { /* RING-READ-3 */
    o.f = (struct fault){"unexpectedPacketType", "RING-READ-3", ""};
    snprintf(o.f.fields, sizeof o.f.fields, ",\"type\":%u", o.type);
    return o;
  }
  o.bytes = malloc((size_t)o.len8 * 8 + 1);
  copy_out(rg, cursor, o.bytes, o.len8 * 8u);
  if (P->parses_typed && (o.type == 7 || o.type == 9)) { /* RING-PKT-5..8 */
    uint64_t end = (uint64_t)o.offset8 * 8;
    if (end < TYPED) {
      o.f = (struct fault){"typedHeaderBeyondOffset8", "RING-PKT-5", ""};
      snprintf(o.f.fields, sizeof o.f.fields, ",\"type\":%u,\"offset8\":%u", o.type, o.offset8);
      return o;
    }
    uint64_t count = rd32(o.bytes + 20), room = end - TYPED;
    if (o.type == 7 ? count * 8 > room : count == 0 || count * 16 > room) {
      o.f = (struct fault){"badRangeCount", "RING-PKT-6", ""};
      snprintf(o.f.fields, sizeof o.f.fields, ",\"rangeCount\":%llu,\"room\":%llu", (unsigned long long)count, (unsigned long long)room);
      return o;
    }
    if (o.type == 9) {
      uint64_t q = TYPED;
      for (uint64_t i = 0; i < count; i++) {
        if (q + 8 > end) {
          o.f = (struct fault){"gpaRangePfnsBeyondHeader", "RING-PKT-8", ""};
          snprintf(o.f.fields, sizeof o.f.fields, ",\"index\":%llu,\"pfnCount\":0,\"room\":%llu", (unsigned long long)i, (unsigned long long)(end - q));
          return o;
        }
        uint64_t c = rd32(o.bytes + q), off = rd32(o.bytes + q + 4);
        if (c == 0) {
          o.f = (struct fault){"gpaRangeEmpty", "RING-PKT-7", ""};
          snprintf(o.f.fields, sizeof o.f.fields, ",\"index\":%llu", (unsigned long long)i);
          return o;
        }
        if (off >= 4096) {
          o.f = (struct fault){"gpaRangeOffsetTooLarge", "RING-PKT-7", ""};
          snprintf(o.f.fields, sizeof o.f.fields, ",\"index\":%llu,\"byteOffset\":%llu", (unsigned long long)i, (unsigned long long)off);
          return o;
        }
        uint64_t npfn = (off + c + 4095) / 4096, st = q + 8;
        if (st + 8 * npfn > end) {
          o.f = (struct fault){"gpaRangePfnsBeyondHeader", "RING-PKT-8", ""};
          snprintf(o.f.fields, sizeof o.f.fields, ",\"index\":%llu,\"pfnCount\":%llu,\"room\":%llu", (unsigned long long)i, (unsigned long long)npfn, (unsigned long long)(end - st));
          return o;
        }
        q = st + 8 * npfn;
      }
    }
  }
  o.kind = 0;
  o.start = cursor;
#ifdef BUG_SKIP_TRAILER
  o.next = (uint32_t)((cursor + (uint64_t)o.len8 * 8) % size);
#else
  o.next = (uint32_t)((cursor + (uint64_t)o.len8 * 8 + TRAILER) % size); /* RING-READ-2 */
#endif
  return o;
}

static void put_packet(const struct peek *o) {
  const uint8_t *b = o->bytes;
  printf("{\"type\":%u,\"flags\":%u,\"transId\":\"%llu\",\"offset8\":%u,\"len8\":%u,\"payload\":", o->type, o->flags, (unsigned long long)rd64(b + 8), o->offset8, o->len8);
  put_hex(b + o->offset8 * 8u, (o->len8 - o->offset8) * 8u);
  if (P->parses_typed && o->type == 9) {
    uint32_t count = rd32(b + 20), q = TYPED;
    printf(",\"reserved\":%u,\"ranges\":[", rd32(b + 16));
    for (uint32_t i = 0; i < count; i++) {
      uint32_t c = rd32(b + q), off = rd32(b + q + 4);
      uint64_t npfn = ((uint64_t)off + c + 4095) / 4096;
      printf("%s{\"byteCount\":%u,\"byteOffset\":%u,\"pfns\":[", i ? "," : "", c, off);
      for (uint64_t k = 0; k < npfn; k++) printf("%s\"%llu\"", k ? "," : "", (unsigned long long)rd64(b + q + 8 + 8 * k));
      printf("]}");
      q += 8 + 8 * (uint32_t)npfn;
    }
    printf("]");
  } else if (P->parses_typed && o->type == 7) {
    uint32_t count = rd32(b + 20);
    printf(",\"transferPageSetId\":%u,\"senderOwnsSet\":%u,\"reserved\":%u,\"ranges\":[", rd16(b + 16), b[18], b[19]);
    for (uint32_t i = 0; i < count; i++) printf("%s{\"byteCount\":%u,\"byteOffset\":%u}", i ? "," : "", rd32(b + TYPED + 8 * i), rd32(b + TYPED + 8 * i + 4));
    printf("]");
  }
  printf(",\"start\":%u,\"next\":%u", o->start, o->next);
}

/* RING-READ-4, strict: feature bit 0 set, P != 0, free before <= P < free after. */
static int reader_signal(const struct ring *rg, uint32_t bytes_read, uint32_t newr) {
#ifdef BUG_READER_IGNORES_PENDING
  (void)rg, (void)bytes_read, (void)newr;
  return 0;
#endif
  if (bytes_read == 0) return 0;
  if (MASK(rg) && P->mask_suppresses) return 0;
  if ((FEAT(rg) & 1) == 0 && P->feature_clear != FC_IGNORE) return P->feature_clear == FC_FORCE;
  int64_t pend = PENDING(rg);
  if (P->pending_round_down) pend -= pend % 8;
  if (pend == 0) return 0;
  int64_t avail = rg->size - used(W(rg), newr, rg->size);
  int64_t A = P->free == RF_AVAIL_MINUS8 ? avail - 8 : P->free == RF_ZERO_WHEN_EMPTY && W(rg) == newr ? 0 : avail;
  int64_t B = A - bytes_read;
#ifdef BUG_READER_SIGNAL_AT_EQUAL
  return B < pend && pend <= A;
#else
  return P->bound_b_lt_p_le_a ? B < pend && pend <= A : B <= pend && pend < A;
#endif
}

/* ---- commands ----------------------------------------------------------------------------- */

struct opts { const char *file, *profile; int batch; uint64_t max; int have_max; uint64_t num[5]; int have[5]; uint64_t data_size; int have_size; };
static const char *CTL_NAMES[5] = {"--write-index", "--read-index", "--interrupt-mask", "--pending-send-size", "--feature-bits"};

static uint64_t parse_num(const char *name, const char *s, uint64_t max) {
  char *end;
  errno = 0;
  unsigned long long v = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? strtoull(s + 2, &end, 16) : strtoull(s, &end, 10);
  if (!*s || *end || errno || v > max || s[0] == '-' || s[0] == '+' || s[0] == ' ') die(2, "%s: bad number '%s'", name, s);
  return v;
}

static struct opts parse_opts(int argc, char **argv, const char *allowed) {
  struct opts o = {0};
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    char key[64];
    snprintf(key, sizeof key, " %s ", a);
    if (!strstr(allowed, key)) die(2, "unknown option %s%s", a, "");
    if (!strcmp(a, "--batch")) { o.batch = 1; continue; }
    if (!v) die(2, "option %s needs a value%s", a, "");
    i++;
    if (!strcmp(a, "--file")) o.file = v;
    else if (!strcmp(a, "--profile")) o.profile = v;
    else if (!strcmp(a, "--max")) o.max = parse_num(a, v, UINT64_MAX), o.have_max = 1;
    else if (!strcmp(a, "--data-size")) o.data_size = parse_num(a, v, 0x7ffffff8u), o.have_size = 1;
    else for (int k = 0; k < 5; k++) if (!strcmp(a, CTL_NAMES[k])) o.num[k] = parse_num(a, v, 0xffffffffu), o.have[k] = 1;
  }
  if (!o.file) die(2, "--file is required%s%s", "", "");
  if (o.profile) {
    P = NULL;
    for (size_t k = 0; k < sizeof PROFILES / sizeof *PROFILES; k++) if (!strcmp(o.profile, PROFILES[k].name)) P = &PROFILES[k];
    if (!P) die(2, "unknown profile '%s' (strict, qemu, linux, openvmm, dpdk)%s", o.profile, "");
  }
  return o;
}

static int cmd_init(int argc, char **argv) {
  struct opts o = parse_opts(argc, argv, " --file --data-size --write-index --read-index --interrupt-mask --pending-send-size --feature-bits ");
  if (!o.have_size) die(2, "--data-size is required%s%s", "", "");
  if (!valid_size(o.data_size)) die(2, "--data-size must be a multiple of 8 of at least 64%s%s", "", ""); /* RING-GEOM-1 */
  struct ring r = {calloc(CONTROL + o.data_size, 1), (uint32_t)o.data_size};
  static const unsigned at[5] = {0, 4, 8, 12, 64};
  for (int k = 0; k < 5; k++) wr32(r.img + at[k], o.have[k] ? (uint32_t)o.num[k] : k == 4 ? 1 : 0);
  save(o.file, &r);
  printf("{\"file\":");
  put_str(o.file);
  printf(",\"dataSize\":%u,\"control\":", r.size);
  put_control(&r);
  printf("}\n");
  return 0;
}

static char *read_all(FILE *f) {
  size_t cap = 1 << 16, n = 0;
  char *s = malloc(cap);
  for (size_t k; (k = fread(s + n, 1, cap - n - 1, f)) > 0;) {
    n += k;
    if (n + 1 == cap) {
      if (cap > (256u << 20)) die(2, "input larger than 256 MiB%s%s", "", "");
      s = realloc(s, cap *= 2);
    }
  }
  s[n] = 0;
  return s;
}

static int cmd_write(int argc, char **argv) {
  struct opts o = parse_opts(argc, argv, " --file --profile --batch ");
  struct ring rg = load(o.file);
  char *in = read_all(stdin);
  size_t cap = 16, n = 0;
  struct packet *ps = malloc(cap * sizeof *ps);
  int lineno = 0;
  for (char *line = in; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    lineno++;
    char *s = line;
    while (*s == ' ' || *s == '\t' || *s == '\r') s++;
    if (*s) {
      if (n == cap) ps = realloc(ps, (cap *= 2) * sizeof *ps);
      if (!parse_packet(s, &ps[n++])) {
        fprintf(stderr, "ring-c write: line %d: %s\n", lineno, msg);
        return 2;
      }
    }
    line = nl ? nl + 1 : NULL;
  }
  uint32_t size = rg.size, w0 = W(&rg), r = R(&rg), mask = MASK(&rg), pending = PENDING(&rg), cursor = w0;
  struct fault bad;
  int view_bad = check_index(&bad, "writeIndex", w0, size) || check_index(&bad, "readIndex", r, size);
  int failed = 0;
  struct wres *res = calloc(n + 1, sizeof *res);
  for (size_t i = 0; i < n; i++) {
    uint32_t before = cursor;
    if (view_bad) res[i] = (struct wres){.kind = 2, .before = cursor, .after = cursor, .f = bad};
    else res[i] = write_one(&rg, &ps[i], &cursor, r, &pending);
    if (res[i].kind != 0) failed++;
    if (!o.batch) {
      /* Unbatched: every packet is published on its own, with its own signal decision. */
      if (!view_bad) { wr32(rg.img + 0, cursor); wr32(rg.img + 12, pending); }
      put_wres(&res[i], view_bad ? 0 : writer_signal(before, cursor, r, mask, used(cursor, before, size), size));
    }
  }
  if (o.batch) {
    if (!view_bad) { wr32(rg.img + 0, cursor); wr32(rg.img + 12, pending); }
    int sig = view_bad ? 0 : writer_signal(w0, cursor, r, mask, used(cursor, w0, size), size);
    for (size_t i = 0; i < n; i++) put_wres(&res[i], i + 1 == n ? sig : 0);
  }
  save(o.file, &rg);
  return failed ? 1 : 0;
}

static int cmd_read(int argc, char **argv) {
  struct opts o = parse_opts(argc, argv, " --file --profile --max ");
  struct ring rg = load(o.file);
  uint64_t max = o.have_max ? o.max : UINT64_MAX;
  /* Bounded by what was published when the read began. */
  uint64_t budget = used(W(&rg), R(&rg), rg.size), consumed = 0;
  int code = 0;
  for (uint64_t k = 0; k < max; k++) {
    uint32_t cur = R(&rg);
    struct peek p = peek_at(&rg, cur);
    if (p.kind == 1) break;
    if (p.kind == 3) {
      printf("{\"stop\":\"incomplete\",\"available\":%u}\n", p.start);
      break;
    }
    if (p.kind == 2) {
      putchar('{');
      put_fault("fault", &p.f);
      printf("}\n");
      code = 1;
      break;
    }
    uint32_t bytes = used(p.next, cur, rg.size);
    wr32(rg.img + 4, p.next); /* publish read_index, then decide (RING-READ-4) */
    put_packet(&p);
    printf(",\"signal\":%s}\n", reader_signal(&rg, bytes, p.next) ? "true" : "false");
    consumed += (uint64_t)p.len8 * 8 + 8;
    if (consumed >= budget) break;
  }
  save(o.file, &rg);
  return code;
}

static int cmd_show(int argc, char **argv) {
  struct opts o = parse_opts(argc, argv, " --file --profile ");
  struct ring rg = load(o.file);
  printf("{\"dataSize\":%u,\"control\":", rg.size);
  put_control(&rg);
  printf(",\"packets\":[");
  uint32_t cur = R(&rg);
  uint64_t budget = used(W(&rg), R(&rg), rg.size), consumed = 0;
  for (int first = 1;; first = 0) {
    struct peek p = peek_at(&rg, cur);
    if (p.kind == 1) { printf("]"); break; }
    if (p.kind == 3) { printf("],\"stop\":{\"stop\":\"incomplete\",\"available\":%u}", p.start); break; }
    if (p.kind == 2) {
      printf("],\"stop\":{");
      put_fault("fault", &p.f);
      printf("}");
      break;
    }
    if (!first) putchar(',');
    put_packet(&p);
    putchar('}');
    consumed += (uint64_t)p.len8 * 8 + 8;
    cur = p.next;
    if (consumed >= budget) { printf("]"); break; }
  }
  printf("}\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) die(2, "usage: ring init|write|read|show --file F …%s%s", "", "");
  prog_sub = argv[1];
  if (!strcmp(argv[1], "init")) return cmd_init(argc - 2, argv + 2);
  if (!strcmp(argv[1], "write")) return cmd_write(argc - 2, argv + 2);
  if (!strcmp(argv[1], "read")) return cmd_read(argc - 2, argv + 2);
  if (!strcmp(argv[1], "show")) return cmd_show(argc - 2, argv + 2);
  die(2, "unknown subcommand '%s'%s", argv[1], "");
  return 2;
}
