import BitlinkSim
