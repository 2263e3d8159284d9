package io.polygrad.spi;

import java.util.Objects;

/**
 * The answer to whether a backend can run here and, if not, why.
 *
 * @param available whether it can run
 * @param reason    empty when available; otherwise what failed and what to add or change
 */
public record Availability(boolean available, String reason) {

    /** Creates an availability, rejecting a null reason. */
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns the answer "it can run". */
    public static Availability yes() {
        return new Availability(true, "");
    }

    /** Returns the answer "it cannot run", with the reason. */
    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
