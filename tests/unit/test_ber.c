/* test_ber.c — the BER cursor's edge cases: length and tag forms, indefinite lengths,
 * constructed strings, truncation versus bad lengths, the depth limit, and time values.
 * Encodings are written out by hand from X.690; expected epoch seconds come from
 * `date -u -d '<time>' +%s` (quoted at each). */
#include "ber.h"
#include "check.h"

#include <stdint.h>

static ber_cursor cursor(const uint8_t *data, size_t len)
{
    ber_cursor c;
    ber_init(&c, data, len, 0, SCEP_SRC_INPUT);
    return c;
}

/* CHECK_UNCHANGED asserts a failed read left the cursor where it was. */
#define CHECK_UNCHANGED(c, before)                                                     \
    do {                                                                               \
        CHECK((c).data == (before).data);                                              \
        CHECK_INT((c).len, (before).len);                                              \
        CHECK_INT((c).offset, (before).offset);                                        \
    } while (0)

/* expect_fault reads one element from |data| and checks it fails with |code| at |offset|. */
static void expect_fault(const uint8_t *data, size_t len, scep_error_code code, size_t offset,
                         int line)
{
    ber_cursor c = cursor(data, len), before = c;
    ber_elem e;
    ber_fault f = {SCEP_ERR_NONE, 999};
    bool ok = ber_next(&c, &e, &f);
    if (ok || f.code != code || f.offset != offset)
        fprintf(stderr, "line %d: ok=%d code=%s offset=%zu\n", line, ok,
                scep_error_code_name(f.code), f.offset);
    CHECK(!ok);
    CHECK_INT(f.code, code);
    CHECK_INT(f.offset, offset);
    CHECK_UNCHANGED(c, before);
}

static void test_short_and_long_lengths(void)
{
    static const uint8_t two[] = {0x04, 0x03, 'a', 'b', 'c', 0x05, 0x00};
    ber_cursor c = cursor(two, sizeof two);
    ber_elem e;
    ber_fault f;
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.tag, BER_OCTET_STRING);
    CHECK_INT(e.offset, 0);
    CHECK_INT(e.header_len, 2);
    CHECK_INT(e.contents.len, 3);
    CHECK_INT(e.contents.offset, 2);
    CHECK_INT(e.total_len, 5);
    CHECK(!e.indefinite && !e.truncated);
    CHECK_SPAN_STR(ber_span(&e, false), "abc");
    CHECK_SPAN_HEX(ber_span(&e, true), "0403616263");
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.tag, BER_NULL);
    CHECK_INT(e.offset, 5);
    CHECK_INT(e.contents.len, 0);
    CHECK(ber_empty(&c));
    CHECK(!ber_next(&c, &e, &f));
    CHECK_INT(f.code, SCEP_ERR_TRUNCATED); /* nothing left of an input that ends here */
    CHECK_INT(f.offset, 7);

    /* 0x81 0x80: one length octet, 128 contents octets; 0x82 0x01 0x00: 256. */
    static uint8_t long1[3 + 128], long2[4 + 256];
    long1[0] = 0x04, long1[1] = 0x81, long1[2] = 0x80;
    long2[0] = 0x04, long2[1] = 0x82, long2[2] = 0x01, long2[3] = 0x00;
    c = cursor(long1, sizeof long1);
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.header_len, 3);
    CHECK_INT(e.contents.len, 128);
    CHECK(ber_empty(&c));
    c = cursor(long2, sizeof long2);
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.header_len, 4);
    CHECK_INT(e.contents.len, 256);
    CHECK_INT(e.total_len, 260);

    /* Non-minimal lengths are legal BER (X.690 8.1.3.5 note 2): accepted as they say. */
    static const uint8_t nonmin1[] = {0x04, 0x81, 0x03, 'a', 'b', 'c'};
    static const uint8_t nonmin4[] = {0x04, 0x84, 0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c'};
    c = cursor(nonmin1, sizeof nonmin1);
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.header_len, 3);
    CHECK_SPAN_STR(ber_span(&e, false), "abc");
    c = cursor(nonmin4, sizeof nonmin4);
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.header_len, 6);
    CHECK_SPAN_STR(ber_span(&e, false), "abc");
    CHECK(ber_empty(&c));

    /* 0xFF is reserved (X.690 8.1.3.5 c). */
    static const uint8_t reserved[] = {0x04, 0xFF, 0x00};
    expect_fault(reserved, sizeof reserved, SCEP_ERR_BAD_LENGTH, 0, __LINE__);
    /* Indefinite length on a primitive element (X.690 8.1.3.2 a). */
    static const uint8_t prim_indef[] = {0x04, 0x80, 0x61, 0x00, 0x00};
    expect_fault(prim_indef, sizeof prim_indef, SCEP_ERR_BAD_LENGTH, 0, __LINE__);
    /* A length no input can hold. */
    static const uint8_t huge[] = {0x04, 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x61};
    expect_fault(huge, sizeof huge, SCEP_ERR_BAD_LENGTH, 0, __LINE__);
    /* An end-of-contents marker where an element is due. */
    static const uint8_t eoc[] = {0x00, 0x00};
    expect_fault(eoc, sizeof eoc, SCEP_ERR_UNEXPECTED_TAG, 0, __LINE__);

    /* Offsets carry the window's place in its source buffer. */
    ber_init(&c, two, sizeof two, 100, SCEP_SRC_CONTENT);
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.offset, 100);
    scep_span s = ber_span(&e, false);
    CHECK_INT(s.offset, 102);
    CHECK_INT(s.source, SCEP_SRC_CONTENT);
    s = ber_cursor_span(&c);
    CHECK_INT(s.offset, 105);
    CHECK_INT(s.length, 2);
    CHECK(s.data == two + 5);
}

static void test_long_form_tags(void)
{
    ber_elem e;
    ber_fault f;
    /* [31] primitive: 0x9F then one base-128 digit 0x1F. */
    static const uint8_t t31[] = {0x9F, 0x1F, 0x01, 0xAA};
    ber_cursor c = cursor(t31, sizeof t31);
    uint32_t tag = 0;
    CHECK(ber_peek_tag(&c, &tag));
    CHECK_INT(tag, BER_CONTEXT(31));
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.tag, BER_CONTEXT(31));
    CHECK_INT(e.header_len, 3);
    CHECK_SPAN_HEX(ber_span(&e, false), "aa");

    /* [APPLICATION 200] constructed: digits 0x81 0x48 = 1*128 + 72. */
    static const uint8_t t200[] = {0x7F, 0x81, 0x48, 0x00};
    c = cursor(t200, sizeof t200);
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.tag, BER_TAG(BER_CLASS_APPLICATION | BER_CONSTRUCTED, 200));
    CHECK(ber_constructed(&e));
    CHECK_INT(ber_tag_number(&e), 200);
    CHECK_INT(e.header_len, 4);

    /* A leading 0x80 digit is a padded tag number (X.690 8.1.2.4.2 c). */
    static const uint8_t padded[] = {0x9F, 0x80, 0x1F, 0x00};
    expect_fault(padded, sizeof padded, SCEP_ERR_BAD_TAG, 0, __LINE__);
    /* A tag number beyond 24 bits. */
    static const uint8_t big[] = {0x9F, 0x8F, 0xFF, 0xFF, 0x7F, 0x00};
    expect_fault(big, sizeof big, SCEP_ERR_BAD_TAG, 0, __LINE__);
    /* The input ends inside the tag's digits, or right after the identifier. */
    static const uint8_t cut_tag[] = {0x9F, 0x81};
    expect_fault(cut_tag, sizeof cut_tag, SCEP_ERR_TRUNCATED, sizeof cut_tag, __LINE__); /* where it ends */
    c = cursor(cut_tag, sizeof cut_tag);
    CHECK(!ber_peek_tag(&c, &tag));
    static const uint8_t only_id[] = {0x30};
    expect_fault(only_id, sizeof only_id, SCEP_ERR_TRUNCATED, sizeof only_id, __LINE__);
    c = cursor(only_id, 1);
    CHECK(ber_peek_tag(&c, &tag)); /* the tag is known even though the length is cut */
    CHECK_INT(tag, BER_SEQUENCE);
}

static void test_indefinite(void)
{
    /* SEQUENCE { SEQUENCE { INTEGER 5 } } both indefinite, then a NULL. */
    static const uint8_t nested[] = {0x30, 0x80, 0x30, 0x80, 0x02, 0x01, 0x05,
                                     0x00, 0x00, 0x00, 0x00, 0x05, 0x00};
    ber_cursor c = cursor(nested, sizeof nested);
    ber_elem outer, inner, num;
    ber_fault f;
    CHECK(ber_next(&c, &outer, &f));
    CHECK(outer.indefinite);
    CHECK(!outer.truncated);
    CHECK_INT(outer.tag, BER_SEQUENCE);
    CHECK_INT(outer.header_len, 2);
    CHECK_INT(outer.contents.len, 7); /* 30 80 02 01 05 00 00, without the outer 00 00 */
    CHECK_INT(outer.total_len, 11);
    CHECK_SPAN_HEX(ber_span(&outer, true), "3080308002010500000000");
    CHECK_INT(c.offset, 11);

    CHECK(ber_next(&outer.contents, &inner, &f));
    CHECK(inner.indefinite);
    CHECK_INT(inner.offset, 2);
    CHECK_INT(inner.contents.len, 3);
    CHECK_INT(inner.total_len, 7);
    CHECK(ber_empty(&outer.contents));
    CHECK_INT(inner.contents.depth, 2);

    CHECK(ber_next(&inner.contents, &num, &f));
    CHECK_INT(num.tag, BER_INTEGER);
    CHECK_INT(num.offset, 4);
    long v = 0;
    CHECK(ber_read_small_int(&num, &v));
    CHECK_INT(v, 5);
    /* Complete contents are bounded: reading past them is "missing", not a truncation. */
    CHECK(!ber_next(&inner.contents, &num, &f));
    CHECK_INT(f.code, SCEP_ERR_MISSING);

    CHECK(ber_next(&c, &outer, &f));
    CHECK_INT(outer.tag, BER_NULL);
    CHECK_INT(outer.offset, 11);

    /* A definite element inside an indefinite one, and an indefinite one inside a definite. */
    static const uint8_t mixed[] = {0x30, 0x06, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00};
    c = cursor(mixed, sizeof mixed);
    CHECK(ber_next(&c, &outer, &f));
    CHECK(!outer.indefinite);
    CHECK(ber_next(&outer.contents, &inner, &f));
    CHECK(inner.indefinite);
    CHECK_INT(inner.contents.len, 2);
    CHECK_INT(inner.total_len, 6);
    CHECK(ber_empty(&outer.contents));

    /* Only 00 00 ends contents; another universal-0 element inside is malformed. */
    static const uint8_t tag0[] = {0x30, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00};
    expect_fault(tag0, sizeof tag0, SCEP_ERR_BAD_TAG, 2, __LINE__);

    /* The end-of-contents scan reads nested headers itself: an indefinite length on a
     * primitive element (X.690 8.1.3.2 a) is refused there too, at that element. */
    static const uint8_t prim_indef[] = {0x30, 0x80, 0x04, 0x80, 0x61, 0x00, 0x00, 0x00, 0x00};
    expect_fault(prim_indef, sizeof prim_indef, SCEP_ERR_BAD_LENGTH, 2, __LINE__);

    /* A nested indefinite element with a long-form tag ([31] constructed: BF 1F 80). */
    static const uint8_t long_tag[] = {0x30, 0x80, 0xBF, 0x1F, 0x80, 0x05, 0x00,
                                       0x00, 0x00, 0x00, 0x00};
    c = cursor(long_tag, sizeof long_tag);
    CHECK(ber_next(&c, &outer, &f));
    CHECK(outer.indefinite && !outer.truncated);
    CHECK_INT(outer.contents.len, 7); /* BF 1F 80 05 00 00 00 */
    CHECK_INT(outer.total_len, 11);
    CHECK(ber_next(&outer.contents, &inner, &f));
    CHECK_INT(inner.tag, BER_CONTEXT_CONS(31));
    CHECK(inner.indefinite);
    CHECK_INT(inner.header_len, 3);
    CHECK_INT(inner.contents.len, 2);
    CHECK_INT(inner.total_len, 7);
}

static void test_constructed_octets(void)
{
    uint8_t out[64];
    size_t n = 99, chunks = 99;
    ber_elem e;
    ber_fault f;

    /* 24 80 | 04 02 "ab" | 04 01 "c" | 00 00 */
    static const uint8_t two_chunks[] = {0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x04, 0x01, 'c', 0x00, 0x00};
    ber_cursor c = cursor(two_chunks, sizeof two_chunks);
    CHECK(ber_next(&c, &e, &f));
    CHECK_INT(e.tag, BER_OCTET_STRING_CONS);
    CHECK(ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(n, 3);
    CHECK(memcmp(out, "abc", 3) == 0);
    CHECK_INT(chunks, 2);
    size_t total = 0;
    CHECK(ber_octets_length(&e, &total, &chunks, &f));
    CHECK_INT(total, 3);
    CHECK_INT(chunks, 2);

    /* Chunks nested: "a", { "b", "c" }, "d"; the inner one indefinite too. */
    static const uint8_t nested[] = {0x24, 0x80, 0x04, 0x01, 'a', 0x24, 0x80, 0x04, 0x01, 'b',
                                     0x04, 0x01, 'c', 0x00, 0x00, 0x04, 0x01, 'd', 0x00, 0x00};
    c = cursor(nested, sizeof nested);
    CHECK(ber_next(&c, &e, &f));
    CHECK(ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(n, 4);
    CHECK(memcmp(out, "abcd", 4) == 0);
    CHECK_INT(chunks, 4);

    /* Definite lengths, nested: 24 09 | 04 01 "a" | 24 04 | 04 02 "bc". */
    static const uint8_t definite[] = {0x24, 0x09, 0x04, 0x01, 'a', 0x24, 0x04, 0x04, 0x02, 'b', 'c'};
    c = cursor(definite, sizeof definite);
    CHECK(ber_next(&c, &e, &f));
    CHECK(ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(n, 3);
    CHECK(memcmp(out, "abc", 3) == 0);
    CHECK_INT(chunks, 2);

    /* Empty constructed string, and a primitive one (0 chunks). */
    static const uint8_t empty[] = {0x24, 0x80, 0x00, 0x00};
    c = cursor(empty, sizeof empty);
    CHECK(ber_next(&c, &e, &f));
    CHECK(ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(n, 0);
    CHECK_INT(chunks, 0);
    static const uint8_t prim[] = {0x04, 0x02, 'x', 'y'};
    c = cursor(prim, sizeof prim);
    CHECK(ber_next(&c, &e, &f));
    chunks = 99;
    CHECK(ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(n, 2);
    CHECK_INT(chunks, 0);

    /* [0] IMPLICIT OCTET STRING, constructed (encryptedContent from iOS): chunks are
     * universal OCTET STRINGs (X.690 8.14.4 with 8.7.3). */
    static const uint8_t implicit[] = {0xA0, 0x80, 0x04, 0x02, 'a', 'b', 0x04, 0x01, 'c', 0x00, 0x00};
    c = cursor(implicit, sizeof implicit);
    CHECK(ber_next(&c, &e, &f));
    CHECK(ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(n, 3);
    CHECK(memcmp(out, "abc", 3) == 0);
    CHECK(ber_octets_length(&e, &total, &chunks, &f));
    CHECK_INT(total, 3);
    CHECK_INT(chunks, 2);
}

static void test_wrong_chunks(void)
{
    uint8_t out[64];
    size_t n = 99, chunks = 99;
    ber_elem e;
    ber_fault f;
    static const struct {
        uint8_t bytes[16];
        size_t len;
        size_t bad_offset;
        size_t joined;
    } cases[] = {
        /* a UTF8String chunk in an OCTET STRING */
        {{0x24, 0x80, 0x04, 0x01, 'a', 0x0C, 0x01, 'b', 0x00, 0x00}, 10, 5, 1},
        /* a context-class chunk carrying number 4 */
        {{0x24, 0x80, 0x04, 0x01, 'a', 0x84, 0x01, 'b', 0x00, 0x00}, 10, 5, 1},
        /* a SEQUENCE as the first chunk */
        {{0x24, 0x80, 0x30, 0x00, 0x00, 0x00}, 6, 2, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ber_cursor c = cursor(cases[i].bytes, cases[i].len);
        CHECK(ber_next(&c, &e, &f));
        f.code = SCEP_ERR_NONE;
        CHECK(!ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
        CHECK_INT(f.code, SCEP_ERR_UNEXPECTED_TAG);
        CHECK_INT(f.offset, cases[i].bad_offset);
        CHECK_INT(n, cases[i].joined);
        CHECK(!ber_octets_length(&e, &n, &chunks, &f));
        CHECK_INT(f.code, SCEP_ERR_UNEXPECTED_TAG);
    }
}

static void test_truncation(void)
{
    ber_elem e, inner;
    ber_fault f;
    ber_cursor c;

    /* Inside the header: identifier only, or long-form length octets cut. */
    static const uint8_t cut_len[] = {0x04, 0x82, 0x01};
    expect_fault(cut_len, sizeof cut_len, SCEP_ERR_TRUNCATED, sizeof cut_len, __LINE__);

    /* Inside definite contents: flagged, clipped, cursor emptied. */
    static const uint8_t cut_contents[] = {0x04, 0x05, 'a', 'b'};
    c = cursor(cut_contents, sizeof cut_contents);
    CHECK(ber_next(&c, &e, &f));
    CHECK(e.truncated);
    CHECK_INT(e.contents.len, 2);
    CHECK_INT(e.total_len, 4);
    CHECK(ber_empty(&c));

    /* Inside indefinite contents, before the end-of-contents. */
    static const uint8_t cut_indef[] = {0x30, 0x80, 0x02, 0x01, 0x05};
    c = cursor(cut_indef, sizeof cut_indef);
    CHECK(ber_next(&c, &e, &f));
    CHECK(e.indefinite && e.truncated);
    CHECK_INT(e.contents.len, 3);
    CHECK_INT(e.total_len, 5);
    CHECK(ber_next(&e.contents, &inner, &f)); /* the complete part is still readable */
    CHECK_INT(inner.tag, BER_INTEGER);

    /* Cut inside the end-of-contents itself. */
    static const uint8_t cut_eoc[] = {0x30, 0x80, 0x05, 0x00, 0x00};
    c = cursor(cut_eoc, sizeof cut_eoc);
    CHECK(ber_next(&c, &e, &f));
    CHECK(e.truncated);
    CHECK_INT(e.contents.len, 3);

    /* A clipped element can still be descended: SEQUENCE(16) { "ab", "c…" }. */
    static const uint8_t cut_seq[] = {0x30, 0x10, 0x04, 0x02, 'a', 'b', 0x04, 0x05, 'c'};
    c = cursor(cut_seq, sizeof cut_seq);
    CHECK(ber_next(&c, &e, &f));
    CHECK(e.truncated);
    CHECK(ber_next(&e.contents, &inner, &f));
    CHECK(!inner.truncated);
    CHECK_SPAN_STR(ber_span(&inner, false), "ab");
    CHECK(ber_next(&e.contents, &inner, &f));
    CHECK(inner.truncated);
    CHECK_SPAN_STR(ber_span(&inner, false), "c");
    CHECK_INT(inner.offset, 6);

    /* A cut constructed OCTET STRING joins the octets present. */
    uint8_t out[16];
    size_t n = 0, chunks = 0;
    static const uint8_t cut_chunk[] = {0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x04, 0x03, 'c'};
    c = cursor(cut_chunk, sizeof cut_chunk);
    CHECK(ber_next(&c, &e, &f));
    CHECK(e.truncated);
    CHECK(ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(n, 3);
    CHECK(memcmp(out, "abc", 3) == 0);
    CHECK_INT(chunks, 2);

    /* ... also when the input stops inside a chunk's header or the end-of-contents. */
    static const uint8_t cut_chunk_header[] = {0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x04};
    static const uint8_t cut_chunk_eoc[] = {0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x00};
    const uint8_t *cut_headers[] = {cut_chunk_header, cut_chunk_eoc};
    for (size_t i = 0; i < 2; i++) {
        c = cursor(cut_headers[i], 7);
        CHECK(ber_next(&c, &e, &f));
        CHECK(e.truncated);
        n = 0;
        bool joined = ber_join_octets(&e, out, sizeof out, &n, &chunks, &f);
        if (!joined)
            fprintf(stderr, "cut chunk header %zu: join failed with %s at %zu\n", i,
                    scep_error_code_name(f.code), f.offset);
        CHECK(joined);
        CHECK_INT(n, 2);
        CHECK(memcmp(out, "ab", 2) == 0);
        size_t total = 0;
        CHECK(ber_octets_length(&e, &total, &chunks, &f));
        CHECK_INT(total, 2);
    }
}

static void test_overrun_is_bad_length(void)
{
    ber_elem e, inner;
    ber_fault f;
    /* SEQUENCE(3) { OCTET STRING(5) … }: the inner length overruns its parent, while the
     * input goes on. That is a malformed length, not a cut. */
    static const uint8_t overrun[] = {0x30, 0x03, 0x04, 0x05, 'a', 'b', 'c', 'd', 'e'};
    ber_cursor c = cursor(overrun, sizeof overrun);
    CHECK(ber_next(&c, &e, &f));
    CHECK(!e.truncated);
    ber_cursor before = e.contents;
    CHECK(!ber_next(&e.contents, &inner, &f));
    CHECK_INT(f.code, SCEP_ERR_BAD_LENGTH);
    CHECK_INT(f.offset, 2);
    CHECK_UNCHANGED(e.contents, before);

    /* A header cut by its parent's end. */
    static const uint8_t header_cut[] = {0x30, 0x02, 0x04, 0x82, 0x01, 0x00};
    c = cursor(header_cut, sizeof header_cut);
    CHECK(ber_next(&c, &e, &f));
    CHECK(!ber_next(&e.contents, &inner, &f));
    CHECK_INT(f.code, SCEP_ERR_BAD_LENGTH);
    CHECK_INT(f.offset, 2);

    /* An indefinite element whose end-of-contents lies beyond its definite parent. */
    static const uint8_t indef_in_def[] = {0x30, 0x04, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00};
    c = cursor(indef_in_def, sizeof indef_in_def);
    CHECK(ber_next(&c, &e, &f));
    CHECK(!ber_next(&e.contents, &inner, &f));
    CHECK_INT(f.code, SCEP_ERR_BAD_LENGTH);

    /* An inner element overrunning an indefinite parent that is inside a definite one. */
    static const uint8_t deep[] = {0x30, 0x06, 0x30, 0x80, 0x04, 0x09, 'a', 'b', 0, 0, 0, 0, 0, 0};
    c = cursor(deep, sizeof deep);
    CHECK(ber_next(&c, &e, &f));
    CHECK(!ber_next(&e.contents, &inner, &f));
    CHECK_INT(f.code, SCEP_ERR_BAD_LENGTH);
    CHECK_INT(f.offset, 4);
}

/* nest writes |levels| nested SEQUENCEs around a NULL, indefinite or definite. */
static size_t nest(uint8_t *buf, size_t levels, bool indefinite)
{
    size_t n = 0;
    if (indefinite) {
        for (size_t i = 0; i < levels; i++)
            buf[n++] = 0x30, buf[n++] = 0x80;
        buf[n++] = 0x05, buf[n++] = 0x00;
        for (size_t i = 0; i < levels; i++)
            buf[n++] = 0x00, buf[n++] = 0x00;
    } else {
        /* Each level adds 2 header octets; all short-form at these sizes. */
        for (size_t i = 0; i < levels; i++) {
            buf[n++] = 0x30;
            buf[n++] = (uint8_t)(2 * (levels - i - 1) + 2);
        }
        buf[n++] = 0x05, buf[n++] = 0x00;
    }
    return n;
}

/* descend reads the first element at every level; returns the levels read and the fault. */
static size_t descend(const uint8_t *buf, size_t len, ber_fault *f)
{
    ber_cursor c = cursor(buf, len);
    ber_elem e;
    size_t levels = 0;
    while (ber_next(&c, &e, f)) {
        levels++;
        if (!ber_constructed(&e))
            return levels;
        c = e.contents;
    }
    return levels;
}

static void test_depth_limit(void)
{
    static uint8_t buf[8 * 100000 + 8];
    ber_fault f;

    /* SCEP_MAX_DEPTH + 1 nested indefinite SEQUENCEs: the innermost sits at depth
     * SCEP_MAX_DEPTH, one past the limit, and the end-of-contents scan refuses it at its own
     * offset (2 octets a level). */
    size_t n = nest(buf, SCEP_MAX_DEPTH + 1, true);
    expect_fault(buf, n, SCEP_ERR_TOO_DEEP, 2 * SCEP_MAX_DEPTH, __LINE__);
    n = nest(buf, SCEP_MAX_DEPTH + 2, true);
    expect_fault(buf, n, SCEP_ERR_TOO_DEEP, 2 * SCEP_MAX_DEPTH, __LINE__);

    /* SCEP_MAX_DEPTH of them scan fine; descending stops at the NULL inside, exactly where
     * the same nesting in definite lengths stops: both forms share one limit. */
    n = nest(buf, SCEP_MAX_DEPTH, true);
    f.code = SCEP_ERR_NONE;
    CHECK_INT(descend(buf, n, &f), SCEP_MAX_DEPTH);
    CHECK_INT(f.code, SCEP_ERR_TOO_DEEP);
    n = nest(buf, SCEP_MAX_DEPTH, false);
    f.code = SCEP_ERR_NONE;
    CHECK_INT(descend(buf, n, &f), SCEP_MAX_DEPTH);
    CHECK_INT(f.code, SCEP_ERR_TOO_DEEP);

    /* One level fewer is fine all the way down to the NULL. */
    n = nest(buf, SCEP_MAX_DEPTH - 1, true);
    f.code = SCEP_ERR_NONE;
    CHECK_INT(descend(buf, n, &f), SCEP_MAX_DEPTH);
    CHECK_INT(f.code, SCEP_ERR_NONE);

    /* Far deeper than any stack would survive by recursion: refused, not crashed. */
    n = nest(buf, 100000, true);
    expect_fault(buf, n, SCEP_ERR_TOO_DEEP, 2 * SCEP_MAX_DEPTH, __LINE__);

    /* Definite lengths: the limit applies when descending. */
    n = nest(buf, SCEP_MAX_DEPTH + 1, false);
    f.code = SCEP_ERR_NONE;
    size_t levels = descend(buf, n, &f);
    CHECK(levels <= SCEP_MAX_DEPTH);
    CHECK_INT(f.code, SCEP_ERR_TOO_DEEP);
    n = nest(buf, SCEP_MAX_DEPTH - 1, false);
    f.code = SCEP_ERR_NONE;
    CHECK_INT(descend(buf, n, &f), SCEP_MAX_DEPTH);
    CHECK_INT(f.code, SCEP_ERR_NONE);

    /* Constructed OCTET STRINGs nested past the limit (definite, so ber_next accepts the
     * outer one): the join refuses instead of overflowing its stack. */
    size_t levels_os = SCEP_MAX_DEPTH + 8;
    n = 0;
    for (size_t i = 0; i < levels_os; i++) {
        buf[n++] = 0x24;
        buf[n++] = (uint8_t)(2 * (levels_os - i - 1) + 3);
    }
    buf[n++] = 0x04, buf[n++] = 0x01, buf[n++] = 'z';
    ber_cursor c = cursor(buf, n);
    ber_elem e;
    CHECK(ber_next(&c, &e, &f));
    uint8_t out[8];
    size_t joined, chunks;
    CHECK(!ber_join_octets(&e, out, sizeof out, &joined, &chunks, &f));
    CHECK_INT(f.code, SCEP_ERR_TOO_DEEP);
}

static void test_capacity(void)
{
    ber_elem e;
    ber_fault f;
    uint8_t out[8];
    size_t n = 0, chunks = 0;
    static const uint8_t two_chunks[] = {0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x04, 0x02, 'c', 'd', 0x00, 0x00};
    ber_cursor c = cursor(two_chunks, sizeof two_chunks);
    CHECK(ber_next(&c, &e, &f));
    memset(out, 0xEE, sizeof out);
    CHECK(!ber_join_octets(&e, out, 3, &n, &chunks, &f));
    CHECK_INT(f.code, SCEP_ERR_CAPACITY);
    CHECK_INT(f.offset, 6); /* the chunk that did not fit */
    CHECK_INT(n, 3);
    CHECK(memcmp(out, "abc", 3) == 0);
    CHECK_INT(out[3], 0xEE);
    CHECK(!ber_join_octets(&e, NULL, 0, &n, &chunks, &f));
    CHECK_INT(f.code, SCEP_ERR_CAPACITY);
    CHECK_INT(n, 0);
    /* Exactly enough room. */
    CHECK(ber_join_octets(&e, out, 4, &n, &chunks, &f));
    CHECK_INT(n, 4);

    static const uint8_t prim[] = {0x04, 0x03, 'a', 'b', 'c'};
    c = cursor(prim, sizeof prim);
    CHECK(ber_next(&c, &e, &f));
    memset(out, 0xEE, sizeof out);
    CHECK(!ber_join_octets(&e, out, 2, &n, &chunks, &f));
    CHECK_INT(f.code, SCEP_ERR_CAPACITY);
    CHECK_INT(n, 2);
    CHECK_INT(out[2], 0xEE);

    /* More chunks than SCEP_MAX_CHUNKS: 24 80, then empty 04 00 chunks, then 00 00. */
    static uint8_t many[2 + 2 * (SCEP_MAX_CHUNKS + 1) + 2];
    size_t len = 0;
    many[len++] = 0x24, many[len++] = 0x80;
    for (size_t i = 0; i < SCEP_MAX_CHUNKS + 1; i++)
        many[len++] = 0x04, many[len++] = 0x00;
    many[len++] = 0x00, many[len++] = 0x00;
    c = cursor(many, len);
    CHECK(ber_next(&c, &e, &f));
    CHECK(!ber_join_octets(&e, out, sizeof out, &n, &chunks, &f));
    CHECK_INT(f.code, SCEP_ERR_CAPACITY);
    CHECK_INT(f.offset, 2 + 2 * SCEP_MAX_CHUNKS);
    size_t total;
    CHECK(!ber_octets_length(&e, &total, &chunks, &f));
    CHECK_INT(f.code, SCEP_ERR_CAPACITY);
    /* SCEP_MAX_CHUNKS exactly is allowed. */
    many[2 + 2 * SCEP_MAX_CHUNKS] = 0x00; /* the last chunk becomes the end-of-contents */
    c = cursor(many, 2 + 2 * SCEP_MAX_CHUNKS + 2);
    CHECK(ber_next(&c, &e, &f));
    CHECK(ber_octets_length(&e, &total, &chunks, &f));
    CHECK_INT(chunks, SCEP_MAX_CHUNKS);
    CHECK_INT(total, 0);
}

static void test_tagged_and_integers(void)
{
    ber_elem e;
    ber_fault f;
    static const uint8_t seq[] = {0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0xFF,
                                  0x02, 0x00, 0x02, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    ber_cursor c = cursor(seq, sizeof seq), before = c;
    CHECK(!ber_next_tagged(&c, BER_OCTET_STRING, &e, &f));
    CHECK_INT(f.code, SCEP_ERR_UNEXPECTED_TAG);
    CHECK_INT(f.offset, 0);
    CHECK_UNCHANGED(c, before);

    long v = 0;
    CHECK(ber_next_tagged(&c, BER_INTEGER, &e, &f));
    CHECK(ber_read_small_int(&e, &v));
    CHECK_INT(v, 128);
    scep_span mag = ber_integer_magnitude(&e);
    CHECK_SPAN_HEX(mag, "80");
    CHECK_INT(mag.offset, 3);

    CHECK(ber_next_tagged(&c, BER_INTEGER, &e, &f));
    CHECK(ber_read_small_int(&e, &v));
    CHECK_INT(v, -1);
    CHECK_SPAN_HEX(ber_integer_magnitude(&e), "ff");

    CHECK(ber_next_tagged(&c, BER_INTEGER, &e, &f));
    CHECK(!ber_read_small_int(&e, &v)); /* no contents */
    CHECK(ber_next_tagged(&c, BER_INTEGER, &e, &f));
    CHECK(!ber_read_small_int(&e, &v)); /* wider than a long */
    CHECK(ber_empty(&c));
}

/* parse_time wraps |text| in a primitive element of |tag| and parses it. */
static bool parse_time(uint8_t tag, const char *text, int64_t *seconds)
{
    uint8_t buf[64];
    size_t n = strlen(text);
    buf[0] = tag;
    buf[1] = (uint8_t)n;
    memcpy(buf + 2, text, n);
    ber_cursor c = cursor(buf, n + 2);
    ber_elem e;
    ber_fault f;
    if (!ber_next(&c, &e, &f))
        return false;
    return ber_parse_time(&e, seconds);
}

static void test_times(void)
{
    static const struct {
        uint8_t tag;
        const char *text;
        int64_t want;
    } good[] = {
        {0x17, "250102030405Z", 1735787045},        /* 2025-01-02 03:04:05 */
        {0x17, "2501020304Z", 1735787040},          /* seconds omitted (BER) */
        {0x17, "250102030405+0130", 1735781645},    /* = 2025-01-02 01:34:05 UTC */
        {0x17, "250102030405-0800", 1735815845},    /* = 2025-01-02 11:04:05 UTC */
        {0x17, "491231235959Z", 2524607999},        /* 2049: RFC 5280's pivot */
        {0x17, "500101000000Z", -631152000},        /* 1950 */
        {0x17, "700101000000Z", 0},
        {0x18, "20250102030405Z", 1735787045},
        {0x18, "20250102030405.123Z", 1735787045},  /* fraction ignored */
        {0x18, "20250102030405,5Z", 1735787045},
        {0x18, "20240229120000Z", 1709208000},      /* leap day */
        {0x18, "20161231235960Z", 1483228799 + 1},  /* a leap second counts as :59 + 1 */
        {0x18, "99991231235959Z", 253402300799},
        {0x17, "240229120000Z", 1709208000},       /* date -u -d '2024-02-29 12:00:00' +%s */
        {0x18, "20000229000000Z", 951782400},      /* date -u -d '2000-02-29' +%s */
        {0x18, "16000301000000Z", -11670912000},
        {0x18, "202501020304Z", 1735787040},
        {0x18, "20250102030405+0130", 1735781645},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t s = 12345;
        bool ok = parse_time(good[i].tag, good[i].text, &s);
        if (!ok || s != good[i].want)
            fprintf(stderr, "time %s\n", good[i].text);
        CHECK(ok);
        CHECK_INT(s, good[i].want);
    }

    static const struct {
        uint8_t tag;
        const char *text;
    } bad[] = {
        {0x17, "250102030405"},      /* UTCTime must name its zone */
        {0x17, "251302030405Z"},     /* month 13 */
        {0x17, "250100030405Z"},     /* day 0 */
        {0x17, "250102240000Z"},     /* hour 24 */
        {0x17, "250102036000Z"},     /* minute 60 */
        {0x17, "2501020304056Z"},
        {0x17, "25010203040Z"},
        {0x17, "250102030405Zx"},    /* trailing bytes */
        {0x17, "2501a2030405Z"},
        {0x17, "250102030405+01"},   /* cut offset */
        {0x17, "25010203"},
        {0x17, ""},
        {0x18, "2025010203"},
        {0x18, "20250102030405.123X"},
        {0x04, "250102030405Z"},     /* not a time type */
        {0x17, "250230000000Z"},     /* 30 February */
        {0x17, "230229000000Z"},     /* 29 February of a common year */
        {0x18, "21000229000000Z"},   /* 2100 is not a leap year (divisible by 100) */
        {0x17, "250431000000Z"},     /* 31 April */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t s = 0;
        bool ok = parse_time(bad[i].tag, bad[i].text, &s);
        if (ok)
            fprintf(stderr, "time accepted: %s\n", bad[i].text);
        CHECK(!ok);
    }

    /* A constructed UTCTime (legal BER, never seen in SCEP) is refused, not misread. */
    static const uint8_t cons[] = {0x37, 0x0F, 0x04, 0x0D, '2', '5', '0', '1', '0', '2', '0',
                                   '3', '0', '4', '0', '5', 'Z'};
    ber_cursor c = cursor(cons, sizeof cons);
    ber_elem e;
    ber_fault f;
    int64_t s;
    CHECK(ber_next(&c, &e, &f));
    CHECK(!ber_parse_time(&e, &s));
}

/* Universal tag 0 is end-of-contents only: out of place as 00 00, malformed otherwise. */
static void test_tag_zero(void)
{
    static const uint8_t eoc[] = {0x00, 0x00};
    static const uint8_t tag0[] = {0x00, 0x01, 0x41};
    expect_fault(eoc, sizeof eoc, SCEP_ERR_UNEXPECTED_TAG, 0, __LINE__);
    expect_fault(tag0, sizeof tag0, SCEP_ERR_BAD_TAG, 0, __LINE__);
}

static void test_errors_list(void)
{
    scep_errors errs;
    memset(&errs, 0, sizeof errs);
    for (size_t i = 0; i < SCEP_MAX_ERRORS + 3; i++)
        scep_errors_add(&errs, SCEP_ERR_BAD_VALUE, SCEP_SRC_INPUT, i, "x");
    CHECK_INT(errs.count, SCEP_MAX_ERRORS);
    CHECK_INT(errs.dropped, 3);
    CHECK_INT(errs.items[SCEP_MAX_ERRORS - 1].offset, SCEP_MAX_ERRORS - 1);
    CHECK_STR(scep_error_code_name(SCEP_ERR_TRUNCATED), "truncated");
    CHECK_STR(scep_error_code_name(SCEP_ERR_BAD_LENGTH), "bad-length");
    CHECK_STR(scep_error_code_name((scep_error_code)99), "unknown");
}

int main(void)
{
    test_short_and_long_lengths();
    test_long_form_tags();
    test_indefinite();
    test_constructed_octets();
    test_wrong_chunks();
    test_truncation();
    test_overrun_is_bad_length();
    test_depth_limit();
    test_capacity();
    test_tagged_and_integers();
    test_times();
    test_tag_zero();
    test_errors_list();
    return check_report("test_ber");
}
