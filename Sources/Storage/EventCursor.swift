import MWRASPCore

/// The cursor of event pages: the id of the last event of a page.
enum EventCursor {
    private static let prefix = "e1:"

    static func encode(_ id: EventID) -> String {
        OpaqueCursor.encode(id.rawValue, prefix: prefix)
    }

    static func decode(_ cursor: String) throws(StoreError) -> EventID {
        guard let key = OpaqueCursor.decode(cursor, prefix: prefix), let id = EventID(rawValue: key) else {
            throw .invalidCursor(cursor)
        }
        return id
    }
}
