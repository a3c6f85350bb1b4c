/// The on-disk layout of the event log (see `EventLog`).
///
/// A segment file is a sequence of frames, each starting on a 4 KiB boundary (O_DIRECT writes
/// whole aligned blocks; the tail of a frame's last block is zero padding). A frame is one group
/// commit:
///
///     magic "MWL1" u32 | payload length u32 | checksum of payload u32 | entry count u32 |
///     frame position i64 | reserved 8 bytes | payload (entries)
///
/// Positions are global byte offsets across segments; a segment is named by the position of
/// its first byte, so a position finds its file by binary search. The frame's own position in
/// the header means a stale frame can never be mistaken for the next one. All integers are
/// little-endian; the checksum is the low 32 bits of the payload's XXH64. Recovery stops at the
/// first frame whose magic, position or checksum does not check
/// out: that is a write torn by a crash, never acknowledged (the ack follows the synchronous
/// write). Past the last frame a segment holds zeros (it is zero-filled ahead of the frames),
/// which read as the end.
enum LogFormat {
    static let blockSize = 4096
    static let magic: UInt32 = 0x314C_574D  // "MWL1"
    static let headerSize = 32
    /// A string or optional integer that is absent.
    static let absent: UInt32 = .max
    /// Past this size the writer starts a new segment (at a frame boundary).
    static let segmentBytes: Int64 = 256 << 20
    /// Entry types.
    static let eventEntry: UInt8 = 1
    static let alertEntry: UInt8 = 2
    static let idempotencyEntry: UInt8 = 3
}
