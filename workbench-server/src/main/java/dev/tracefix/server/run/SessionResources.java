package dev.tracefix.server.run;

import java.nio.file.Path;
import java.util.Map;

/** What a session draws on from its workspace. */
record SessionResources(
    ConnectionFactory db,
    Path notebookDir,
    Path projectDir,
    Path workDir,
    Map<String, ActionCellRunner> actionRunners,
    KernelSettings settings,
    ProgressListener progress) {}
