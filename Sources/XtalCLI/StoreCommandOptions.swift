import ArgumentParser
import Foundation
import XtalCore
import XtalIngest
import XtalStore

/// Where and how `run` stores results (and what `db` connects to).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "sqlite:PATH, ispyb (the file named by $ISPYB_CREDENTIALS) or mariadb://USER@HOST:PORT/DB[?socket=PATH]. Default: $ISPYB_CREDENTIALS when set, else OUTPUT/xtalreport.sqlite.",
            valueName: "DATABASE"))
    var database: String?

    @Option(
        name: .customLong("db-password-file"),
        help: ArgumentHelp("File whose first line is the MariaDB password (else $XTALREPORT_DB_PASSWORD).", valueName: "FILE"))
    var passwordFile: String?

    func location(defaultSQLite: String) throws(StoreError) -> StoreLocation {
        try StoreLocation.resolve(
            database, passwordFile: passwordFile, environment: ProcessInfo.processInfo.environment,
            defaultSQLite: defaultSQLite)
    }
}

/// `run`'s store options.
struct StoreCommandOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Flag(name: .customLong("no-store"), help: "Do not write the results into a database.")
    var noStore = false

    @Flag(
        name: .customLong("create-collections"),
        help: "Create the DataCollectionGroup, DataCollection, SSXDataCollection and event rows of runs that match none in ISPyB.")
    var createCollections = false

    @Option(help: ArgumentHelp("ISPyB visit to store under, e.g. mx2427-1 (default: the manifest's 'session').", valueName: "VISIT"))
    var session: String?

    @Flag(name: .customLong("no-per-image"), help: "Do not write per-image rows (ImageQualityIndicators).")
    var noPerImage = false
}
