/// Replies the firmware generates itself (errors), worded as each family words them.
enum StatusReplies {
    /// Code 14, invalid command.
    static func invalidCommand(_ model: SimModel, when: Int, text: Bool) -> [UInt8] {
        switch model.errorStyle {
        case .whatsminer:
            // btminer's flat form; a third-party protocol log shows it for `version` (protocols.md 3.2).
            return Array("{\"STATUS\":\"E\",\"When\":\(when),\"Code\":14,\"Msg\":\"invalid cmd\",\"Description\":\(BitlinkJSONString.quoted(model.apiDescription))}".utf8)
        case .noDescription:
            if text { return Array("STATUS=E,When=\(when),Code=14,Msg=Invalid command|".utf8) }
            return Array("{\"STATUS\":[{\"STATUS\":\"E\",\"When\":\(when),\"Code\":14,\"Msg\":\"Invalid command\"}],\"id\":1}".utf8)
        case .cgminer:
            return cgminerStatus(model, when: when, code: 14, message: "Invalid command", text: text)
        }
    }

    /// Code 45, access denied (privileged command without W: access).
    static func accessDenied(_ model: SimModel, command: String, when: Int, text: Bool) -> [UInt8] {
        if model.errorStyle == .whatsminer {
            return Array("{\"STATUS\":\"E\",\"When\":\(when),\"Code\":45,\"Msg\":\"permission denied\",\"Description\":\(BitlinkJSONString.quoted(model.apiDescription))}".utf8)
        }
        return cgminerStatus(model, when: when, code: 45, message: "Access denied to '\(command)' command", text: text)
    }

    /// Code 23 (invalid JSON) or 24 (missing command).
    static func badRequest(_ model: SimModel, when: Int, missingCommand: Bool) -> [UInt8] {
        cgminerStatus(model, when: when, code: missingCommand ? 24 : 23,
                      message: missingCommand ? "Missing JSON 'command'" : "Invalid JSON", text: false)
    }

    private static func cgminerStatus(_ model: SimModel, when: Int, code: Int, message: String, text: Bool) -> [UInt8] {
        if text {
            return Array("STATUS=E,When=\(when),Code=\(code),Msg=\(message),Description=\(model.apiDescription)|".utf8)
        }
        var description = ""
        if model.errorStyle != .noDescription {
            description = ",\"Description\":" + BitlinkJSONString.quoted(model.apiDescription)
        }
        return Array("{\"STATUS\":[{\"STATUS\":\"E\",\"When\":\(when),\"Code\":\(code),\"Msg\":\(BitlinkJSONString.quoted(message))\(description)}],\"id\":1}".utf8)
    }
}
