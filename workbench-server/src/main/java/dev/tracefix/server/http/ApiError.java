package dev.tracefix.server.http;

/**
 * The JSON body of every non-2xx API answer.
 *
 * @param error a stable machine-readable code, e.g. {@code not_found}
 * @param message one line for a person, naming the file/line or the fix where known
 */
record ApiError(String error, String message) {}
