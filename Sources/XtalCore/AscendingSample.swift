/// A sample that can be read in ascending order without being fully sorted: the element at
/// a rank, and how many elements lie below a value. Quantiles and histograms need nothing
/// else, so they are computed the same way from distinct-value runs (`SortedRuns`, e.g. the
/// counts of peaks per frame) and from partly sorted float columns (`BucketedKeys`).
///
/// Values are compared by order key (`RadixSort.orderKey`): -0 sorts before +0.
public protocol AscendingSample {
    /// Number of elements (with repeats).
    var count: Int { get }
    /// The element at rank `k` (0-based) of the ascending list.
    func element(_ k: Int) -> Float32
    /// Number of elements whose order key is less than `key`.
    func countBelow(key: UInt32) -> Int
    /// Announces the ranks and keys about to be asked for, so that a partly sorted sample
    /// can make them ready together. Only a hint: any rank or key may be asked for anyway.
    func prepare(ranks: [Int], keys: [UInt32])
}

extension AscendingSample {
    public func prepare(ranks: [Int], keys: [UInt32]) {}
}
