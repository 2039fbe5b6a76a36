/** Benchmarks comparing tracefix with its baselines in one run; see bench/README.md. */
package dev.tracefix.bench;
