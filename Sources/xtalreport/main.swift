import XtalCLI

XtalReportCommand.runMain()
