@testable import BitlinkCLI

/// bitlink's exit statuses under a name of their own: swift-testing declares an
/// `ExitStatus` too, so files that import Testing cannot say `ExitStatus`. This file
/// does not import Testing.
typealias BitlinkExitStatus = ExitStatus
