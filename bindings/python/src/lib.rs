//! Python binding (filled by its own issue).
