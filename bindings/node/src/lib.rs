//! Node binding (filled by its own issue).
