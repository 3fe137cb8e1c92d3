/// Per-image values copied from the image headers into the stream (`header/int//…`,
/// `header/float//…`, `header/str//…` since CrystFEL 0.10, `hdf5/…` before), one named
/// column per key, so that a laser flag or a delay can be used later to split the images.
///
/// Numeric values are kept as `Double` (64-bit integers from `%lli` still fit exactly up to
/// 2^53); strings are interned. A column that first appears at image k is back-filled with
/// "missing" for images 0..<k.
public struct HeaderColumns: Sendable {
    /// What kind of value a column holds, from the key's `header/<kind>/` prefix.
    public enum Kind: String, Sendable, Codable {
        case int, float, string
    }

    /// One named column.
    public struct Column: Sendable {
        /// The key exactly as written in the stream, e.g. `header/int//entry/data/laser_on`.
        public let key: String
        public let kind: Kind
        /// Numeric values (`.nan` where the image had no such line); empty for strings.
        public internal(set) var numbers: [Double]
        /// Interned string ids (`UInt32.max` where missing); empty for numeric columns.
        public internal(set) var stringIDs: [UInt32]
        /// The distinct strings of a string column.
        public internal(set) var strings: [String]
        var stringIndex: [String: UInt32]

        /// The HDF5 path the value came from (`/entry/data/laser_on`), or the key itself.
        public var path: String {
            for prefix in ["header/int/", "header/float/", "header/str/", "hdf5/"] where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                return rest.hasPrefix("/") ? String(rest) : "/" + rest
            }
            return key
        }

        /// Appends `value` to a string column, interning it.
        mutating func appendString(_ value: String) {
            let id: UInt32
            if let known = stringIndex[value] {
                id = known
            } else {
                id = UInt32(strings.count)
                strings.append(value)
                stringIndex[value] = id
            }
            stringIDs.append(id)
        }

        /// The value for an image as text, or nil where missing.
        public func text(at image: Int) -> String? {
            switch kind {
            case .string:
                let id = stringIDs[image]
                return id == UInt32.max ? nil : strings[Int(id)]
            case .int:
                let v = numbers[image]
                return v.isNaN ? nil : String(Int64(v))
            case .float:
                let v = numbers[image]
                return v.isNaN ? nil : String(v)
            }
        }
    }

    public internal(set) var columns: [Column] = []
    var indexByKey: [String: Int] = [:]
    /// Number of images every column covers.
    public internal(set) var imageCount = 0

    public init() {}

    /// The column for `key`, if any image had it.
    public func column(_ key: String) -> Column? {
        indexByKey[key].map { columns[$0] }
    }

    /// The column index for `key`, creating the column (back-filled) on first use.
    public mutating func columnIndex(for key: String, kind: Kind) -> Int {
        if let i = indexByKey[key] { return i }
        let column: Column
        switch kind {
        case .string:
            column = Column(
                key: key, kind: kind, numbers: [],
                stringIDs: Array(repeating: UInt32.max, count: imageCount), strings: [], stringIndex: [:])
        case .int, .float:
            column = Column(
                key: key, kind: kind, numbers: Array(repeating: .nan, count: imageCount),
                stringIDs: [], strings: [], stringIndex: [:])
        }
        columns.append(column)
        indexByKey[key] = columns.count - 1
        return columns.count - 1
    }

    /// Appends one image: `numeric` and `text` give (column index, value) pairs; every
    /// other column gets "missing".
    public mutating func appendImage(numeric: [(Int, Double)], text: [(Int, String)]) {
        for (i, v) in numeric where columns[i].numbers.count == imageCount {
            columns[i].numbers.append(v)
        }
        for (i, s) in text where columns[i].stringIDs.count == imageCount {
            columns[i].appendString(s)
        }
        imageCount += 1
        for i in columns.indices {
            switch columns[i].kind {
            case .string:
                if columns[i].stringIDs.count < imageCount { columns[i].stringIDs.append(UInt32.max) }
            case .int, .float:
                if columns[i].numbers.count < imageCount { columns[i].numbers.append(.nan) }
            }
        }
    }

    /// Makes room in every column for `images` images in all.
    public mutating func reserveCapacity(images: Int) {
        for i in columns.indices {
            switch columns[i].kind {
            case .string: columns[i].stringIDs.reserveCapacity(images)
            case .int, .float: columns[i].numbers.reserveCapacity(images)
            }
        }
    }

    /// Appends the images of `other` after these, matching columns by key.
    public mutating func append(contentsOf other: HeaderColumns) {
        let base = imageCount
        for column in other.columns {
            let i = columnIndex(for: column.key, kind: column.kind)
            switch column.kind {
            case .string:
                for id in column.stringIDs {
                    if id == UInt32.max {
                        columns[i].stringIDs.append(UInt32.max)
                    } else {
                        columns[i].appendString(column.strings[Int(id)])
                    }
                }
            case .int, .float:
                columns[i].numbers.append(contentsOf: column.numbers)
            }
        }
        imageCount = base + other.imageCount
        for i in columns.indices {
            switch columns[i].kind {
            case .string:
                while columns[i].stringIDs.count < imageCount { columns[i].stringIDs.append(UInt32.max) }
            case .int, .float:
                while columns[i].numbers.count < imageCount { columns[i].numbers.append(.nan) }
            }
        }
    }
}
