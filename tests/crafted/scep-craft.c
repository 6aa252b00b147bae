/*
 * scep-craft: build crafted SCEP (RFC 8894) messages with OpenSSL, for the
 * captures/ corpus.  TEST HELPER ONLY: everything it writes is "crafted" and
 * is marked as such in captures/README.md.  It exists to produce what no real
 * peer on the build machine produces (PENDING/CertPoll, GetCert, GetCRL,
 * failInfoText, AES-256 envelopes, iOS-style BER encodings).
 *
 * Build: cc -O2 -o scep-craft scep-craft.c -lcrypto
 *
 * Usage:
 *   scep-craft pkimsg --signer-cert C.pem --signer-key K.pem --type N
 *         [--status S] [--failinfo F] [--failinfotext TEXT]
 *         [--tid STR] [--snonce HEX] [--rnonce HEX]
 *         [--md sha1|sha256|sha512] [--extra-cert C.pem]...
 *         [--content FILE --recip CERT.pem [--recip ...] [--cipher NAME]]
 *         [--ber CHUNK] --out FILE
 *       Writes a pkiMessage (ContentInfo/SignedData, DER unless --ber).
 *       With --content, FILE (DER) is enveloped (EnvelopedData, key
 *       transport to each --recip) and the envelope becomes the signed
 *       content.  Without --content the SignedData carries no eContent (as
 *       CertRep FAILURE/PENDING).  --ber CHUNK writes BER as iOS does:
 *       indefinite lengths on ContentInfo, SignedData and the encapsulated
 *       content, and the content as a constructed OCTET STRING whose chunks
 *       are CHUNK bytes long.
 *   scep-craft ias --cert C.pem --out FILE
 *       IssuerAndSerialNumber of C (GetCert / GetCRL content).
 *   scep-craft iasubj --issuer-cert CA.pem --csr REQ.pem --out FILE
 *       IssuerAndSubject (CertPoll content): CA's subject + CSR's subject.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

static void die(const char *msg)
{
	fprintf(stderr, "scep-craft: %s\n", msg);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static X509 *load_cert(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	X509 *x;
	if (b == NULL)
		die(path);
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (x == NULL) {
		BIO_free(b);
		b = BIO_new_file(path, "rb");
		x = d2i_X509_bio(b, NULL);
	}
	BIO_free(b);
	if (x == NULL)
		die(path);
	return x;
}

static EVP_PKEY *load_key(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	EVP_PKEY *k;
	if (b == NULL)
		die(path);
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (k == NULL)
		die(path);
	return k;
}

static unsigned char *read_file(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	if (f == NULL)
		die(path);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(*len ? *len : 1);
	if (buf == NULL || fread(buf, 1, *len, f) != (size_t)*len)
		die(path);
	fclose(f);
	return buf;
}

static void write_file(const char *path, const unsigned char *p, long len)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, len, f) != (size_t)len)
		die(path);
	fclose(f);
}

static unsigned char *hex2bin(const char *hex, long *len)
{
	unsigned char *b = OPENSSL_hexstr2buf(hex, len);
	if (b == NULL)
		die("bad hex nonce");
	return b;
}

static void add_str_attr(CMS_SignerInfo *si, const char *oid, int type,
			 const unsigned char *v, int len)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	if (o == NULL || !CMS_signed_add1_attr_by_OBJ(si, o, type, v, len))
		die("cannot add attribute");
	ASN1_OBJECT_free(o);
}

static int cmd_pkimsg(int argc, char **argv)
{
	const char *signer_cert = NULL, *signer_key = NULL, *type = NULL,
		   *status = NULL, *failinfo = NULL, *failinfotext = NULL,
		   *tid = NULL, *snonce = NULL, *rnonce = NULL, *md = "sha256",
		   *content = NULL, *cipher = "des-ede3-cbc", *out = NULL;
	const char *extra[8], *recip[8];
	int n_extra = 0, n_recip = 0, ber_chunk = 0, i;
	STACK_OF(X509) *certs = sk_X509_new_null(), *rcerts = sk_X509_new_null();
	unsigned char *payload = NULL;
	long payload_len = 0;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	X509 *scert;
	EVP_PKEY *skey;
	unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = (i + 1 < argc) ? argv[i + 1] : NULL;
		if (v == NULL)
			die("option needs a value");
		i++;
		if (!strcmp(a, "--signer-cert")) signer_cert = v;
		else if (!strcmp(a, "--signer-key")) signer_key = v;
		else if (!strcmp(a, "--type")) type = v;
		else if (!strcmp(a, "--status")) status = v;
		else if (!strcmp(a, "--failinfo")) failinfo = v;
		else if (!strcmp(a, "--failinfotext")) failinfotext = v;
		else if (!strcmp(a, "--tid")) tid = v;
		else if (!strcmp(a, "--snonce")) snonce = v;
		else if (!strcmp(a, "--rnonce")) rnonce = v;
		else if (!strcmp(a, "--md")) md = v;
		else if (!strcmp(a, "--content")) content = v;
		else if (!strcmp(a, "--cipher")) cipher = v;
		else if (!strcmp(a, "--out")) out = v;
		else if (!strcmp(a, "--ber")) ber_chunk = atoi(v);
		else if (!strcmp(a, "--extra-cert") && n_extra < 8) extra[n_extra++] = v;
		else if (!strcmp(a, "--recip") && n_recip < 8) recip[n_recip++] = v;
		else die("unknown option");
	}
	if (!signer_cert || !signer_key || !type || !out)
		die("pkimsg needs --signer-cert --signer-key --type --out");

	/* pkcsPKIEnvelope */
	if (content != NULL) {
		long clen;
		unsigned char *cdata = read_file(content, &clen);
		BIO *in = BIO_new_mem_buf(cdata, (int)clen);
		const EVP_CIPHER *c = EVP_get_cipherbyname(cipher);
		CMS_ContentInfo *env;
		if (c == NULL)
			die("unknown cipher");
		if (n_recip == 0)
			die("--content needs --recip");
		for (i = 0; i < n_recip; i++)
			sk_X509_push(rcerts, load_cert(recip[i]));
		env = CMS_encrypt(rcerts, in, c, CMS_BINARY);
		if (env == NULL)
			die("CMS_encrypt failed");
		payload_len = i2d_CMS_ContentInfo(env, &payload);
		if (payload_len <= 0)
			die("i2d envelope");
		CMS_ContentInfo_free(env);
		BIO_free(in);
	}

	scert = load_cert(signer_cert);
	skey = load_key(signer_key);
	for (i = 0; i < n_extra; i++)
		sk_X509_push(certs, load_cert(extra[i]));
	if (content == NULL)
		flags |= CMS_DETACHED;
	if (ber_chunk > 0)
		flags |= CMS_STREAM;
	cms = CMS_sign(NULL, NULL, certs, NULL, flags);
	if (cms == NULL)
		die("CMS_sign");
	si = CMS_add1_signer(cms, scert, skey, EVP_get_digestbyname(md),
			     CMS_BINARY | CMS_NOSMIMECAP);
	if (si == NULL)
		die("CMS_add1_signer");

	add_str_attr(si, "2.16.840.1.113733.1.9.2", V_ASN1_PRINTABLESTRING,
		     (const unsigned char *)type, (int)strlen(type));
	if (status)
		add_str_attr(si, "2.16.840.1.113733.1.9.3", V_ASN1_PRINTABLESTRING,
			     (const unsigned char *)status, (int)strlen(status));
	if (failinfo)
		add_str_attr(si, "2.16.840.1.113733.1.9.4", V_ASN1_PRINTABLESTRING,
			     (const unsigned char *)failinfo, (int)strlen(failinfo));
	if (failinfotext)
		add_str_attr(si, "1.3.6.1.5.5.7.24.1", V_ASN1_UTF8STRING,
			     (const unsigned char *)failinfotext,
			     (int)strlen(failinfotext));
	if (snonce) {
		long l;
		unsigned char *b = hex2bin(snonce, &l);
		add_str_attr(si, "2.16.840.1.113733.1.9.5", V_ASN1_OCTET_STRING, b, (int)l);
		OPENSSL_free(b);
	}
	if (rnonce) {
		long l;
		unsigned char *b = hex2bin(rnonce, &l);
		add_str_attr(si, "2.16.840.1.113733.1.9.6", V_ASN1_OCTET_STRING, b, (int)l);
		OPENSSL_free(b);
	}
	if (tid)
		add_str_attr(si, "2.16.840.1.113733.1.9.7", V_ASN1_PRINTABLESTRING,
			     (const unsigned char *)tid, (int)strlen(tid));

	if (ber_chunk > 0) {
		/* Streaming output: indefinite lengths + chunked constructed
		 * OCTET STRING, one chunk per BIO_write. */
		BIO *o = BIO_new_file(out, "wb");
		BIO *s;
		long off;
		if (o == NULL)
			die(out);
		s = BIO_new_CMS(o, cms);
		if (s == NULL)
			die("BIO_new_CMS");
		for (off = 0; off < payload_len; off += ber_chunk) {
			long n = payload_len - off;
			if (n > ber_chunk)
				n = ber_chunk;
			if (BIO_write(s, payload + off, (int)n) != n)
				die("BIO_write");
		}
		if (BIO_flush(s) <= 0)
			die("BIO_flush");
		while (s != NULL && s != o) {
			BIO *next = BIO_pop(s);
			BIO_free(s);
			s = next;
		}
		BIO_free(o);
	} else {
		BIO *in = BIO_new_mem_buf(payload ? payload : (unsigned char *)"",
					  (int)payload_len);
		unsigned char *der = NULL;
		int dlen;
		if (!CMS_final(cms, in, NULL, CMS_BINARY))
			die("CMS_final");
		dlen = i2d_CMS_ContentInfo(cms, &der);
		if (dlen <= 0)
			die("i2d_CMS_ContentInfo");
		write_file(out, der, dlen);
		OPENSSL_free(der);
		BIO_free(in);
	}
	CMS_ContentInfo_free(cms);
	return 0;
}

static int cmd_ias(int argc, char **argv)
{
	const char *cert = NULL, *out = NULL;
	PKCS7_ISSUER_AND_SERIAL *ias;
	X509 *x;
	unsigned char *der = NULL;
	int i, len;
	for (i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--cert")) cert = argv[i + 1];
		else if (!strcmp(argv[i], "--out")) out = argv[i + 1];
		else die("unknown option");
	}
	if (!cert || !out)
		die("ias needs --cert --out");
	x = load_cert(cert);
	ias = PKCS7_ISSUER_AND_SERIAL_new();
	X509_NAME_set(&ias->issuer, X509_get_issuer_name(x));
	ASN1_INTEGER_free(ias->serial);
	ias->serial = ASN1_INTEGER_dup(X509_get0_serialNumber(x));
	len = i2d_PKCS7_ISSUER_AND_SERIAL(ias, &der);
	if (len <= 0)
		die("i2d IssuerAndSerialNumber");
	write_file(out, der, len);
	return 0;
}

static int cmd_iasubj(int argc, char **argv)
{
	const char *issuer = NULL, *csr = NULL, *out = NULL;
	unsigned char *a = NULL, *b = NULL, *buf, *p;
	int i, la, lb, total;
	X509_REQ *req;
	BIO *bio;
	for (i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--issuer-cert")) issuer = argv[i + 1];
		else if (!strcmp(argv[i], "--csr")) csr = argv[i + 1];
		else if (!strcmp(argv[i], "--out")) out = argv[i + 1];
		else die("unknown option");
	}
	if (!issuer || !csr || !out)
		die("iasubj needs --issuer-cert --csr --out");
	bio = BIO_new_file(csr, "r");
	req = bio ? PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL) : NULL;
	if (req == NULL)
		die(csr);
	la = i2d_X509_NAME(X509_get_subject_name(load_cert(issuer)), &a);
	lb = i2d_X509_NAME(X509_REQ_get_subject_name(req), &b);
	if (la <= 0 || lb <= 0)
		die("i2d name");
	total = ASN1_object_size(1, la + lb, V_ASN1_SEQUENCE);
	buf = p = malloc(total);
	ASN1_put_object(&p, 1, la + lb, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
	memcpy(p, a, la);
	memcpy(p + la, b, lb);
	write_file(out, buf, total);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: scep-craft pkimsg|ias|iasubj [options]\n");
		return 2;
	}
	if (!strcmp(argv[1], "pkimsg"))
		return cmd_pkimsg(argc - 2, argv + 2);
	if (!strcmp(argv[1], "ias"))
		return cmd_ias(argc - 2, argv + 2);
	if (!strcmp(argv[1], "iasubj"))
		return cmd_iasubj(argc - 2, argv + 2);
	fprintf(stderr, "scep-craft: unknown command %s\n", argv[1]);
	return 2;
}
