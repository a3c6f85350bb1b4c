import Glibc

/// A growable byte buffer whose storage is aligned to `LogFormat.blockSize`, so a frame built
/// in it can be written with O_DIRECT (which needs aligned memory, offsets and lengths).
/// Confined to the writer queue.
final class AlignedBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int = 1 << 20) {
        self.capacity = Self.roundUp(max(capacity, LogFormat.blockSize))
        base = Self.allocate(self.capacity)
    }

    deinit { free(base) }

    func reset() { count = 0 }

    /// Makes room for `extra` more bytes.
    func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity
        while newCapacity < count + extra { newCapacity *= 2 }
        let newBase = Self.allocate(newCapacity)
        newBase.copyMemory(from: base, byteCount: count)
        free(base)
        base = newBase
        capacity = newCapacity
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    func appendInteger<T: FixedWidthInteger>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        (base + count).storeBytes(of: value.littleEndian, as: T.self)
        count += MemoryLayout<T>.size
    }

    func appendString(_ text: String?) {
        guard var text else {
            appendInteger(LogFormat.absent)
            return
        }
        text.withUTF8 { bytes in
            appendInteger(UInt32(bytes.count))
            append(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Overwrites a fixed-width integer written earlier (frame headers are filled in last).
    func patchInteger<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        precondition(offset + MemoryLayout<T>.size <= count)
        (base + offset).storeBytes(of: value.littleEndian, as: T.self)
    }

    /// Zero bytes up to the next block boundary.
    func padToBlock() {
        let padded = Self.roundUp(count)
        reserve(padded - count)
        (base + count).initializeMemory(as: UInt8.self, repeating: 0, count: padded - count)
        count = padded
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    static func roundUp(_ value: Int) -> Int {
        (value + LogFormat.blockSize - 1) / LogFormat.blockSize * LogFormat.blockSize
    }

    private static func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, LogFormat.blockSize, size) == 0, let pointer else {
            fatalError("out of memory allocating a \(size)-byte log buffer")
        }
        return pointer
    }
}
