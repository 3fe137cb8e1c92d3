/// The honest count check of a run with a master file: images the metadata says were
/// collected against images processed (chunks, or the indexamajig log) and chunks seen,
/// with the likely reason when they differ.
public struct ImageCountCheck: Sendable, Codable, Equatable {
    public var imagesInMetadata: Int
    public var imagesProcessed: Int
    public var chunksSeen: Int
    /// True when every collected image is accounted for by the results.
    public var agrees: Bool
    /// One sentence for a person.
    public var explanation: String

    public init(imagesInMetadata: Int, imagesProcessed: Int, chunksSeen: Int, processedFromLog: Bool, nonHitsLeftOut: Bool) {
        self.imagesInMetadata = imagesInMetadata
        self.imagesProcessed = imagesProcessed
        self.chunksSeen = chunksSeen
        let metadata = imagesInMetadata
        if metadata == chunksSeen {
            agrees = true
            explanation = "every one of the \(metadata) images collected has a chunk in the results"
        } else if metadata == imagesProcessed, processedFromLog {
            agrees = true
            explanation = "\(metadata - chunksSeen) of the \(metadata) images collected have no chunk: non-hits left out of the stream (--no-non-hits-in-stream), counted by the indexamajig log"
        } else if metadata > imagesProcessed {
            agrees = false
            let missing = metadata - imagesProcessed
            if nonHitsLeftOut, !processedFromLog {
                explanation = "\(missing) of the \(metadata) images collected have no chunk: non-hits were left out of the stream (--no-non-hits-in-stream) and no indexamajig log was given to count them"
            } else {
                explanation = "\(missing) of the \(metadata) images collected were not processed: the image list given to indexamajig was shorter, or processing stopped early"
            }
        } else {
            agrees = false
            explanation = "the results hold \(imagesProcessed) images but the master file only \(metadata): the results belong to another collection, or several collections were put in this run"
        }
    }
}
