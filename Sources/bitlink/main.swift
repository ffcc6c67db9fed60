import BitlinkCLI
#if canImport(Glibc)
import Glibc
#endif

exit(BitlinkCLI.main(CommandLine.arguments))
