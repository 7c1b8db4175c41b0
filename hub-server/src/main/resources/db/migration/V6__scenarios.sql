-- Planners' what-if scenarios: changes to the program network (added, moved, closed, capacity changed), kept
-- apart from the published programs, which they never touch.
CREATE TABLE scenario (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    changes     jsonb NOT NULL,
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
