import BitlinkCore
public enum BitlinkSim {}
