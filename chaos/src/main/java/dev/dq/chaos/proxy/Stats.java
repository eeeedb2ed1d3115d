package dev.dq.chaos.proxy;

/**
 * What a {@link FaultProxy} did since it started.
 *
 * @param connections client connections accepted
 * @param commands client commands parsed (forwarded or not)
 * @param cut connections closed by {@link FaultProxy#cutReplies} before a reply reached the client
 * @param held commands held back by {@link FaultProxy#holdNext}
 * @param swallowed replies swallowed by {@link FaultProxy#swallowReplyOfNext}
 * @param bytes bytes forwarded, both directions
 */
public record Stats(
    long connections, long commands, long cut, long held, long swallowed, long bytes) {}
