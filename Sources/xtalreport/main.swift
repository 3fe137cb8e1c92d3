import XtalCLI

XtalReportCommand.main()
