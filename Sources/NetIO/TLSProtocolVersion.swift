import COpenSSL

/// TLS protocol versions, for bounding what a context negotiates.
public enum TLSProtocolVersion: Sendable, Equatable, Comparable {
    case tls1_0, tls1_1, tls1_2, tls1_3

    var openSSLValue: Int32 {
        switch self {
        case .tls1_0: TLS1_VERSION
        case .tls1_1: TLS1_1_VERSION
        case .tls1_2: TLS1_2_VERSION
        case .tls1_3: TLS1_3_VERSION
        }
    }
}
