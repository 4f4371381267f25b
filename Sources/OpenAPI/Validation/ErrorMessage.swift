/// The schema of FastAPI's plain error body, `{"detail": "..."}`, for documenting 4xx responses.
public enum ErrorMessage: Model {
    /// `ErrorMessage` in `components.schemas`.
    public static let schema = ModelSchema("ErrorMessage", [Property("detail", .string())],
                                           description: "An error, as FastAPI reports it.")
}
