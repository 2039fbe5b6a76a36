package dev.tracefix.server.run;

/**
 * A workspace's load now, for the server's {@code /metrics}.
 *
 * @param openSessions notebooks opened since the server started (each holds its kernels)
 * @param runningCells cells running now
 * @param javaVms snippet VMs alive now (child JVMs of the server)
 * @param notebookDatabases notebook DuckDB databases open now
 * @param cellsRun cells run since start
 * @param limitErrors cells that hit a limit since start
 * @param kernelRestarts snippet VMs that ended or were killed under a cell since start
 */
public record WorkspaceStats(
    int openSessions,
    int runningCells,
    int javaVms,
    int notebookDatabases,
    long cellsRun,
    long limitErrors,
    long kernelRestarts) {}
