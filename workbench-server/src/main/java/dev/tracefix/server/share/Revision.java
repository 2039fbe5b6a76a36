package dev.tracefix.server.share;

/**
 * One saved version of a notebook.
 *
 * @param id the full commit id
 * @param author the committer's name as git config gave it
 * @param time commit time, ISO-8601 UTC
 * @param message the commit message's first line
 */
public record Revision(String id, String author, String time, String message) {}
