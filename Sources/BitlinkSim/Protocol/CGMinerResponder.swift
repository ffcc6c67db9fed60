/// Answers the CGMiner API (port 4028) from a model's captures.
struct CGMinerResponder {
    let fixtures: ModelFixtures
    let snapshot: LiveSnapshot
    /// Unix time written in synthesized statuses.
    let when: Int

    private var model: SimModel { fixtures.model }

    /// The reply payload (without the trailing NUL) and whether the NUL must be added
    /// (false for wire captures, which already carry it).
    func reply(to raw: [UInt8]) -> (bytes: [UInt8], addNUL: Bool) {
        switch CGMinerRequest.parse(raw) {
        case .failure(let error):
            return (StatusReplies.badRequest(model, when: when, missingCommand: error == .missingCommand), true)
        case .success(let request):
            return reply(to: request)
        }
    }

    func reply(to request: CGMinerRequest) -> (bytes: [UInt8], addNUL: Bool) {
        // A capture of the exact multi-command wins: the firmware's own answer to it.
        if let capture = fixtures.commands[request.command] {
            return render(capture, command: request.command, jsonRequest: request.isJSON)
        }
        let members = request.members
        if request.isJSON, members.count > 1 {
            return (multi(members), true)
        }
        return single(request.command, jsonRequest: request.isJSON)
    }

    private func single(_ command: String, jsonRequest: Bool) -> (bytes: [UInt8], addNUL: Bool) {
        if PrivilegedCommands.contains(command) {
            return (StatusReplies.accessDenied(model, command: command, when: when, text: !jsonRequest), true)
        }
        guard let capture = fixtures.commands[command] else {
            return (StatusReplies.invalidCommand(model, when: when, text: !jsonRequest), true)
        }
        return render(capture, command: command, jsonRequest: jsonRequest)
    }

    /// `{"a":[<reply a>],"b":[<reply b>],"id":1}` with each member's bytes verbatim, as
    /// cgminer (API >= 3.1) and real firmware wrap them (protocols.md section 1).
    private func multi(_ members: [String]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for member in members {
            var (bytes, _) = single(member, jsonRequest: true)
            // A wire capture carries its NUL; inside a multi reply it would cut the document.
            while bytes.last == 0 { bytes.removeLast() }
            BitlinkJSONString.write(member, into: &out)
            out += Array(":[".utf8) + bytes + Array("],".utf8)
        }
        out += Array("\"id\":1}".utf8)
        return out
    }

    private func render(_ capture: ModelFixtures.Capture, command: String, jsonRequest: Bool) -> (bytes: [UInt8], addNUL: Bool) {
        if capture.isWire {
            var payload = capture.bytes
            let hadNUL = payload.last == 0
            if hadNUL { payload.removeLast() }
            var edited = FixtureEditor.apply(payload, snapshot: snapshot, isText: false)
            if hadNUL { edited.append(0) }
            return (edited, false)
        }
        let edited = FixtureEditor.apply(capture.bytes, snapshot: snapshot, isText: capture.isText)
        if capture.isText, jsonRequest {
            // A truncated text capture becomes JSON cut at the same place: still incomplete.
            return (CGMinerTextForm.toJSON(edited, truncated: capture.isPartial), true)
        }
        return (edited, true)
    }
}
