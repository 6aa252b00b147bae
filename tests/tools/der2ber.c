/* der2ber — re-encodes a DER file as BER the way iOS sends pkiMessages: indefinite lengths
 * on the outer constructed elements and long OCTET STRINGs split into a constructed string
 * of chunks. Test tooling: it makes crafted vectors from real DER messages, so the tests can
 * check that BER and DER decode to the same facts. It has its own minimal DER reader on
 * purpose: it must not share code with the decoder it is used to test.
 *
 * usage: der2ber [-d MAX_DEPTH] [-m CHUNK_MIN] [-c CHUNK_SIZE] IN OUT
 *   constructed elements at depth < MAX_DEPTH (default 5) get indefinite lengths;
 *   primitive OCTET STRINGs of at least CHUNK_MIN octets (default 1024) are cut into
 *   CHUNK_SIZE-octet chunks (default 512). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int max_depth = 5;
static size_t chunk_min = 1024, chunk_size = 512;
static FILE *out;

static void put_length(size_t n)
{
    if (n < 0x80) {
        fputc((int)n, out);
        return;
    }
    unsigned char digits[sizeof n];
    int count = 0;
    while (n) {
        digits[count++] = (unsigned char)(n & 0xFF);
        n >>= 8;
    }
    fputc(0x80 | count, out);
    while (count)
        fputc(digits[--count], out);
}

/* reencode writes the DER elements in p[0..len) as BER. Returns 0, or -1 on bad DER. */
static int reencode(const unsigned char *p, size_t len, int depth)
{
    size_t pos = 0;
    while (pos < len) {
        if (len - pos < 2)
            return -1;
        unsigned char id = p[pos];
        if ((id & 0x1F) == 0x1F)
            return -1; /* no long-form tags in SCEP's DER */
        size_t hdr = 2, n = p[pos + 1];
        if (n & 0x80) {
            size_t bytes = n & 0x7F;
            if (bytes == 0 || bytes > 4 || len - pos < 2 + bytes)
                return -1;
            n = 0;
            for (size_t i = 0; i < bytes; i++)
                n = n << 8 | p[pos + 2 + i];
            hdr += bytes;
        }
        if (n > len - pos - hdr)
            return -1;
        const unsigned char *body = p + pos + hdr;
        if ((id & 0x20) && depth < max_depth) {
            fputc(id, out);
            fputc(0x80, out);
            if (reencode(body, n, depth + 1))
                return -1;
            fputc(0, out);
            fputc(0, out);
        } else if (id == 0x04 && n >= chunk_min) {
            fputc(0x24, out);
            fputc(0x80, out);
            for (size_t off = 0; off < n; off += chunk_size) {
                size_t piece = n - off < chunk_size ? n - off : chunk_size;
                fputc(0x04, out);
                put_length(piece);
                fwrite(body + off, 1, piece, out);
            }
            fputc(0, out);
            fputc(0, out);
        } else {
            fwrite(p + pos, 1, hdr + n, out);
        }
        pos += hdr + n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int opt = 1;
    for (; opt + 1 < argc && argv[opt][0] == '-'; opt += 2) {
        if (!strcmp(argv[opt], "-d"))
            max_depth = atoi(argv[opt + 1]);
        else if (!strcmp(argv[opt], "-m"))
            chunk_min = (size_t)atol(argv[opt + 1]);
        else if (!strcmp(argv[opt], "-c"))
            chunk_size = (size_t)atol(argv[opt + 1]);
    }
    if (argc - opt != 2 || chunk_size == 0) {
        fprintf(stderr, "usage: der2ber [-d MAX_DEPTH] [-m CHUNK_MIN] [-c CHUNK_SIZE] IN OUT\n");
        return 2;
    }
    FILE *in = fopen(argv[opt], "rb");
    if (!in) {
        perror(argv[opt]);
        return 2;
    }
    static unsigned char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, in);
    fclose(in);
    out = fopen(argv[opt + 1], "wb");
    if (!out) {
        perror(argv[opt + 1]);
        return 2;
    }
    if (reencode(buf, len, 0)) {
        fprintf(stderr, "der2ber: %s is not DER this tool can read\n", argv[opt]);
        return 1;
    }
    return fclose(out) ? 1 : 0;
}
