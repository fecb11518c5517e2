/**
 * The op set: a document's state as every op ever applied, indexed by object ({@link
 * dev.converge.core.internal.opset.OpSet}; maps in {@code MapObj}, lists and text in a {@code
 * SeqTree} per object).
 *
 * <p>Ops enter through one path whether local ({@link
 * dev.converge.core.internal.opset.LocalTransaction}) or remote, each mutation's inverse recorded
 * in an {@link dev.converge.core.internal.opset.UndoLog} and its visible effect in a {@link
 * dev.converge.core.internal.opset.PatchLog}. Values are read now or at a past clock ({@link
 * dev.converge.core.internal.opset.OpSetReader}, {@link
 * dev.converge.core.internal.opset.OpSetView}, {@link dev.converge.core.internal.opset.OpSetDiff});
 * a saved document is built straight from its chunk's ops ({@link
 * dev.converge.core.internal.opset.OpSetLoader}) and written back in chunk order ({@link
 * dev.converge.core.internal.opset.OpSetExport}).
 */
package dev.converge.core.internal.opset;
