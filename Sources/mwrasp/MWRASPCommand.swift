import ArgumentParser

@main
struct MWRASPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mwrasp",
        abstract: "MWRASP: threat detection and response server for security operations centers.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, TokenCommand.self, HealthcheckCommand.self],
        defaultSubcommand: ServeCommand.self)
}
