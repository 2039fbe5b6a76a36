package dev.tracefix.server.run;

import dev.tracefix.server.kernel.sql.NotebookDatabases;
import java.nio.file.Path;
import java.util.Map;

/** What a session draws on from its workspace. */
record SessionResources(
    NotebookDatabases databases,
    Path notebookDir,
    Path projectDir,
    Path workDir,
    Map<String, ActionCellRunner> actionRunners,
    KernelSettings settings,
    ProgressListener progress,
    WorkspaceCounters counters) {}
