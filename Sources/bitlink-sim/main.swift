import BitlinkSim
import Glibc

exit(SimCommand.main(CommandLine.arguments))
