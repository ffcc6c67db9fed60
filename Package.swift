// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bitlink",
    products: [
        .executable(name: "bitlink", targets: ["bitlink"]),
        .executable(name: "bitlink-sim", targets: ["bitlink-sim"]),
        .library(name: "BitlinkCore", targets: ["BitlinkCore"]),
    ],
    targets: [
        // libsqlite3 from the system, found through pkg-config; the only outside dependency.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .yum(["sqlite-devel"])]
        ),
        // Linux headers the Swift Glibc module leaves out (epoll, eventfd); header only.
        .systemLibrary(name: "CLinuxIO"),
        .target(name: "BitlinkCore", dependencies: ["CSQLite", "CLinuxIO"], linkerSettings: [.linkedLibrary("m")]),
        .target(name: "BitlinkCLI", dependencies: ["BitlinkCore"]),
        .executableTarget(name: "bitlink", dependencies: ["BitlinkCLI"]),
        .target(name: "BitlinkSim", dependencies: ["BitlinkCore"]),
        // The demo runs the real `bitlink`, so building the simulator builds it too.
        .executableTarget(name: "bitlink-sim", dependencies: ["BitlinkSim", "bitlink"]),
        .testTarget(
            name: "BitlinkCoreTests",
            dependencies: ["BitlinkCore", "BitlinkSim"],
            exclude: []
        ),
        .testTarget(name: "BitlinkCLITests", dependencies: ["BitlinkCLI", "BitlinkCore"]),
        // Runs the built binaries; depending on the executables makes `swift test` build them.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["BitlinkCore", "BitlinkSim", "bitlink", "bitlink-sim"]
        ),
    ]
)
