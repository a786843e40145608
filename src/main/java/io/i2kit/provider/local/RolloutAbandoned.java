package io.i2kit.provider.local;

import io.i2kit.I2kitException;

/** A service's rollout given up because another service's rollout of the same apply failed. */
final class RolloutAbandoned extends I2kitException {
    RolloutAbandoned(String why) {
        super(why);
    }
}
