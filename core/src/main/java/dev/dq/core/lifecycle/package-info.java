/**
 * A task's life after enqueue, as brokers offer it: its state by id ({@link
 * dev.dq.core.lifecycle.TaskLookup}), its result ({@link dev.dq.core.lifecycle.Completion}),
 * cancelling it ({@link dev.dq.core.lifecycle.TaskCancels}), running it now or deleting it ({@link
 * dev.dq.core.lifecycle.TaskControls}), enqueueing it once per unique key ({@link
 * dev.dq.core.lifecycle.UniqueTasks}) and how long finished tasks are kept ({@link
 * dev.dq.core.lifecycle.Retention}).
 */
package dev.dq.core.lifecycle;
