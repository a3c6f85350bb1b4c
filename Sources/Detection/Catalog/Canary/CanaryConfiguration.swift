/// Where canaries point: the public base URL of MWRASP's `/c/{token}` endpoint and the DNS
/// zone delegated to MWRASP (or watched in DNS logs) for hostname canaries.
public struct CanaryConfiguration: Sendable, Codable, Equatable {
    public var baseURL: String
    public var domain: String

    public init(baseURL: String, domain: String) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.domain = domain.hasPrefix(".") ? String(domain.dropFirst()) : domain
    }

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url"
        case domain
    }
}
