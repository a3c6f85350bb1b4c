/// How much sharing each entity says that two findings belong to one incident, and the bar a
/// score must clear (seed 6.1: "score > 0.7").
///
/// The score of two findings is the noisy-OR of the weights of the entities they share:
/// `score = 1 − Π(1 − w_e)`, each shared entity an independent piece of evidence. Why these
/// defaults, thinking as a SOC analyst triaging a queue:
/// - `source.ip` 0.75: the actor. Two alerts from one attacking (or one compromised, beaconing)
///   address within five minutes are one campaign; alone it clears 0.7.
/// - `user.name` 0.55: an identity; strong, but service accounts appear in many unrelated alerts.
/// - `host.name` 0.5: the asset; a busy server produces unrelated alerts all day.
/// - `destination.ip` 0.45: the target; often shared infrastructure (DNS, proxies, domain
///   controllers), the weakest single link.
/// No entity but the source clears the bar alone; any two do (the weakest pair, host and
/// destination, scores 1 − 0.5 × 0.55 = 0.725), so "one shared host alone does not join, host and
/// user do". Sharing all four always joins (see `CorrelationScore`); sharing none scores 0 and
/// never joins.
///
/// Weights and threshold are kept in thousandths and compared in integers, so a score exactly
/// at the threshold is decided exactly (it does not join) instead of by floating-point luck.
public struct CorrelationWeights: Sendable, Equatable {
    public var sourceIP: Double
    public var destinationIP: Double
    public var userName: Double
    public var hostName: Double
    /// A pair joins when its score is strictly above this.
    public var threshold: Double

    public init(sourceIP: Double = 0.75, destinationIP: Double = 0.45, userName: Double = 0.55, hostName: Double = 0.5,
                threshold: Double = 0.7) {
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.userName = userName
        self.hostName = hostName
        self.threshold = threshold
    }

    public static let `default` = CorrelationWeights()

    public func weight(_ kind: EntityKind) -> Double {
        switch kind {
        case .sourceIP: sourceIP
        case .destinationIP: destinationIP
        case .userName: userName
        case .hostName: hostName
        }
    }

    /// 0...1000, rounded: `0.7` is exactly 700.
    func permille(_ kind: EntityKind) -> Int64 { Self.permille(weight(kind)) }
    var thresholdPermille: Int64 { Self.permille(threshold) }

    static func permille(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        return Int64((min(max(value, 0), 1) * 1000).rounded())
    }
}
