import COpenSSL

/// Text forms of certificate fields, for logs and for identifying mTLS clients.
enum OpenSSLX509 {
    /// The subject in OpenSSL's one-line form, e.g. "O = MWRASP, CN = ingest-agent".
    static func subjectOneLine(_ certificate: OpaquePointer) -> String? {
        guard let name = X509_get_subject_name(certificate) else { return nil }
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, mwrasp_XN_FLAG_ONELINE()) >= 0 else { return nil }
        return readAll(bio)
    }

    private static func readAll(_ bio: OpaquePointer) -> String {
        let length = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: length)
        let read = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(length)) }
        return String(decoding: bytes.prefix(max(0, Int(read))), as: UTF8.self)
    }
}
