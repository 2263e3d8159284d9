package io.polygrad.conformance;

import java.util.Objects;

/**
 * One known gap of a backend: the checks it covers and why they are expected to fail. An
 * exclusion is never a silent skip: the covered checks still run, a failure is reported as
 * "excluded" with this reason, and a pass is reported as a stale exclusion (a failure), like
 * pytest's strict {@code xfail}.
 *
 * @param checkId the id of a check, or a prefix of ids ending at a {@code /}, e.g.
 *                {@code problems/relu} covers every check of the ReLU problem
 * @param reason  why the backend fails it, e.g. a tracking issue
 */
public record Exclusion(String checkId, String reason) {

    /** Creates an exclusion, requiring a non-blank id and reason. */
    public Exclusion {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(reason, "reason");
        if (checkId.isBlank() || reason.isBlank()) {
            throw new IllegalArgumentException("an exclusion needs a check id and a reason, got '" + checkId
                    + "' and '" + reason + "'");
        }
    }

    /** Returns whether this exclusion covers the check {@code id}: the same id, or one below it. */
    public boolean covers(String id) {
        return id.equals(checkId) || id.startsWith(checkId.endsWith("/") ? checkId : checkId + "/");
    }
}
