/**
 * A small typed client for programs that use dq as a library: {@link dev.dq.core.client.DqClient}
 * enqueues values with {@link dev.dq.core.client.EnqueueOptions}, looks tasks up, awaits and
 * decodes their results and cancels them; {@link dev.dq.core.client.TypedHandler} lets a handler
 * receive a decoded value and return one. Values become payloads through a {@link
 * dev.dq.core.client.PayloadCodec}: {@link dev.dq.core.client.StringCodec} is built in, a JSON
 * codec lives in the module {@code dq-codec-jackson} so that core depends on nothing but SLF4J.
 */
package dev.dq.core.client;
