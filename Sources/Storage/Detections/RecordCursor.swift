/// The cursor of detection and incident pages: the id of the last record of a page.
enum RecordCursor {
    private static let prefix = "r1:"

    static func encode(_ id: String) -> String {
        OpaqueCursor.encode(id, prefix: prefix)
    }

    static func decode(_ cursor: String) throws(StoreError) -> String {
        guard let key = OpaqueCursor.decode(cursor, prefix: prefix) else { throw .invalidCursor(cursor) }
        return key
    }
}
