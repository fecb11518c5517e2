/**
 * The {@code converge} command line. {@link dev.converge.cli.ConvergeCommand} is the root: it
 * parses nothing itself and only wires the subcommands, one class each, and the shared exit-code
 * policy in {@link dev.converge.cli.ExitCodes}. Subcommands throw {@link
 * dev.converge.core.ConvergeException} for invalid input and let {@link
 * dev.converge.cli.ConvergeExceptionHandler} turn it into one line on stderr.
 */
@NullMarked
package dev.converge.cli;

import org.jspecify.annotations.NullMarked;
