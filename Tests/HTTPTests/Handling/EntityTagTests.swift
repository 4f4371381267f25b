import HTTP
import Testing

/// Entity tags and the conditions that compare them (RFC 9110 §8.8.3, §13.1.1, §13.1.2).
@Suite struct EntityTagTests {
    /// The example table of RFC 9110 §8.8.3.2: strong and weak comparison of two tags.
    @Test(arguments: [
        (#"W/"1""#, #"W/"1""#, false, true),
        (#"W/"1""#, #"W/"2""#, false, false),
        (#"W/"1""#, #""1""#, false, true),
        (#""1""#, #""1""#, true, true),
    ])
    func comparisonsFollowTheRFCsTable(_ left: String, _ right: String, strong: Bool, weak: Bool) throws {
        guard case .tags(let a) = EntityTagCondition(parsing: left), case .tags(let b) = EntityTagCondition(parsing: right) else {
            Issue.record("\(left) or \(right) did not parse as one tag")
            return
        }
        #expect(a.count == 1 && b.count == 1)
        #expect(a[0].matchesStrongly(b[0]) == strong)
        #expect(a[0].matchesWeakly(b[0]) == weak)
    }

    @Test func fieldValuesParse() {
        #expect(EntityTagCondition(parsing: " * ") == .any)
        #expect(EntityTagCondition(parsing: #""3", W/"4",  "x!#""#) == .tags([EntityTag("3"), EntityTag("4", isWeak: true), EntityTag("x!#")]))
        #expect(EntityTagCondition(parsing: #""""#) == .tags([EntityTag("")]))
        for malformed in ["3", #""3"#, #""a b""#, #""a"b""#, #"w/"3""#, #""3" "4""#] {
            #expect(EntityTagCondition(parsing: malformed) == .tags([]), "\(malformed) names no tag")
        }
        #expect(EntityTag("7").fieldValue == #""7""# && EntityTag("7", isWeak: true).fieldValue == #"W/"7""#)
    }

    /// If-Match uses the strong comparison and needs a current representation; If-None-Match the weak one.
    @Test func conditionsEvaluateAsTheRFCSays() {
        let current = EntityTag("5")
        #expect(EntityTagCondition(parsing: "*").ifMatch(current) && !EntityTagCondition(parsing: "*").ifMatch(nil))
        #expect(EntityTagCondition(parsing: #""4", "5""#).ifMatch(current))
        #expect(!EntityTagCondition(parsing: #"W/"5""#).ifMatch(current), "a weak tag never matches strongly")
        #expect(!EntityTagCondition(parsing: "garbage").ifMatch(current), "no write on a precondition that does not parse")
        #expect(!EntityTagCondition(parsing: "*").ifNoneMatch(current) && EntityTagCondition(parsing: "*").ifNoneMatch(nil))
        #expect(!EntityTagCondition(parsing: #"W/"5""#).ifNoneMatch(current), "the weak comparison")
        #expect(EntityTagCondition(parsing: #""4""#).ifNoneMatch(current))
        #expect(EntityTagCondition(parsing: "garbage").ifNoneMatch(current), "the representation is sent")
    }
}
