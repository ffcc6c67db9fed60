import BitlinkCore

public enum BitlinkCLI {
    public static func main(_ arguments: [String]) -> Int32 { 0 }
}
