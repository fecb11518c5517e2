/**
 * The {@code converge} command line, run from the shaded {@code converge-cli.jar} by the {@code
 * ./converge} script. {@code ConvergeCommand} is the root: it parses nothing itself and only wires
 * the subcommands, one class each: a repository in a directory ({@code init}, {@code new}, {@code
 * put}, {@code get}, {@code log}, {@code purge}, {@code compact}, {@code export}, {@code import},
 * {@code query}, {@code views}), single document files ({@code cat}, {@code heads}, {@code save},
 * {@code changes}), the sync server and its tools ({@code serve}, {@code ui}, {@code broker}), a
 * repository's sync with a server, plaintext and sealed documents ({@code sync}), sealed documents
 * ({@code join}, {@code whoami}, {@code members}), the simulator ({@code sim}), the trace
 * benchmarks ({@code bench-trace}, {@code bench-sealed}) and {@code generate-completion}.
 *
 * <p>Exit codes ({@code ExitCodes}): 0 on success, 1 for invalid input, 2 for a usage error, 70 for
 * an internal error. Subcommands throw {@link dev.converge.core.ConvergeException} for invalid
 * input and let {@code ConvergeExceptionHandler} turn it into one line on stderr.
 */
@NullMarked
package dev.converge.cli;

import org.jspecify.annotations.NullMarked;
