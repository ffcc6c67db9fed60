/// A problem with the command line itself: exit 64, printed with the command's usage.
/// When the bad value came from an environment variable instead, the status is 78.
public struct UsageError: Error, Sendable, Equatable {
    public var message: String
    /// A `Did you mean ...?` line.
    public var suggestion: String?
    /// The command whose usage to print (nil: the tool's).
    public var commandPath: [String]?
    /// Set when the value came from the environment (exit 78, no usage lines).
    public var fromEnvironment: Bool

    public init(_ message: String, suggestion: String? = nil, commandPath: [String]? = nil, fromEnvironment: Bool = false) {
        self.message = message
        self.suggestion = suggestion
        self.commandPath = commandPath
        self.fromEnvironment = fromEnvironment
    }
}
