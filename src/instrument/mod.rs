//! Stage: instrument (see the developers guide).
