package io.i2kit.provider.aws.stack;

/** What a delete did: {@code existed} is false when there was no stack of that name (nothing done). */
public record StackRemoval(String stackName, boolean existed) {
}
