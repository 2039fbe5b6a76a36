package dev.tracefix.server.cli;

import picocli.CommandLine.Command;

/** Commands for reading many hosts' exports together on a distributed engine. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "Read many hosts' Parquet exports together on a distributed engine.",
    subcommands = {FleetDdlCommand.class, FleetCompactCommand.class})
final class FleetCommand {}
