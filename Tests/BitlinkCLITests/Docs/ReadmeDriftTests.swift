import BitlinkCore
import Testing

@testable import BitlinkCLI

/// README.md stays in step with the command table, the exit codes and the environment.
@Suite("README drift")
struct ReadmeDriftTests {
    let readme: String

    init() throws {
        readme = try Docs.read("README.md")
    }

    @Test func everyCommandIsInTheCommandsTable() {
        for command in Docs.commands {
            let top = "`bitlink \(command.path[0])"
            #expect(readme.contains(top), "README does not mention \(top)")
            if command.path.count > 1 {
                // Group verbs are listed as `bitlink miners list/add/...`.
                #expect(readme.contains(command.path[1]), "README does not mention '\(command.name)'")
            }
        }
    }

    @Test func everyExitCodeIsInTheTable() {
        for status in ExitStatus.allCases where status.rawValue < 130 {
            #expect(readme.contains("| \(status.rawValue) |"), "README exit-code table lacks \(status.rawValue)")
        }
        #expect(readme.contains("| 130, 143 |"))
    }

    @Test func everyEnvironmentVariableIsDocumented() {
        for variable in CommandTable.environment.map(\.name) where variable != "XDG_DATA_HOME" {
            #expect(readme.contains("`\(variable)`"), "README does not document \(variable)")
        }
    }

    @Test func theTwoNewcomerCommandsAreThere() {
        #expect(readme.contains("swift run -c release bitlink-sim demo"))
        #expect(readme.contains("\nswift test\n"))
    }
}
