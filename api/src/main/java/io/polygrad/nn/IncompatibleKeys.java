package io.polygrad.nn;

import java.util.List;

/**
 * What a non-strict {@link Module#loadStateDict(java.util.Map, boolean)} could not match, PyTorch's
 * {@code _IncompatibleKeys}: the module's keys the state lacked and the state's keys the module lacks.
 *
 * <pre>{@code
 * jshell> new Linear(engine, 2, 1).loadStateDict(Map.of("weight", engine.zeros(1, 2), "extra", engine.zeros(1)), false)
 * $1 ==> IncompatibleKeys[missingKeys=[bias], unexpectedKeys=[extra]]
 * }</pre>
 *
 * @param missingKeys    keys of the module's {@link Module#stateDict()} absent from the loaded state
 * @param unexpectedKeys keys of the loaded state that the module does not have
 */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {

    /** Creates the record with unmodifiable copies of both lists. */
    public IncompatibleKeys {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }

    /**
     * Returns whether every key matched.
     *
     * <pre>{@code
     * jshell> new Linear(engine, 2, 1).loadStateDict(Map.of(), false).isEmpty()
     * $1 ==> false
     * }</pre>
     */
    public boolean isEmpty() {
        return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
    }
}
