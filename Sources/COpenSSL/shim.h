#ifndef MWRASP_COPENSSL_SHIM_H
#define MWRASP_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

// OpenSSL exposes these as macros over SSL_CTX_ctrl / SSL_ctrl; Swift cannot import macros.
static inline long mwrasp_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long mwrasp_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline long mwrasp_SSL_CTX_set_options(SSL_CTX *ctx, unsigned long options) {
    return SSL_CTX_set_options(ctx, options);
}
static inline long mwrasp_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}
static inline long mwrasp_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long mwrasp_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}

// SSL_OP_* are built with the function-like SSL_OP_BIT macro, which Swift cannot import.
static inline uint64_t mwrasp_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }
static inline uint64_t mwrasp_SSL_OP_CIPHER_SERVER_PREFERENCE(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }
static inline uint64_t mwrasp_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t mwrasp_SSL_OP_IGNORE_UNEXPECTED_EOF(void) { return SSL_OP_IGNORE_UNEXPECTED_EOF; }

// XN_FLAG_ONELINE is a composite of casts Swift does not import.
static inline unsigned long mwrasp_XN_FLAG_ONELINE(void) { return XN_FLAG_ONELINE; }
#endif
