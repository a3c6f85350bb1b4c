import Foundation
import Testing
@testable import Storage

@Suite struct KeyFilterTests {
    @Test func answersNeverSeenForAbsentKeysAndMaybeForInsertedOnes() {
        let filter = KeyFilter(bits: 1 << 20)
        let inserted = (0..<1000).map { KeyHash(.eventID, "id-\($0)") }
        for hash in inserted { filter.insert(hash) }
        #expect(inserted.allSatisfy { filter.mightContain($0) })
        let falsePositives = (0..<10_000).filter { filter.mightContain(KeyHash(.eventID, "other-\($0)")) }.count
        #expect(falsePositives < 100)
    }

    /// The writer makes the filter's pages resident ahead of the keys (a page fault per key on
    /// the writer's path otherwise); populating keeps every bit already set. 32 MiB: above
    /// glibc's largest mmap threshold, so the bits are a fresh mapping whose pages are not
    /// resident until touched (residency read with mincore).
    @Test func populatingMakesThePagesResidentAndKeepsTheBits() throws {
        let filter = KeyFilter(bits: 1 << 28)
        let hash = KeyHash(.eventID, "before-populate")
        filter.insert(hash)
        let pages = filter.pages
        #expect(pages.length >= (32 << 20) - 8192)
        #expect(try Self.residentFraction(pages) < 0.5)
        pages.populate()
        #expect(try Self.residentFraction(pages) == 1)
        #expect(filter.mightContain(hash))
    }

    private static func residentFraction(_ pages: KeyFilter.PageRange) throws -> Double {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (pages.length + pageSize - 1) / pageSize)
        let address = try #require(UnsafeMutableRawPointer(bitPattern: pages.start))
        #expect(mincore(address, pages.length, &vector) == 0)
        return Double(vector.filter { $0 & 1 == 1 }.count) / Double(vector.count)
    }
}
