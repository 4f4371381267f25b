import JSON
import Testing
@testable import App

/// Pieces of JSON kept by key in one array and appended as they were made.
@Suite struct KeptFieldsTests {
    @Test func appendsEachKeyAsItWasKept() {
        var fields = KeptFields()
        #expect(!fields.contains(0))
        fields.set(3, Array(#","route":null"#.utf8))
        fields.set(0, Array(#","method":"GET""#.utf8))
        #expect(fields.contains(0) && fields.contains(3))
        #expect(!fields.contains(1) && !fields.contains(4))
        var line = JSONLineBuffer(capacity: 0)
        line.reserve(64)
        fields.append(0, to: &line)
        fields.append(3, to: &line)
        fields.append(0, to: &line)
        #expect(line.withBytes { String(decoding: $0, as: UTF8.self) } == #","method":"GET","route":null,"method":"GET""#)
    }

    /// Keeping a key again replaces its field; an empty field appends nothing.
    @Test func aKeyKeptAgainIsReplaced() {
        var fields = KeptFields()
        fields.set(1, Array("old".utf8))
        fields.set(1, Array("new".utf8))
        fields.set(2, [])
        var line = JSONLineBuffer(capacity: 0)
        line.reserve(8)
        fields.append(1, to: &line)
        fields.append(2, to: &line)
        #expect(line.withBytes { String(decoding: $0, as: UTF8.self) } == "new")
    }
}
