import JSON
@testable import OpenAPI
import Testing

/// `components.schemas` holds each model once, by name (issue 15, item 5).
@Suite struct ComponentCollectorTests {
    private static func model(_ name: String, _ member: String) -> Schema {
        Schema(kind: .model(ModelSchema(name, [Property(member, .string())])))
    }

    @Test func theSameModelMetTwiceIsOneComponent() {
        var collector = ComponentCollector()
        let first = collector.json(for: Self.model("Item", "name"))
        let second = collector.json(for: Self.model("Item", "name"))
        #expect(first == second && collector.schemas.members.count == 1)
    }

    /// A second, different model of the same name would make `$ref`s ambiguous: making the document stops.
    @Test func twoDifferentModelsOfOneNameStopTheDocument() async {
        await #expect(processExitsWith: .failure) {
            var collector = ComponentCollector()
            _ = collector.json(for: ComponentCollectorTests.model("Item", "name"))
            _ = collector.json(for: ComponentCollectorTests.model("Item", "title"))
        }
    }
}
