import ArgumentParser
import Foundation
import XtalStore

/// `xtalreport db migrate|status`: the store's schema.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Prepare or inspect the results database.",
        subcommands: [MigrateCommand.self, StatusCommand.self])

    /// Applies xtalreport's own tables (idempotent; recorded in SchemaStatus).
    struct MigrateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Add xtalreport's tables (per-run SSX statistics, histograms, time points) to a database.",
            discussion: """
                Idempotent: a database that has them is left as it is. Each migration is recorded in \
                ISPyB's SchemaStatus table (ONGOING, then DONE): \(ExtensionSchema.scriptNames.joined(separator: ", ")); \
                the second adds the columns that let a re-run leave unchanged per-image rows alone. \
                An ISPyB MariaDB must already hold the ISPyB schema (DLS or ESRF flavour). A SQLite \
                file is created with ISPyB's table names if it does not exist.

                \(ExitStatus.helpText)
                """)

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard database.database != nil || ProcessInfo.processInfo.environment[StoreLocation.credentialsVariable] != nil else {
                throw fail("db migrate: name the database with --db (or set $ISPYB_CREDENTIALS)", ExitStatus.usage)
            }
            do {
                let location = try database.location(defaultSQLite: "xtalreport.sqlite")
                let store = try ResultStore.open(location)
                let applied = try ExtensionSchema.migrate(store.db)
                Console.print("\(location.description): \(applied ? "applied" : "already applied") \(ExtensionSchema.scriptNames.joined(separator: ", ")) (\(store.flavour.family.rawValue))")
            } catch {
                throw fail("db migrate: \(error)", ExitStatus.storeFailed)
            }
        }
    }

    /// Prints what the store detects in a database.
    struct StatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show the database's ISPyB flavour and what the store can write there.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            do {
                let location = try database.location(defaultSQLite: "xtalreport.sqlite")
                let f = try ResultStore.open(location).flavour
                Console.print("""
                    \(location.description)
                      flavour:                        \(f.family.rawValue), schemaVersion \(f.schemaVersion ?? "none")
                      ProcessingJob tables:           \(f.hasProcessingJob ? "yes" : "no")
                      AutoProcProgram.dataCollectionId: \(f.programHasDataCollectionId ? "yes (py-ISPyB SSX view)" : "no")
                      processingStatus:               \(f.statusIsText ? "text (SUCCESS/FAILED)" : "tinyint (1/0), frozen once set")
                      ImageQualityIndicators key:     \(f.qualityIndicatorsHaveSurrogateKey ? "surrogate id" : "(dataCollectionId, imageNumber)")
                      imagePrefix length:             \(f.imagePrefixLength.map(String.init) ?? "unlimited")
                      SSXProcessingResult (MAX IV):   \(f.hasSSXProcessingResult ? "yes" : "no")
                      xtalreport tables:              \(f.hasExtensionTables ? "yes" : "no (run 'xtalreport db migrate')")
                    """)
            } catch {
                throw fail("db status: \(error)", ExitStatus.storeFailed)
            }
        }
    }
}
