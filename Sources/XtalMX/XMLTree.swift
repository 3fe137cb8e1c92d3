import Foundation
import XtalCore
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML element with its text and the line it starts on: the tolerant tree the result
/// readers walk (any order, any cardinality, unknown elements kept and ignored). Parsed by
/// Foundation's `XMLParser` (libxml2), without external entities, with bounds on depth
/// and element count so that hostile input cannot grow it without limit.
final class XMLNode {
    let name: String
    let line: Int
    private(set) var children: [XMLNode] = []
    private(set) var text = ""

    init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    /// The text with surrounding white space removed.
    var value: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The children called `name`, compared without case (producers spell `refinedXBeam`
    /// and `refinedXbeam`).
    func all(_ name: String) -> [XMLNode] {
        children.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    func first(_ name: String) -> XMLNode? {
        children.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Why a document could not be parsed.
    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// Parses `data`; throws with the line where the XML stops being well formed.
    static func parse(_ data: Data, maxDepth: Int = 64, maxElements: Int = 1_000_000) throws -> XMLNode {
        // Foundation's parser on Linux traps on an element name that is not UTF-8 (libxml2
        // passes the bytes of a UTF-8 document through): such a document is refused first.
        if let offset = invalidUTF8Offset(data) {
            throw ParseError(line: data.prefix(offset).count { $0 == 0x0A } + 1, reason: "not valid UTF-8 (byte \(offset))")
        }
        let builder = TreeBuilder(maxDepth: maxDepth, maxElements: maxElements)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let stop = builder.stop { throw ParseError(line: stop.line, reason: stop.reason) }
        // Foundation's parser on Linux reports success for a document cut short inside an
        // element: an element still open at the end is that error.
        if parsed, let open = builder.open.last {
            throw ParseError(
                line: max(parser.lineNumber, open.line), reason: "the document ends inside <\(open.name)> (opened at line \(open.line))")
        }
        guard parsed, let root = builder.root else {
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "not well-formed XML"
            throw ParseError(line: max(parser.lineNumber, 1), reason: reason)
        }
        return root
    }

    /// Where a document that is UTF-8 (by its byte-order mark or declaration, or by having
    /// neither) stops being valid UTF-8; nil when it is valid or declares another encoding.
    static func invalidUTF8Offset(_ data: Data) -> Int? {
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) { return nil }  // UTF-16
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        if head.hasPrefix("<?xml"), let close = head.range(of: "?>"),
            let encoding = head[..<close.lowerBound].range(of: "encoding=")
        {
            let name = head[encoding.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }.lowercased()
            if name != "utf-8", name != "utf8" { return nil }
        }
        var decoder = Unicode.UTF8()
        var iterator = data.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The tree of a JSON value, read as its XML would be: an object's keys are child
    /// elements (a list gives one element per item), a number or string is the text.
    /// `xia2.ispyb_json` writes the AutoProcContainer so (mx-results.md §3).
    static func fromJSON(_ value: Any, name: String) -> XMLNode {
        let node = XMLNode(name: name, line: 0)
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let items = (object[key] as? [Any]) ?? [object[key]!]
                for item in items { node.append(fromJSON(item, name: key)) }
            }
        case let text as String: node.appendText(text)
        case let number as NSNumber: node.appendText(number.stringValue)
        default: break
        }
        return node
    }

    fileprivate func append(_ child: XMLNode) { children.append(child) }
    fileprivate func appendText(_ more: String) { text += more }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        let maxDepth: Int
        let maxElements: Int
        var root: XMLNode?
        var open: [XMLNode] = []
        var elements = 0
        var stop: (line: Int, reason: String)?

        init(maxDepth: Int, maxElements: Int) {
            self.maxDepth = maxDepth
            self.maxElements = maxElements
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements += 1
            if open.count >= maxDepth || elements > maxElements {
                stop = (parser.lineNumber, open.count >= maxDepth ? "elements nested more than \(maxDepth) deep" : "more than \(maxElements) elements")
                parser.abortParsing()
                return
            }
            let node = XMLNode(name: elementName, line: parser.lineNumber)
            if let parent = open.last { parent.append(node) } else if root == nil { root = node }
            open.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            _ = open.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            open.last?.appendText(string)
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            open.last?.appendText(String(decoding: CDATABlock, as: UTF8.self))
        }
    }
}
