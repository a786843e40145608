package io.i2kit.secret;

import java.time.Instant;

/** A secret as listed: its name, its version (counting from 1) and when that version was set. Never its value. */
public record SecretInfo(String name, long version, Instant updated) {
}
