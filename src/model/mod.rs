//! Stage: model (see the developers guide).
