import XtalIngest

/// A cluster job's settings: each from the command line (`ClusterOptions`), else the
/// manifest's `slurm:` section, else the site file (`XTALREPORT_SITE_CONFIG`, or
/// /etc/xtalreport/site.yaml), else the default.
struct ClusterSettings {
    var partition: String?
    var time: String?
    var mem: String?
    var account: String?
    var tasks: Int?
    var taskSize: Int?
    var taskThreads: Int
    var sbatchArguments: [String]

    init(_ options: ClusterOptions, manifest: Manifest.Slurm?, site: Manifest.Slurm?) throws {
        let layers = [manifest, site].compactMap { $0 }
        func pick<T>(_ given: T?, _ key: KeyPath<Manifest.Slurm, T?>) -> T? { given ?? layers.lazy.compactMap { $0[keyPath: key] }.first }
        partition = pick(options.partition, \.partition)
        time = pick(options.time, \.time)
        mem = pick(options.mem, \.mem)
        account = pick(options.account, \.account)
        // --tasks and --task-size are one choice: the first layer that makes it wins.
        if options.tasks != nil || options.taskSize != nil {
            tasks = options.tasks
            taskSize = options.taskSize.flatMap(ClusterOptions.bytes)
        } else if let layer = layers.first(where: { $0.tasks != nil || $0.taskSize != nil }) {
            tasks = layer.tasks
            if let text = layer.taskSize {
                guard let bytes = ClusterOptions.bytes(text) else { throw fail("slurm.task_size '\(text)' is not a size (e.g. 512M, 2G)", ExitStatus.usage) }
                taskSize = bytes
            }
        }
        taskThreads = max(1, pick(options.taskThreads, \.taskThreads) ?? 1)
        sbatchArguments = options.sbatchArguments.isEmpty ? (layers.lazy.compactMap(\.sbatchArgs).first ?? []) : options.sbatchArguments
    }
}
