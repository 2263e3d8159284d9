package io.polygrad.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads the states of several schedules all or nothing: on an error the ones already loaded are restored. */
final class Snapshot {

    private Snapshot() {
    }

    static void loadAll(List<? extends StatefulScheduler> schedulers, List<Map<String, ?>> states) {
        List<Map<String, Object>> before = new ArrayList<>();
        for (StatefulScheduler s : schedulers) {
            before.add(s.stateDict());
        }
        int i = 0;
        try {
            for (; i < schedulers.size(); i++) {
                schedulers.get(i).loadStateDict(states.get(i));
            }
        } catch (RuntimeException e) {
            for (int k = 0; k < i; k++) {
                schedulers.get(k).loadStateDict(before.get(k));
            }
            throw e;
        }
    }
}
